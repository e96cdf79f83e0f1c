"""Outgoing mail: SMTP when configured, otherwise the log (and the test outbox)."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message, or log it when no SMTP server is configured."""
    app = current_app
    if app.testing:
        app.extensions.setdefault("outbox", []).append({"to": to, "subject": subject, "body": body})
    server = app.config.get("MAIL_SERVER")
    if not server:
        app.logger.warning("Mail to %s (no SMTP configured): %s\n%s", to, subject, body)
        return
    message = EmailMessage()
    message["From"] = app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(server, app.config["MAIL_PORT"], timeout=20) as smtp:
        smtp.starttls()
        if app.config.get("MAIL_USERNAME"):
            smtp.login(app.config["MAIL_USERNAME"], app.config["MAIL_PASSWORD"])
        smtp.send_message(message)

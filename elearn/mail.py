"""Outgoing mail: text and HTML in the recipient's language, by SMTP when configured, else the log."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale


def send_mail(to: str, subject: str, template: str, *, locale: str | None = None, **context) -> None:
    """Render ``mail/<template>.txt`` and ``.html`` in ``locale`` and send them as one message.

    ``subject`` is a lazy string, so it is translated in the same locale. Without
    ``MAIL_SERVER`` the message is written to the log (and, in tests, to the app's outbox).
    """
    send_to_each([to], subject, template, locale=locale, **context)


def send_to_each(recipients: list[str], subject: str, template: str, *, locale: str | None = None, **context):
    """As :func:`send_mail`, one message per recipient (each sees only their own address): the
    text is rendered once and every message goes over one SMTP connection."""
    app = current_app
    with force_locale(locale or app.config["BABEL_DEFAULT_LOCALE"]):
        subject = str(subject)
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", subject=subject, **context)
    if app.testing:
        app.extensions.setdefault("outbox", []).extend(
            {"to": to, "subject": subject, "body": text, "html": html, "locale": locale} for to in recipients
        )
    server = app.config.get("MAIL_SERVER")
    if not server:
        for to in recipients:
            app.logger.warning("Mail to %s (no SMTP configured): %s\n%s", to, subject, text)
        return
    with smtplib.SMTP(server, app.config["MAIL_PORT"], timeout=20) as smtp:
        if app.config["MAIL_USE_TLS"]:
            smtp.starttls()
        if app.config.get("MAIL_USERNAME"):
            smtp.login(app.config["MAIL_USERNAME"], app.config["MAIL_PASSWORD"])
        for to in recipients:
            message = EmailMessage()
            message["From"] = app.config["MAIL_SENDER"]
            message["To"] = to
            message["Subject"] = subject
            message.set_content(text)
            message.add_alternative(html, subtype="html")
            smtp.send_message(message)


def mail_enabled() -> bool:
    """Whether mail really leaves the platform (otherwise links are shown or logged)."""
    return bool(current_app.config.get("MAIL_SERVER"))

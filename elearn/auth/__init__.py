"""Accounts: registration, login, password reset, profile, data export and erasure."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..extensions import login_manager
from .current import load_signed_in_user


def init_auth(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Meld je aan om deze pagina te bekijken.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    # One Core query per signed-in request; the ORM User is loaded only by requests that change
    # it (see current.py). Version and erasure are checked on every request, as before.
    login_manager.user_loader(load_signed_in_user)

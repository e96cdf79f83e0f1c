"""Configuration: defaults overridden by ELEARN_* environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_secret_key(instance_path: str) -> str:
    """Return the development secret key kept in the instance folder, creating it once.

    Creation is atomic and never replaces an existing file: gunicorn workers starting at once
    all read the one key written first (different keys would refuse each other's sessions).
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".secret_key.{secrets.token_hex(6)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            os.link(tmp, path)  # fails when another worker was first
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()


class Config:
    """Defaults for a development or production run; read at app creation."""

    #: product name shown in the layout and on certificates
    SITE_NAME = "Kruispunt"
    ISSUER_NAME = os.environ.get("ELEARN_ISSUER_NAME", "Kruispunt — vorming chemseks")
    #: the issuing organisation's details, printed on the attest (and its web site in credentials)
    ISSUER_URL = os.environ.get("ELEARN_ISSUER_URL")  # None: the public base URL
    ISSUER_ADDRESS = os.environ.get("ELEARN_ISSUER_ADDRESS", "")
    ISSUER_COMPANY_NUMBER = os.environ.get("ELEARN_ISSUER_COMPANY_NUMBER", "")
    ISSUER_EMAIL = os.environ.get("ELEARN_ISSUER_EMAIL", "")
    ISSUER_SIGNATORY_NAME = os.environ.get("ELEARN_ISSUER_SIGNATORY_NAME", "")
    ISSUER_SIGNATORY_ROLE = os.environ.get("ELEARN_ISSUER_SIGNATORY_ROLE", "")
    #: folder with the operator's certificate assets (logo.png, signature.png); None: certificates/
    CERTIFICATE_ASSETS = os.environ.get("ELEARN_CERTIFICATE_ASSETS")
    #: the credential signing key (PKCS8 PEM); None: <instance>/ob_signing_key.pem. Several app
    #: servers must share this file; its retired public keys are listed in <file>.retired
    SIGNING_KEY_FILE = os.environ.get("ELEARN_SIGNING_KEY_FILE")
    #: absolute base URL used in certificate QR codes and credentials (scripts/serve.sh sets it
    #: from the host and port it serves on)
    PUBLIC_BASE_URL = os.environ.get("ELEARN_PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    SECRET_KEY = os.environ.get("ELEARN_SECRET_KEY")  # None: generated in the instance folder
    SQLALCHEMY_DATABASE_URI = os.environ.get("ELEARN_DATABASE_URL")  # None: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    #: PostgreSQL: a pooled connection idle this many seconds is checked before use (see create_app)
    DB_PING_AFTER_IDLE = float(os.environ.get("ELEARN_DB_PING_AFTER_IDLE", "10"))
    CONTENT_DIR = os.environ.get("ELEARN_CONTENT_DIR", str(PACKAGE_DIR))
    CERTIFICATE_STORE = os.environ.get("ELEARN_CERTIFICATE_STORE")  # None: <instance>/certificates/
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    LANGUAGES = ("nl", "en")
    RATELIMIT_STORAGE_URI = os.environ.get("ELEARN_RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _env_bool("ELEARN_RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    #: reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted (0: none)
    PROXY_COUNT = int(os.environ.get("ELEARN_PROXY_COUNT", "0"))
    # Mail: when ELEARN_MAIL_SERVER is unset, reset links are written to the log.
    MAIL_SERVER = os.environ.get("ELEARN_MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("ELEARN_MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("ELEARN_MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("ELEARN_MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("ELEARN_MAIL_SENDER", "kruispunt@example.org")
    #: STARTTLS before logging in; only a local relay on a trusted network goes without
    MAIL_USE_TLS = _env_bool("ELEARN_MAIL_USE_TLS", True)
    #: the data controller named on the privacy page (GDPR art. 13)
    CONTROLLER_NAME = os.environ.get("ELEARN_CONTROLLER_NAME", "")
    CONTROLLER_CONTACT = os.environ.get("ELEARN_CONTROLLER_CONTACT", "")
    PASSWORD_RESET_MAX_AGE = 3600
    #: werkzeug hashing method for new passwords; checking reads the method from the stored hash
    PASSWORD_HASH_METHOD = "scrypt"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("ELEARN_SECURE_COOKIES", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("ELEARN_SECURE_COOKIES", False)
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 8
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024


class ProductionConfig(Config):
    """Secure cookies and HTTPS assumptions; select with ELEARN_ENV=production."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    #: no default: certificates are not issued until the operator sets ELEARN_PUBLIC_BASE_URL
    PUBLIC_BASE_URL = os.environ.get("ELEARN_PUBLIC_BASE_URL")


class TestConfig(Config):
    """For the test suite: CSRF stays ON; rate limits on, storage in memory."""

    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("ELEARN_TEST_DATABASE_URL", "sqlite://")
    SECRET_KEY = "test-secret-key-not-for-production"
    PUBLIC_BASE_URL = "https://kruispunt.example.org"
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = None
    # scrypt costs ~0.2 s per hash and per check; one test still checks the production method.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"

"""Kruispunt: e-learning about chemsex for care workers. ``create_app`` builds the Flask app."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, render_template
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .config import Config, ProductionConfig, instance_secret_key
from .errors import Conflict, NotConfigured, NotFound
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .ratelimit import format_wait, retry_after_seconds, warn_about_private_storage

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def create_app(config: dict | type | None = None) -> Flask:
    """Create the application.

    ``config`` is a config class or a mapping of overrides (tests pass ``TestConfig`` values).
    Content is loaded here, once; bad content stops start-up with ``path:line: problem``.
    """
    app = Flask(__name__, instance_path=os.environ.get("ELEARN_INSTANCE_PATH") or None)
    base = ProductionConfig if os.environ.get("ELEARN_ENV") == "production" else Config
    app.config.from_object(base)
    if isinstance(config, type):
        app.config.from_object(config)
    elif config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "elearn.sqlite")
    if not app.config.get("CERTIFICATE_STORE"):
        app.config["CERTIFICATE_STORE"] = str(Path(app.instance_path) / "certificates")
    _engine_options(app)

    db.init_app(app)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            _ping_when_idle(db.engine, app.config["DB_PING_AFTER_IDLE"])
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    warn_about_private_storage(app)
    if base is ProductionConfig and not app.config.get("CONTROLLER_NAME"):
        # the privacy page (GDPR art. 13) must name who is responsible for the data
        app.logger.warning(
            "Privacy: ELEARN_CONTROLLER_NAME and ELEARN_CONTROLLER_CONTACT are not set, so /privacy "
            "tells users that the organisation has not filled in its name and contact details yet."
        )

    from .i18n import init_i18n

    init_i18n(app, babel)

    from .course import init_course

    init_course(app)

    from . import models  # noqa: F401 - register the tables
    from .auth import init_auth

    init_auth(app)

    from .security import init_security, register_converters

    init_security(app)
    register_converters(app)

    from .templating import init_templating

    init_templating(app)

    _register_blueprints(app)
    _register_error_pages(app)

    from .cli import register_cli

    register_cli(app)
    if app.config.get("PROXY_COUNT"):
        # Behind N trusted proxies: client address (rate limits, audit) and scheme from X-Forwarded-*.
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    return app


def _engine_options(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {"timeout": 30})
    else:
        # No SELECT 1 before every request: a connection is pinged only after it sat idle
        # (see _ping_when_idle); SQLALCHEMY_ENGINE_OPTIONS in a config can still turn pool_pre_ping on.
        options.setdefault("pool_size", 5)
        options.setdefault("max_overflow", 10)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Check a pooled connection with a round trip only when it sat unused for ``idle_seconds``.

    ``pool_pre_ping`` costs a round trip on every request. A connection that served a request a
    moment ago is almost always still good; one that sat idle may have been closed by a database
    restart, a failover or a firewall. If the check fails, the pool drops the connection and
    hands out a fresh one (the request does not see the failure). A connection that breaks while
    in use makes that one request fail and, as always, the pool discard its old connections.
    """
    import time

    from sqlalchemy.exc import DisconnectionError

    @event.listens_for(engine, "checkin")
    def checkin(_dbapi_connection, record):
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def checkout(dbapi_connection, record, _proxy):
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as exc:  # noqa: BLE001 - any failure: give the caller another connection
            raise DisconnectionError(f"connection unusable after {time.monotonic() - since:.0f} s idle") from exc


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL and a busy timeout let readers and one writer share SQLite; enforce foreign keys."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    from .admin.routes import bp as admin_bp
    from .auth.routes import bp as auth_bp
    from .certs.routes import bp as certs_bp
    from .leaflet.routes import bp as leaflet_bp
    from .learn.routes import bp as learn_bp
    from .main.routes import bp as main_bp
    from .quiz.routes import bp as quiz_bp
    from .trainer import bp as trainer_bp

    for bp in (main_bp, auth_bp, learn_bp, quiz_bp, certs_bp, trainer_bp, admin_bp, leaflet_bp):
        app.register_blueprint(bp)


def _register_error_pages(app: Flask) -> None:
    def handler(code: int):
        def render(error):
            db.session.rollback()
            message = getattr(error, "friendly_message", None)  # a specific explanation (see security.py)
            response = render_template("errors/error.html", code=code, message=message, retry_after=_retry_after(code))
            return response, code

        return render

    for code in (400, 403, 404, 405, 409, 429, 500):
        app.register_error_handler(code, handler(code))
    app.register_error_handler(NotFound, handler(404))
    app.register_error_handler(Conflict, handler(409))
    app.register_error_handler(NotConfigured, _not_configured)


def _not_configured(error):
    """Production without ELEARN_PUBLIC_BASE_URL: nothing that names a public URL can be served."""
    db.session.rollback()
    return Response(f"503 Service Unavailable: {error}", status=503, mimetype="text/plain")


def _retry_after(code: int) -> str | None:
    """For a 429: how long to wait, in words of the user's language."""
    if code != 429:
        return None
    seconds = retry_after_seconds()
    return format_wait(seconds) if seconds else None

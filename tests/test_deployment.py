"""Running behind a reverse proxy, and on a PostgreSQL server that may drop connections (README: Deployment)."""

import os

import pytest


def test_behind_a_trusted_proxy_the_client_address_and_scheme_are_the_forwarded_ones(make_app):
    from flask import request

    app = make_app(PROXY_COUNT=1)
    seen = {}

    @app.get("/_probe")
    def probe():
        seen.update(addr=request.remote_addr, secure=request.is_secure)
        return "ok"

    app.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "203.0.113.7", "secure": True}
    untrusted = make_app()

    @untrusted.get("/_probe")
    def probe2():
        seen.update(addr=request.remote_addr, secure=request.is_secure)
        return "ok"

    untrusted.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen == {"addr": "127.0.0.1", "secure": False}


@pytest.mark.skipif(
    not os.environ.get("ELEARN_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL connection pool only",
)
def test_a_connection_closed_by_the_server_while_idle_is_replaced_unseen(make_app):
    import psycopg
    from sqlalchemy import text

    from elearn.extensions import db

    app = make_app(DB_PING_AFTER_IDLE=0)
    with app.app_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        db.session.remove()  # back to the pool
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert app.test_client().get("/healthz").status_code == 200
    with app.app_context():
        assert db.session.execute(text("SELECT pg_backend_pid()")).scalar() != pid

"""Fixtures: an app on a migrated database, clients logged in through the real forms (CSRF on)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.config import TestConfig
from elearn.extensions import db as _db

FIXTURE_CONTENT = str(Path(__file__).parent / "fixtures" / "content")
PASSWORD = "een-sterk-wachtwoord-42"
#: "gw0", "gw1", ... in a worker of ``pytest -n`` (pytest-xdist); empty in a plain run
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own PostgreSQL database beside the one given
    (``test_gw0``, ...), created on first use, so parallel workers never share tables."""
    if not url or not WORKER:
        return url
    base = make_url(url)
    own = base.set(database=f"{base.database}_{WORKER}")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}):
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


PG_URL = _worker_database(os.environ.get("ELEARN_TEST_DATABASE_URL"))
#: Redis database for the rate-limit tests: 4, or 4 + the worker's number under pytest-xdist
REDIS_URL = f"redis://127.0.0.1:6379/{4 + int(WORKER[2:] or 0)}"


def _config(tmp_path, **extra):
    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg.update(CONTENT_DIR=FIXTURE_CONTENT, CERTIFICATE_STORE=str(tmp_path / "issued"))
    cfg.update(extra)
    return cfg


@pytest.fixture(scope="session", autouse=True)
def test_instance_folder(tmp_path_factory):
    """Every app the suite builds keeps its instance files (cache, keys) out of the checkout."""
    patch = pytest.MonkeyPatch()
    path = tmp_path_factory.mktemp("instance")
    patch.setenv("ELEARN_INSTANCE_PATH", str(path))
    yield path
    patch.undo()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory, test_instance_folder):
    """A SQLite file upgraded by the migrations once; each test gets a copy."""
    if PG_URL:
        return None
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    app = create_app(_config(tmp_path_factory.mktemp("inst"), SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}"))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory)
        _db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def migrated_pg(tmp_path_factory, test_instance_folder):
    if not PG_URL:
        return None
    app = create_app(_config(tmp_path_factory.mktemp("inst"), SQLALCHEMY_DATABASE_URI=PG_URL))
    with app.app_context():
        from flask_migrate import upgrade

        _db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        _db.session.commit()
        upgrade(directory=app.extensions["migrate"].directory)
        _db.engine.dispose()
    return PG_URL


@pytest.fixture
def make_app(tmp_path, migrated_sqlite, migrated_pg, monkeypatch):
    """Build an app on a fresh migrated database; extra config as keyword arguments."""
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path / "instance"))
    if migrated_pg:
        url = migrated_pg
    else:
        db_file = tmp_path / "test.sqlite"
        if not db_file.exists():
            shutil.copy(migrated_sqlite, db_file)
        url = f"sqlite:///{db_file}"
    apps = []

    def factory(**extra):
        app = create_app(_config(tmp_path, SQLALCHEMY_DATABASE_URI=url, **extra))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            if migrated_pg:
                tables = ", ".join(t.name for t in _db.metadata.sorted_tables)
                _db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                _db.session.commit()
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def get_token(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return csrf_token(response.get_data(as_text=True))


def post_form(client, url: str, data: dict, *, token_from: str | None = None, **kwargs):
    """POST like a browser: fetch the page (or ``token_from``) for its CSRF token first."""
    data = dict(data)
    data["csrf_token"] = get_token(client, token_from or url)
    return client.post(url, data=data, **kwargs)


def make_user(
    app, email="leerling@example.org", name="Lea Leerling", role="learner", sector="jeugd-welzijn", password=PASSWORD
):
    from elearn.auth.service import create_user

    with app.app_context():
        user = create_user(email, name, password, role=role, sector=sector, organisation="JAC Gent", verified=True)
        _db.session.commit()
        return user.id


def login(client, email, password=PASSWORD):
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def logged_in(app, email, name, role="learner", sector="jeugd-welzijn"):
    """A test client for a new user, logged in through the real form; ``user_id`` is set."""
    uid = make_user(app, email=email, name=name, role=role, sector=sector)
    client = app.test_client()
    login(client, email)
    client.user_id = uid
    return client


@pytest.fixture
def learner(app):
    return logged_in(app, "leerling@example.org", "Lea Leerling")


@pytest.fixture
def other_learner(app):
    return logged_in(app, "ander@example.org", "Ander Persoon")


@pytest.fixture
def trainer(app):
    return logged_in(app, "trainer@example.org", "Tine Trainer", role="trainer", sector="andere")


@pytest.fixture
def other_trainer(app):
    return logged_in(app, "trainer2@example.org", "Tweede Trainer", role="trainer", sector="andere")


@pytest.fixture
def admin(app):
    return logged_in(app, "admin@example.org", "Ad Min", role="admin", sector="andere")

"""The migrations build the whole schema from empty and take it down again, on SQLite and PostgreSQL."""

import pytest
from conftest import FIXTURE_CONTENT, PG_URL
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from elearn import create_app
from elearn.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = "elearn_migration_check"
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_to_head_matches_models_and_downgrade_to_base(empty_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "CONTENT_DIR": FIXTURE_CONTENT, "SECRET_KEY": "x"})
    with app.app_context():
        directory = app.extensions["migrate"].directory
        upgrade(directory=directory)
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        from alembic.autogenerate import compare_metadata
        from alembic.migration import MigrationContext

        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(directory=directory, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()

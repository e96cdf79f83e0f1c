"""Browser tests: the app served by a real server in a thread, driven by Debian's Chromium."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from elearn import create_app
from elearn.config import TestConfig
from elearn.extensions import db

ARTIFACTS = Path(os.environ.get("ELEARN_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("ELEARN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """The real course content on a fresh, migrated SQLite database, served on 127.0.0.1."""
    base = tmp_path_factory.mktemp("live")
    os.environ["ELEARN_INSTANCE_PATH"] = str(base / "instance")
    cfg = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    cfg.update(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{base / 'e2e.sqlite'}",
        CERTIFICATE_STORE=str(base / "issued"),
        RATELIMIT_ENABLED=False,
    )  # one browser makes many requests from one address
    cfg.pop("CONTENT_DIR", None)
    app = create_app(cfg)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.base_url = app.config["PUBLIC_BASE_URL"]
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def pa11y_process():
    """The pa11y process is started by the first page check and stopped with the session."""
    from .checks import Pa11y

    yield
    Pa11y.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live):
    contexts = []

    def factory(width=1280, height=900):
        context = browser.new_context(
            base_url=live.base_url, viewport={"width": width, "height": height}, accept_downloads=True, locale="nl-BE"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield factory
    for context in contexts:
        context.close()

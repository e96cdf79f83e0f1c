"""The elearn command: schema, users, content check/stats, backup."""

import json
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import FIXTURE_CONTENT

from elearn.cli import main


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("ELEARN_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.setenv("ELEARN_CONTENT_DIR", FIXTURE_CONTENT)
    monkeypatch.delenv("ELEARN_SECRET_KEY", raising=False)
    return CliRunner()


def run(runner, *args, env=None):
    return runner.invoke(main, list(args), env=env, catch_exceptions=False)


def test_init_db_twice_and_secret_key_kept(runner, tmp_path):
    assert run(runner, "init-db").exit_code == 0
    assert run(runner, "init-db").exit_code == 0
    key = tmp_path / "instance" / "secret_key"
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"


def test_create_user_checks(runner):
    run(runner, "init-db")
    ok = run(
        runner,
        "create-user",
        "a@example.org",
        "--name",
        "A",
        "--role",
        "trainer",
        env={"ELEARN_PASSWORD": "goed-wachtwoord-99"},
    )
    assert ok.exit_code == 0 and "created trainer a@example.org" in ok.output
    dup = run(runner, "create-user", "a@example.org", "--name", "A", env={"ELEARN_PASSWORD": "goed-wachtwoord-99"})
    assert dup.exit_code != 0 and "already exists" in dup.output
    bad = run(runner, "create-user", "geen-adres", "--name", "B", env={"ELEARN_PASSWORD": "goed-wachtwoord-99"})
    assert bad.exit_code != 0 and "invalid e-mail" in bad.output
    weak = run(runner, "create-user", "b@example.org", "--name", "B", env={"ELEARN_PASSWORD": "kort"})
    assert weak.exit_code != 0 and "weak password" in weak.output


def test_demo_accounts_are_idempotent(runner):
    run(runner, "init-db")
    first = run(runner, "demo")
    second = run(runner, "demo")
    assert first.exit_code == second.exit_code == 0
    assert "trainer@kruispunt.example.org" in first.output


def test_content_check_and_stats(runner):
    result = run(runner, "content", "check")
    assert result.exit_code == 0 and "content ok" in result.output
    stats = json.loads(run(runner, "content", "stats", "--json").output)
    assert stats["modules"][0]["slug"] == "proef"
    assert {"slug", "title", "sections", "words", "questions", "vignettes", "minutes"} <= set(stats["modules"][0])
    assert stats["glossary_terms"] == 2 and stats["organisations"] == 2


def test_content_check_reports_problems_without_loading_the_app(tmp_path):
    import shutil

    broken = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, broken)
    (broken / "quizzes" / "proef.quiz.yaml").write_text("module: proef\nquestions: [\n")
    result = subprocess.run(
        [sys.executable, "-m", "elearn.cli", "content", "check"],
        capture_output=True,
        text=True,
        env={"ELEARN_CONTENT_DIR": str(broken), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert result.stdout.startswith("content/quizzes/proef.quiz.yaml:")


def test_content_check_fails_on_answer_cues(tmp_path):
    import shutil

    cued = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, cued)
    bank = cued / "quizzes" / "itembank" / "proef.yaml"
    bank.write_text(bank.read_text().replace("correct: true\n    feedback_true", "correct: false\n    feedback_true"))
    result = subprocess.run(
        [sys.executable, "-m", "elearn.cli", "content", "check"],
        capture_output=True,
        text=True,
        env={"ELEARN_CONTENT_DIR": str(cued), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert result.stdout == (
        "content/quizzes/itembank/proef.yaml:2: true/false items keyed 'waar' in 0 of 4 (0 %); keep it within 40-60 %\n"
    )


def test_backup_is_a_consistent_copy(runner, tmp_path):
    run(runner, "init-db")
    run(runner, "demo")
    target = tmp_path / "backup.sqlite"
    result = run(runner, "backup", str(target))
    assert result.exit_code == 0
    from elearn.demo import NAMES

    with sqlite3.connect(target) as conn:  # the 5 demo accounts and the demo group's learners
        assert conn.execute("select count(*) from users").fetchone()[0] == 5 + len(NAMES)
        assert conn.execute("select count(*) from certificates").fetchone()[0] >= 5


def test_bad_content_stops_start_up(tmp_path, monkeypatch):
    import shutil

    from elearn import create_app
    from elearn.content import ContentError

    broken = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, broken)
    (broken / "reference" / "paths.yaml").write_text(
        "paths:\n  - slug: x\n    title: X\n    description: d\n    modules: [weg]\n"
    )
    monkeypatch.setenv("ELEARN_INSTANCE_PATH", str(tmp_path / "i"))
    with pytest.raises(ContentError) as exc:
        create_app({"CONTENT_DIR": str(broken), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "content/reference/paths.yaml:2: path 'x': unknown module 'weg'" in str(exc.value)

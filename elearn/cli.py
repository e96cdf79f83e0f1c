"""The ``elearn`` command (also ``flask --app elearn ...``)."""
from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from .config import Config


def _create_app():
    from . import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main():
    """Kruispunt: e-learning about chemsex for care workers."""


def register_cli(app) -> None:
    """Register the commands on ``app`` so ``flask --app elearn`` knows them too."""
    for command in (init_db, create_user, demo, backup, content, certificates):
        if command.name not in app.cli.commands:
            app.cli.add_command(command)


@click.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the database schema (safe to run again)."""
    from flask_migrate import upgrade
    upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo("database is at the latest schema")


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["learner", "trainer", "admin"]), default="learner")
@click.option("--organisation", default="")
@click.option("--sector", type=click.Choice(["drughulp", "seksuele-gezondheid", "jeugd-welzijn", "andere"]), default="andere")
@with_appcontext
def create_user(email, name, role, organisation, sector):
    """Create a confirmed account; the password comes from ELEARN_PASSWORD or a prompt."""
    from email_validator import EmailNotValidError, validate_email

    from .auth.passwords import password_problem
    from .auth.service import create_user as make_user, find_user
    from .extensions import db

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.ClickException(f"invalid e-mail address: {exc}") from None
    if find_user(email):
        raise click.ClickException(f"an account for {email} already exists")
    password = os.environ.get("ELEARN_PASSWORD") or click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email)
    if problem:
        reasons = {"too_short": "at least 10 characters needed", "common": "too common",
                   "email": "must not be the e-mail address", "repetitive": "too repetitive"}
        raise click.ClickException(f"weak password: {reasons[problem]}")
    make_user(email, name, password, role=role, organisation=organisation, sector=sector, verified=True)
    db.session.commit()
    click.echo(f"created {role} {email}")


@click.command("demo")
@with_appcontext
def demo():
    """Create the demo accounts (idempotent) and print their log-in details."""
    from .auth.service import create_user as make_user, find_user
    from .extensions import db

    accounts = [
        ("admin@kruispunt.example.org", "Ada Beheer", "admin", "andere"),
        ("trainer@kruispunt.example.org", "Tom Trainer", "trainer", "andere"),
        ("jac@kruispunt.example.org", "Jana Jacobs", "learner", "jeugd-welzijn"),
        ("drughulp@kruispunt.example.org", "Dries Hulp", "learner", "drughulp"),
        ("sensoa@kruispunt.example.org", "Sara Gezond", "learner", "seksuele-gezondheid"),
    ]
    password = os.environ.get("ELEARN_DEMO_PASSWORD", "kruispunt-demo-2026")
    for email, name, role, sector in accounts:
        if not find_user(email):
            make_user(email, name, password, role=role, sector=sector,
                      organisation="Demo-organisatie", verified=True)
    db.session.commit()
    click.echo("Demo accounts (password: %s):" % password)
    for email, _name, role, _sector in accounts:
        click.echo(f"  {role:8} {email}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(path):
    """Write a consistent online copy of the SQLite database to PATH."""
    from .extensions import db

    url = db.engine.url
    if not url.drivername.startswith("sqlite") or not url.database:
        raise click.ClickException("backup works for SQLite files; for PostgreSQL use pg_dump (see README)")
    source = sqlite3.connect(url.database)
    target = sqlite3.connect(path)
    with target:
        source.backup(target)  # the SQLite online backup API: consistent while the app runs
    target.close()
    source.close()
    click.echo(f"backup written to {path}")


@click.group("content")
def content():
    """Check and describe the course content."""


def _content_dir() -> str:
    return os.environ.get("ELEARN_CONTENT_DIR", Config.CONTENT_DIR)


@content.command("check")
def content_check():
    """Validate all content and look for answer cues; print one 'path:line: problem' per problem."""
    from .content import ContentError, load_course
    from .content.lint import lint_content

    try:
        course = load_course(_content_dir())
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        sys.exit(1)
    cues = lint_content(_content_dir())
    if cues:
        for problem in cues:
            click.echo(str(problem))
        sys.exit(1)
    click.echo(f"content ok: {len(course.modules)} modules, {len(course.vignettes)} vignettes, "
               f"{sum(len(q.questions) for q in course.quizzes.values() if q.kind == 'module')} quiz questions")


@content.command("stats")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def content_stats(as_json):
    """Counts per module (words, sections, questions, vignettes, minutes) and reference data."""
    from .content import ContentError, course_stats, load_course

    try:
        stats = course_stats(load_course(_content_dir()))
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    for m in stats["modules"]:
        click.echo(f"{m['slug']:18} {m['words']:6} words {m['sections']:3} sections {m['questions']:3} questions "
                   f"{m['vignettes']:2} vignettes {m['minutes']:4} min")
    click.echo(f"glossary terms: {stats['glossary_terms']}, organisations: {stats['organisations']}, "
               f"item bank: {stats['item_bank']}")


@click.group("certificates")
def certificates():
    """List, revoke and verify certificates."""


@certificates.command("list")
@with_appcontext
def certificates_list():
    """All issued certificates."""
    from .extensions import db
    from .models import Certificate

    for c in db.session.scalars(select(Certificate).order_by(Certificate.issued_at)):
        state = f"revoked {c.revoked_at:%Y-%m-%d}: {c.revoked_reason}" if c.revoked_at else "valid"
        click.echo(f"{c.code}  {c.completed_on}  {c.path_slug:20} {c.learner_name or '(erased)'}  {state}")


@certificates.command("revoke")
@click.argument("code")
@click.option("--reason", required=True)
@with_appcontext
def certificates_revoke(code, reason):
    """Revoke the certificate CODE with a reason (logged)."""
    from .certs.service import revoke
    from .extensions import db
    from .models import Certificate

    cert = db.session.scalar(select(Certificate).where(Certificate.code == code.upper()))
    if cert is None:
        raise click.ClickException(f"no certificate with code {code}")
    revoke(cert, reason, None)
    db.session.commit()
    click.echo(f"revoked {cert.code}")


@certificates.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--public-key", "public_key_file", type=click.Path(exists=True, dir_okay=False),
              help="issuer.json or a PEM public key; default: this installation's key")
def certificates_verify(file, public_key_file):
    """Check a downloaded credential offline: valid, tampered or invalid."""
    from elearn.certificates import verify_credential
    from elearn.certificates.credential import public_key_from_file

    document = json.loads(Path(file).read_text(encoding="utf-8"))
    if public_key_file:
        key = public_key_from_file(Path(public_key_file))
    else:
        from . import create_app
        from .certs.service import signing_key
        with create_app().app_context():
            key = signing_key().public_key()
    result = verify_credential(document, key)
    note = ""
    if result.ok:
        evidence = (document.get("evidence") or [{}])[0].get("id", "the verify page")
        note = f" (revocation cannot be checked offline: revoked-unknown; see {evidence})"
    click.echo(f"{result.status.value}: {result.message}{note}")
    sys.exit(0 if result.ok else 1)


for _command in (init_db, create_user, demo, backup, content, certificates):
    main.add_command(_command)


if __name__ == "__main__":
    main()

"""The ``elearn`` command (also ``flask --app elearn ...``)."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import urllib.request
from pathlib import Path

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import force_locale
from flask_migrate import upgrade
from sqlalchemy import select

from . import certificates as credentials
from .auth.passwords import PASSWORD_MESSAGES, password_problem
from .auth.service import create_user as make_user
from .auth.service import find_user
from .certificates.data import timestamp
from .certs import service as certs
from .config import Config
from .content import ContentError, course_stats, load_course
from .content.lint import lint_content
from .demo import build_demo_cohort, invite_link
from .extensions import db
from .models import Certificate
from .vocabulary import ROLES, SECTORS


def _create_app():
    # elearn/__init__ registers these commands from inside create_app: importing it at the top
    # would be circular
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
    upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo("database is at the latest schema")


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), default="learner")
@click.option("--organisation", default="")
@click.option("--sector", type=click.Choice(SECTORS), default="andere")
@with_appcontext
def create_user(email, name, role, organisation, sector):
    """Create a confirmed account; the password comes from ELEARN_PASSWORD or a prompt."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.ClickException(f"invalid e-mail address: {exc}") from None
    if find_user(email):
        raise click.ClickException(f"an account for {email} already exists")
    password = os.environ.get("ELEARN_PASSWORD") or click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email)
    if problem:
        with force_locale("en"):
            raise click.ClickException(f"weak password: {PASSWORD_MESSAGES[problem]}")
    make_user(email, name, password, role=role, organisation=organisation, sector=sector, verified=True)
    db.session.commit()
    click.echo(f"created {role} {email}")


@click.command("demo")
@with_appcontext
def demo():
    """Create the demo accounts (idempotent) and print their log-in details."""
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
            make_user(email, name, password, role=role, sector=sector, organisation="Demo-organisatie", verified=True)
    db.session.commit()
    click.echo(f"Demo accounts (password: {password}):")
    for email, _name, role, _sector in accounts:
        click.echo(f"  {role:8} {email}")

    trainer = find_user("trainer@kruispunt.example.org")
    demo_group = build_demo_cohort(current_app.extensions["course"], trainer)
    db.session.commit()
    group = demo_group.cohort
    click.echo(
        f'Demo group "{group.name}" ({"created" if demo_group.created else "already there"}): '
        f"fictitious learners, {len(demo_group.certificates)} with a certificate"
    )
    click.echo(f"  trainer log-in: trainer@kruispunt.example.org / {password}")
    try:
        click.echo(f"  invite link:    {invite_link(group)}")
        if demo_group.certificates:
            click.echo(f"  a certificate:  {certs.verify_url(demo_group.certificates[0].code)}")
    except certs.NotConfigured:
        click.echo("  set ELEARN_PUBLIC_BASE_URL to print the invite and verify links")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(path):
    """Write a consistent online copy of the SQLite database to PATH."""
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
    click.echo(
        f"content ok: {len(course.modules)} modules, {len(course.vignettes)} vignettes, "
        f"{sum(len(q.questions) for q in course.quizzes.values() if q.kind == 'module')} quiz questions"
    )


@content.command("stats")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def content_stats(as_json):
    """Counts per module (words, sections, questions, vignettes, minutes) and reference data."""
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
        click.echo(
            f"{m['slug']:18} {m['words']:6} words {m['sections']:3} sections {m['questions']:3} questions "
            f"{m['vignettes']:2} vignettes {m['minutes']:4} min"
        )
    click.echo(
        f"glossary terms: {stats['glossary_terms']}, organisations: {stats['organisations']}, "
        f"item bank: {stats['item_bank']}"
    )


@click.group("certificates")
def certificates():
    """List, revoke, print and verify certificates; rotate the signing key."""


@certificates.command("list")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@with_appcontext
def certificates_list(as_json):
    """All issued certificates: code, holder, path, issued, revoked."""
    rows = []
    for c in db.session.scalars(select(Certificate).order_by(Certificate.issued_at, Certificate.id)):
        rows.append(
            {
                "code": c.code,
                "holder": None if c.holder_erased else c.learner_name,
                "path": c.path_slug,
                "issued": timestamp(c.issued_at),
                "revoked": timestamp(c.revoked_at) if c.revoked_at else None,
            }
        )
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        state = f"revoked {row['revoked'][:10]}" if row["revoked"] else "valid"
        click.echo(f"{row['code']}  {row['issued'][:10]}  {row['path']:20} {row['holder'] or '(erased)'}  {state}")


@certificates.command("revoke")
@click.argument("code")
@click.option("--reason", required=True, help="kept internally (audit log); never shown publicly")
@with_appcontext
def certificates_revoke(code, reason):
    """Revoke the certificate CODE with a reason (logged)."""
    cert = certs.find(code)
    if cert is None:
        raise click.ClickException(f"no certificate with code {code}")
    certs.revoke(cert, reason, None)
    db.session.commit()
    click.echo(f"revoked {cert.code}")


@certificates.command("credential")
@click.argument("code")
@with_appcontext
def certificates_credential(code):
    """Print the signed Open Badges 3.0 credential of CODE."""
    cert = certs.find(code)
    if cert is None:
        raise click.ClickException(f"no certificate with code {code}")
    click.echo(json.dumps(certs.signed_credential(cert), ensure_ascii=False, indent=2))


def _fetch_status_list(url: str, offline: bool):
    """A status list credential: this installation's from its database, others over HTTPS."""
    try:
        own = certs.status_list_url(1).rsplit("/", 1)[0] + "/"
    except certs.NotConfigured:
        own = None
    if own and url.startswith(own) and url[len(own) :].isdigit():
        listed = certs.status_list(int(url[len(own) :]))
        return json.loads(listed.body) if listed else None
    if offline or not url.startswith("https://"):
        return None
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"Accept": "application/json"}), timeout=10
        ) as response:
            return json.loads(response.read(2_000_000))
    except (OSError, ValueError):
        return None


@certificates.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--issuer",
    "issuer_file",
    type=click.Path(exists=True, dir_okay=False),
    help="the issuer's /issuer.json (or a PEM key) whose keys to trust; default: this installation's keys",
)
@click.option("--offline", is_flag=True, help="never fetch another issuer's status list")
@with_appcontext
def certificates_verify(file, issuer_file, offline):
    """Check a credential: proofs, Open Badges schema, revocation status.

    Exit status 0 when all three pass, 1 when a proof or the schema fails or it was revoked,
    2 when the revocation status cannot be read."""
    # the checker (jsonschema, JSON-LD processing) is only needed here: kept out of start-up
    from .certificates.check import Revocation, check

    try:
        document = json.loads(Path(file).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise click.ClickException(f"{file} is not JSON: {error}") from None
    keys = credentials.public_keys_from_file(Path(issuer_file)) if issuer_file else certs.trusted_keys()
    report = check(document, keys, lambda url: _fetch_status_list(url, offline))
    for line in report.lines():
        click.echo(line)
    if not report.proof.ok or report.schema or report.status == Revocation.REVOKED:
        sys.exit(1)
    sys.exit(0 if report.ok else 2)


@certificates.command("rotate-key")
@with_appcontext
def certificates_rotate_key():
    """Retire the credential signing key and make a new one (old credentials keep verifying)."""
    old, new = certs.rotate_key()
    click.echo(f"retired did:key:{old}\nsigning with did:key:{new}")


for _command in (init_db, create_user, demo, backup, content, certificates):
    main.add_command(_command)


if __name__ == "__main__":
    main()

"""Certificates end to end over HTTP: issue once, the attest PDF, the public verify page and its JSON,
the revocation status list, the signed credential, and the operators' command line."""

import datetime
import io
import json
import logging

import helpers
from click.testing import CliRunner
from conftest import logged_in, login, make_user, post_form
from pypdf import PdfReader
from test_certificate_render import qr_encodes, read_qr

from elearn.certificates import did_key, public_key_multibase, verify_credential
from elearn.certificates.credential import decode_status_list, status_bit, status_position
from elearn.certificates.jsonld import undefined_terms
from elearn.cli import main
from elearn.extensions import db
from elearn.models import AuditEvent, Certificate, CohortMember, User

BASE = "https://kruispunt.example.org"


def complete_path(app, client):
    helpers.complete_path(app, client)
    client.get("/paths/proefpad")
    with app.app_context():
        return db.session.query(Certificate).filter_by(user_id=client.user_id).one()


def join_cohort(app, trainer, learner):
    from elearn.trainer.cohorts import create_cohort

    with app.app_context():
        cohort = create_cohort(
            db.session.get(User, trainer.user_id),
            name="G",
            path_slug="proefpad",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=None,
            description="",
        )
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=learner.user_id))
        db.session.commit()


def status_bit_of(client, credential) -> bool:
    entry = credential["credentialStatus"]
    response = client.get(entry["statusListCredential"].removeprefix(BASE))
    assert response.status_code == 200
    listed = response.get_json()
    assert verify_credential(listed, [did_key_of(credential)]).ok
    return status_bit(decode_status_list(listed["credentialSubject"]["encodedList"]), int(entry["statusListIndex"]))


def did_key_of(credential) -> str:
    return credential["issuer"]["id"].removeprefix("did:key:")


def test_completion_issues_one_certificate_with_pdf_and_verify_page(app, learner):
    cert = complete_path(app, learner)
    learner.get("/paths/proefpad")
    with app.app_context():
        assert db.session.query(Certificate).count() == 1
        assert db.session.query(AuditEvent).filter_by(event="certificate.issued").count() == 1
        module = app.extensions["course"].module("proef")
    assert cert.learner_name == "Lea Leerling" and cert.path_title == "Proeftraject"
    assert cert.modules == [(module.title, module.minutes)]
    page = learner.get("/certificates")
    assert cert.code in page.get_data(as_text=True) and page.headers["X-Robots-Tag"] == "noindex, nofollow"
    pdf = learner.get(f"/certificates/{cert.code}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Lea Leerling" in text and "Proeftraject" in text and cert.code in text and "Attest" in text
    assert module.title in text
    assert qr_encodes(read_qr(pdf.data), f"{BASE}/verify/{cert.code}")
    again = learner.get(f"/certificates/{cert.code}.pdf")
    assert again.data == pdf.data
    verify = learner.get(f"/verify/{cert.code}")
    html = verify.get_data(as_text=True)
    assert "Geldig" in html and "Lea Leerling" in html and "leerling@example.org" not in html
    assert (
        '<meta name="robots" content="noindex, nofollow">' in html
        and verify.headers["X-Robots-Tag"] == "noindex, nofollow"
    )
    from elearn.certificates.data import format_hours

    assert f"<li>{module.title} ({format_hours(round(module.minutes / 60, 1), 'nl')})</li>" in html


def test_pdf_is_rebuilt_from_the_database_on_any_server(app, make_app, learner, tmp_path):
    cert = complete_path(app, learner)
    first = learner.get(f"/certificates/{cert.code}.pdf").data
    for stored in (tmp_path / "issued").glob("*.pdf"):
        stored.unlink()
    assert learner.get(f"/certificates/{cert.code}.pdf").data == first
    # Another server (no shared folder) with the public URL moved: the new URL is printed, not a stale copy.
    moved = make_app(PUBLIC_BASE_URL="https://leren.example.be", CERTIFICATE_STORE=str(tmp_path / "other"))
    client = moved.test_client()
    login(client, "leerling@example.org")
    pdf = client.get(f"/certificates/{cert.code}.pdf").data
    assert qr_encodes(read_qr(pdf), f"https://leren.example.be/verify/{cert.code}")
    credential = client.get(f"/certificates/{cert.code}.json").get_json()
    assert credential["id"] == f"https://leren.example.be/verify/{cert.code}"
    assert credential["credentialStatus"]["statusListCredential"].startswith("https://leren.example.be/status/")


def test_other_learner_cannot_download(app, learner, other_learner):
    cert = complete_path(app, learner)
    assert other_learner.get(f"/certificates/{cert.code}.pdf").status_code == 404
    assert other_learner.get(f"/certificates/{cert.code}.json").status_code == 404


def test_cohort_trainer_revokes_page_shows_date_not_reason_and_the_status_bit_flips(
    app, learner, trainer, other_trainer, client
):
    cert = complete_path(app, learner)
    credential = learner.get(f"/certificates/{cert.code}.json").get_json()
    assert status_bit_of(client, credential) is False
    assert trainer.get(f"/certificates/{cert.code}/revoke").status_code == 404  # not their learner yet
    join_cohort(app, trainer, learner)
    assert other_trainer.get(f"/certificates/{cert.code}/revoke").status_code == 404
    empty = post_form(trainer, f"/certificates/{cert.code}/revoke", {"reason": ""})
    assert empty.status_code == 400
    response = post_form(trainer, f"/certificates/{cert.code}/revoke", {"reason": "Toets door iemand anders gemaakt"})
    assert response.status_code == 302
    page = client.get(f"/verify/{cert.code}").get_data(as_text=True)
    with app.app_context():
        revoked_at = db.session.get(Certificate, cert.id).revoked_at
        event = db.session.query(AuditEvent).filter_by(event="certificate.revoked").one()
        assert event.actor_id == trainer.user_id and event.details == "Toets door iemand anders gemaakt"
    assert "Ingetrokken" in page and f"{revoked_at.day} " in page and "Toets door iemand anders" not in page
    facts = client.get(f"/verify/{cert.code}.json").get_json()
    assert facts["status"] == "revoked" and facts["revoked_on"] == revoked_at.date().isoformat()
    assert "reason" not in json.dumps(facts) and "Toets door" not in json.dumps(facts)
    assert status_bit_of(client, credential) is True  # the downloaded credential now reads as revoked
    assert client.get("/verify/ONBEKEND").status_code == 404


def test_verify_answers_json_by_accept_header_or_suffix(app, learner, client):
    cert = complete_path(app, learner)
    by_header = client.get(f"/verify/{cert.code}", headers={"Accept": "application/json"})
    by_suffix = client.get(f"/verify/{cert.code.lower()}.json")
    assert by_header.mimetype == by_suffix.mimetype == "application/json"
    assert by_header.headers["X-Robots-Tag"] == "noindex, nofollow" and "Accept" in by_header.headers["Vary"]
    facts = by_suffix.get_json()
    assert by_header.get_json() == facts
    assert facts["status"] == "valid" and facts["holder"] == "Lea Leerling" and facts["path"] == "Proeftraject"
    assert facts["completed_on"] == cert.completed_on.isoformat() and facts["hours"] == cert.hours
    assert facts["revoked_on"] is None and facts["verify_url"] == f"{BASE}/verify/{cert.code}"
    credential = learner.get(f"/certificates/{cert.code}.json").get_json()
    assert facts["credential_status"] == {
        k: credential["credentialStatus"][k] for k in ("statusListCredential", "statusListIndex")
    }
    assert client.get(f"/verify/{cert.code}", headers={"Accept": "text/html,*/*"}).mimetype == "text/html"
    missing = client.get("/verify/NOPE.json")
    assert missing.status_code == 404 and missing.get_json()["status"] == "unknown"
    erase = post_form(
        learner, "/account/erase", {"confirm": "y", "password": "een-sterk-wachtwoord-42"}, token_from="/account"
    )
    assert erase.status_code == 302
    facts = client.get(f"/verify/{cert.code}.json").get_json()
    assert facts["holder"] is None and facts["holder_erased"] is True and "Lea" not in json.dumps(facts)


def test_hours_are_written_once_in_the_readers_language(app, learner, client):
    cert = complete_path(app, learner)
    for hours, dutch, english in ((1.0, "1 uur", "1 hour"), (1.5, "1,5 uur", "1.5 hours")):
        with app.app_context():
            db.session.get(Certificate, cert.id).hours = hours
            db.session.commit()
        nl = client.get(f"/verify/{cert.code}", headers={"Accept-Language": "nl"}).get_data(as_text=True)
        en = client.get(f"/verify/{cert.code}", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert f"<dd>{dutch}</dd>" in nl and f"<dd>{english}</dd>" in en
        assert "1.0 uur" not in nl and "hours</dd>" not in en.replace("1.5 hours</dd>", "")
        assert dutch in learner.get("/certificates").get_data(as_text=True)
        assert (
            client.get(f"/verify/{cert.code}.json", headers={"Accept-Language": "en"}).get_json()["hours_text"]
            == english
        )
        credential = learner.get(f"/certificates/{cert.code}.json").get_json()
        assert dutch in credential["credentialSubject"]["achievement"]["criteria"]["narrative"]


def test_valid_from_is_the_exact_issue_moment_in_utc(app, learner, monkeypatch):
    moment = datetime.datetime(2026, 11, 22, 23, 30, 15)  # 00:30 on 23 November in Brussels
    monkeypatch.setattr("elearn.certs.service.utcnow", lambda: moment)
    cert = complete_path(app, learner)
    assert cert.completed_on == datetime.date(2026, 11, 23) and cert.issued_at == moment
    credential = learner.get(f"/certificates/{cert.code}.json").get_json()
    assert (
        credential["validFrom"] == "2026-11-22T23:30:15Z"
        and credential["proof"][0]["created"] == credential["validFrom"]
    )


def test_production_refuses_to_issue_without_a_public_url(make_app, caplog):
    app = make_app(PUBLIC_BASE_URL=None)
    learner = logged_in(app, "leerling@example.org", "Lea Leerling")
    with caplog.at_level(logging.ERROR, logger="elearn.certs.service"):
        helpers.complete_path(app, learner)
        assert learner.get("/paths/proefpad").status_code == 200
    with app.app_context():
        assert db.session.query(Certificate).count() == 0
    assert "ELEARN_PUBLIC_BASE_URL" in caplog.text
    for url in ("/issuer.json", "/status/revocation/1"):
        response = learner.get(url)
        assert response.status_code == 503 and "ELEARN_PUBLIC_BASE_URL" in response.get_data(as_text=True)
    app.config["PUBLIC_BASE_URL"] = BASE  # once configured, finishing from the path page issues it
    assert post_form(learner, "/paths/proefpad/complete", {}, token_from="/paths/proefpad").status_code == 302
    with app.app_context():
        assert db.session.query(Certificate).count() == 1


def test_issuer_profile_and_status_list_are_public_cacheable_and_defined(app, learner, client):
    cert = complete_path(app, learner)
    credential = learner.get(f"/certificates/{cert.code}.json").get_json()
    issuer = client.get("/issuer.json")
    assert issuer.headers["Access-Control-Allow-Origin"] == "*" and "max-age" in issuer.headers["Cache-Control"]
    profile = issuer.get_json()
    assert profile["id"] == credential["issuer"]["id"] and undefined_terms(profile) == []
    assert profile["verificationMethod"][0]["id"] == credential["proof"][0]["verificationMethod"]
    url = credential["credentialStatus"]["statusListCredential"].removeprefix(BASE)
    assert url == "/status/revocation/1" and status_position(cert.id) == (
        1,
        int(credential["credentialStatus"]["statusListIndex"]),
    )
    listed = client.get(url)
    assert (
        listed.headers["Cache-Control"] == "public, max-age=300"
        and listed.headers["Access-Control-Allow-Origin"] == "*"
    )
    assert listed.headers["ETag"] and listed.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": listed.headers["ETag"]}).status_code == 304
    assert client.get(url).data == listed.data  # the same revocations give the same bytes
    assert client.get("/status/revocation/2").status_code == 404
    assert client.get("/status/revocation/0").status_code == 404
    assert client.get("/status/revocation/99999999999999999999").status_code == 404


def test_cli_list_json_credential_and_revoke(app, learner, client):
    cert = complete_path(app, learner)
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["certificates", "list"])
    assert cert.code in listed.output and "valid" in listed.output
    rows = json.loads(runner.invoke(args=["certificates", "list", "--json"]).output)
    assert rows == [
        {
            "code": cert.code,
            "holder": "Lea Leerling",
            "path": "proefpad",
            "issued": cert.issued_at.replace(microsecond=0).isoformat() + "Z",
            "revoked": None,
        }
    ]
    printed = runner.invoke(args=["certificates", "credential", cert.code.lower()])
    assert (
        printed.exit_code == 0
        and json.loads(printed.output) == learner.get(f"/certificates/{cert.code}.json").get_json()
    )
    assert runner.invoke(args=["certificates", "credential", "NOPE"]).exit_code != 0
    revoked = runner.invoke(args=["certificates", "revoke", cert.code, "--reason", "Vergissing"])
    assert revoked.exit_code == 0
    assert "Ingetrokken" in client.get(f"/verify/{cert.code}").get_data(as_text=True)
    rows = json.loads(runner.invoke(args=["certificates", "list", "--json"]).output)
    assert rows[0]["revoked"] is not None
    missing = runner.invoke(args=["certificates", "revoke", "NOPE", "--reason", "x"])
    assert missing.exit_code != 0


def test_cli_verify_checks_proofs_schema_and_status(app, learner, admin, tmp_path):
    cert = complete_path(app, learner)
    credential = learner.get(f"/certificates/{cert.code}.json").get_json()
    (tmp_path / "good.json").write_text(json.dumps(credential))
    tampered = json.loads(json.dumps(credential))
    tampered["credentialSubject"]["name"] = "Lea Leerlinh"
    (tmp_path / "bad.json").write_text(json.dumps(tampered))
    unschematic = json.loads(json.dumps(credential))
    unschematic["proof"] = unschematic["proof"][0]  # the 1EdTech schema wants an array
    (tmp_path / "object.json").write_text(json.dumps(unschematic))
    (tmp_path / "not.json").write_text("{not json")
    runner = app.test_cli_runner()

    def verify(name, *extra):
        return runner.invoke(args=["certificates", "verify", str(tmp_path / name), *extra])

    good = verify("good.json")
    assert good.exit_code == 0, good.output
    assert good.output.splitlines() == [
        f"proof: valid: signed by {credential['proof'][0]['verificationMethod']}",
        "schema: valid",
        f"status: not revoked (bit {credential['credentialStatus']['statusListIndex']} of "
        f"{credential['credentialStatus']['statusListCredential']})",
    ]
    bad = verify("bad.json")
    assert bad.exit_code == 1 and bad.output.startswith("proof: tampered")
    wrong_shape = verify("object.json")
    assert wrong_shape.exit_code == 1 and "schema: invalid: proof" in wrong_shape.output
    assert verify("not.json").exit_code != 0
    post_form(admin, f"/certificates/{cert.code}/revoke", {"reason": "Vergissing"})
    revoked = verify("good.json")
    assert revoked.exit_code == 1 and "status: revoked" in revoked.output and "proof: valid" in revoked.output
    (tmp_path / "issuer.json").write_bytes(learner.get("/issuer.json").data)
    with_issuer = verify("good.json", "--issuer", str(tmp_path / "issuer.json"))
    assert "proof: valid" in with_issuer.output
    offline = CliRunner().invoke(main, ["certificates", "verify", str(tmp_path / "good.json"), "--offline"])
    assert offline.exit_code in (1, 2)  # another installation: its own keys do not include this issuer's


def test_key_rotation_keeps_old_credentials_verifying(app, learner, tmp_path):
    cert = complete_path(app, learner)
    old = learner.get(f"/certificates/{cert.code}.json").get_json()
    (tmp_path / "old.json").write_text(json.dumps(old))
    runner = app.test_cli_runner()
    rotated = runner.invoke(args=["certificates", "rotate-key"])
    assert rotated.exit_code == 0 and old["issuer"]["id"] in rotated.output
    new = learner.get(f"/certificates/{cert.code}.json").get_json()
    assert new["issuer"]["id"] != old["issuer"]["id"]
    profile = learner.get("/issuer.json").get_json()
    assert [m["controller"] for m in profile["verificationMethod"]] == [new["issuer"]["id"], old["issuer"]["id"]]
    result = runner.invoke(args=["certificates", "verify", str(tmp_path / "old.json")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from elearn.certs.service import trusted_keys

        assert trusted_keys()[1] == did_key_of(old) and public_key_multibase(trusted_keys()[0]) == did_key_of(new)
        assert did_key(trusted_keys()[0]) == new["issuer"]["id"]


def test_issue_service_for_demo_data(app):
    from elearn.certs.service import issue

    with app.app_context():
        user = db.session.get(User, make_user(app))
        path = app.extensions["course"].path("proefpad")
        cert = issue(user, path, post_test_percent=90)
        db.session.commit()
        assert issue(user, path) is cert and cert.post_test_percent == 90 and cert.modules


def test_serve_script_points_certificates_to_the_port_it_serves_on(tmp_path):
    """scripts/serve.sh with PORT=5101 makes certificates name http://127.0.0.1:5101 (set URLs win).

    The script runs in a copy of its folder layout whose set-up and ``elearn`` are stand-ins that
    record what they were given."""
    import os
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    (tmp_path / "scripts").mkdir()
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(root / "scripts" / "serve.sh", tmp_path / "scripts" / "serve.sh")
    (tmp_path / "scripts" / "setup.sh").write_text("#!/usr/bin/env bash\n")
    (tmp_path / ".venv" / "bin" / "elearn").write_text(
        '#!/usr/bin/env bash\necho "elearn $* url=$ELEARN_PUBLIC_BASE_URL" >> "$(dirname "$0")/calls"\n'
    )
    for script in ("scripts/serve.sh", "scripts/setup.sh", ".venv/bin/elearn"):
        (tmp_path / script).chmod(0o755)

    def serve(**env):
        calls = tmp_path / ".venv" / "bin" / "calls"
        calls.unlink(missing_ok=True)
        environment = {k: v for k, v in os.environ.items() if k not in ("PORT", "HOST", "ELEARN_PUBLIC_BASE_URL")}
        subprocess.run(
            ["bash", str(tmp_path / "scripts" / "serve.sh")],
            env={**environment, **env},
            check=True,
            capture_output=True,
            timeout=60,
        )
        return calls.read_text().splitlines()[-1]

    assert serve(PORT="5101") == "elearn run --host 127.0.0.1 --port 5101 url=http://127.0.0.1:5101"
    assert serve().endswith("--port 5000 url=http://127.0.0.1:5000")
    assert serve(PORT="5101", ELEARN_PUBLIC_BASE_URL="https://kruispunt.example.org").endswith(
        "url=https://kruispunt.example.org"
    )


def test_path_study_load_has_the_right_unit_in_both_languages(app, client):
    minutes = app.extensions["course"].path("proefpad").minutes
    for language, expected in (
        ("nl", {60: "1 uur", 90: "1,5 uur", 37: "0,6 uur"}),
        ("en", {60: "1 hour", 90: "1.5 hours", 37: "0.6 hours"}),
    ):
        with app.test_request_context(headers={"Accept-Language": language}):
            study_minutes = app.jinja_env.filters["study_minutes"]
            assert {m: study_minutes(m) for m in expected} == expected
            shown = study_minutes(minutes)
        page = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
        assert ("ongeveer " if language == "nl" else "about ") + shown in page
        assert "hours hours" not in page and "uur uur" not in page


def test_the_published_certificate_reads_as_the_stored_one(app, learner):
    from elearn.certs.service import find, find_published, public_facts

    cert = complete_path(app, learner)
    with app.test_request_context():
        stored, published = find(cert.code), find_published(f" {cert.code.lower()} ")
        names = [c.key for c in Certificate.__table__.columns]
        assert [getattr(published, n) for n in names] == [getattr(stored, n) for n in names]
        assert published.modules == stored.modules and published.modules
        assert public_facts(published) == public_facts(stored)
        assert find_published("GEEN-CODE") is None

"""Certificates end to end over HTTP: issue once, PDF, verify page, revoke, signed credential."""
import io
import json

from click.testing import CliRunner
from pypdf import PdfReader

from conftest import get_token, post_form
import helpers
from test_certificate_render import qr_encodes, read_qr


from elearn.cli import main
from elearn.extensions import db
from elearn.models import AuditEvent, Certificate, CohortMember


def complete_path(app, client):
    helpers.complete_path(app, client)
    client.get("/paths/proefpad")
    with app.app_context():
        return db.session.query(Certificate).filter_by(user_id=client.user_id).one()


def test_completion_issues_one_certificate_with_pdf_and_verify_page(app, learner):
    cert = complete_path(app, learner)
    learner.get("/paths/proefpad")
    with app.app_context():
        assert db.session.query(Certificate).count() == 1
        assert db.session.query(AuditEvent).filter_by(event="certificate.issued").count() == 1
    assert cert.learner_name == "Lea Leerling" and cert.path_title == "Proeftraject"
    page = learner.get("/certificates").get_data(as_text=True)
    assert cert.code in page
    pdf = learner.get(f"/certificates/{cert.code}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Lea Leerling" in text and "Proeftraject" in text and cert.code in text
    assert qr_encodes(read_qr(pdf.data), f"https://kruispunt.example.org/verify/{cert.code}")
    again = learner.get(f"/certificates/{cert.code}.pdf")
    assert again.data == pdf.data
    verify = learner.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "Geldig" in verify and "Lea Leerling" in verify and "leerling@example.org" not in verify


def test_missing_pdf_is_rendered_again_identically(app, learner, tmp_path):
    cert = complete_path(app, learner)
    first = learner.get(f"/certificates/{cert.code}.pdf").data
    stored = next((tmp_path / "issued").glob("*.pdf"))
    stored.unlink()
    assert learner.get(f"/certificates/{cert.code}.pdf").data == first


def test_other_learner_cannot_download(app, learner, other_learner):
    cert = complete_path(app, learner)
    assert other_learner.get(f"/certificates/{cert.code}.pdf").status_code == 404
    assert other_learner.get(f"/certificates/{cert.code}.json").status_code == 404


def test_cohort_trainer_revokes_and_verify_says_revoked(app, learner, trainer, other_trainer):
    cert = complete_path(app, learner)
    assert trainer.get(f"/certificates/{cert.code}/revoke").status_code == 404  # not their learner yet
    with app.app_context():
        from elearn.trainer.cohorts import create_cohort
        from elearn.models import User
        import datetime
        cohort = create_cohort(db.session.get(User, trainer.user_id), name="G", path_slug="proefpad",
                               starts_on=datetime.date(2026, 1, 1), ends_on=None, description="")
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=learner.user_id))
        db.session.commit()
    assert other_trainer.get(f"/certificates/{cert.code}/revoke").status_code == 404
    empty = post_form(trainer, f"/certificates/{cert.code}/revoke", {"reason": ""})
    assert empty.status_code == 400
    response = post_form(trainer, f"/certificates/{cert.code}/revoke", {"reason": "Toets door iemand anders gemaakt"})
    assert response.status_code == 302
    page = learner.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "Ingetrokken" in page and "Toets door iemand anders gemaakt" in page
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(event="certificate.revoked").one()
        assert event.actor_id == trainer.user_id
    assert learner.get("/verify/ONBEKEND").status_code == 404


def test_credential_verifies_offline_and_detects_tampering(app, learner, tmp_path, monkeypatch):
    cert = complete_path(app, learner)
    credential = json.loads(learner.get(f"/certificates/{cert.code}.json").data)
    assert credential["credentialSubject"]["name"] == "Lea Leerling"
    issuer = learner.get("/issuer.json")
    (tmp_path / "issuer.json").write_bytes(issuer.data)
    (tmp_path / "good.json").write_text(json.dumps(credential))
    credential["credentialSubject"]["name"] = "Lea Leerlinh"
    (tmp_path / "bad.json").write_text(json.dumps(credential))
    runner = CliRunner()
    good = runner.invoke(main, ["certificates", "verify", str(tmp_path / "good.json"), "--public-key", str(tmp_path / "issuer.json")])
    bad = runner.invoke(main, ["certificates", "verify", str(tmp_path / "bad.json"), "--public-key", str(tmp_path / "issuer.json")])
    assert good.exit_code == 0 and good.output.startswith("valid")
    assert bad.exit_code == 1 and bad.output.startswith("tampered")


def test_cli_list_and_revoke(app, learner, monkeypatch):
    cert = complete_path(app, learner)
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["certificates", "list"])
    assert cert.code in listed.output and "valid" in listed.output
    revoked = runner.invoke(args=["certificates", "revoke", cert.code, "--reason", "Vergissing"])
    assert revoked.exit_code == 0
    assert "Vergissing" in learner.get(f"/verify/{cert.code}").get_data(as_text=True)
    missing = runner.invoke(args=["certificates", "revoke", "NOPE", "--reason", "x"])
    assert missing.exit_code != 0

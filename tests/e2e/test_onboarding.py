"""A new colleague follows a trainer's invite link through registration and confirmation into the
group; the account page names every field once."""

from __future__ import annotations

import datetime

from elearn.auth.service import create_user
from elearn.extensions import db
from elearn.models import CohortMember, User
from elearn.trainer.cohorts import create_cohort, display_code

from .checks import check_page
from .test_journeys import PASSWORD, log_in, register


def test_new_colleague_follows_the_invite_into_the_group(new_page, live):
    with live.app_context():
        owner = create_user("trainer.invite@example.org", "Ilse Opleider", PASSWORD, role="trainer", verified=True)
        owner.organisation = "CAW Oost-Brabant"
        db.session.flush()
        cohort = create_cohort(
            owner,
            name="Vorming Leuven",
            path_slug="basis",
            starts_on=datetime.date(2026, 12, 1),
            ends_on=None,
            description="",
        )
        db.session.commit()
        code, cohort_id = cohort.invite_code, cohort.id
    page = new_page()
    page.goto(f"/trainer/join/{code}")
    check_page(page, "invitation")
    main = page.inner_text("main")
    assert "Vorming Leuven" in main and "CAW Oost-Brabant" in main
    page.click("text=Account aanmaken")
    check_page(page, "register-invited")
    assert "Vorming Leuven" in page.inner_text("main")
    mail, link = register(
        page, live, "Nadia Nieuw", "nadia.invite@example.org", "CAW Oost-Brabant", "check-mail-invited"
    )
    assert mail["to"] == "nadia.invite@example.org" and "Vorming Leuven" in mail["body"]
    page.goto(link)
    assert page.url.endswith("/paths/basis")
    check_page(page, "invited-path")
    assert "Je bent aangesloten bij Vorming Leuven" in page.inner_text("main")
    with live.app_context():
        user = db.session.query(User).filter_by(email="nadia.invite@example.org").one()
        assert db.session.get(CohortMember, (cohort_id, user.id)) is not None
    assert display_code(code).count(" ") == 2  # shown to trainers in groups of four


def test_account_page_names_every_field_once(new_page, live):
    with live.app_context():
        create_user("account.e2e@example.org", "Ann Account", PASSWORD, verified=True)
        db.session.commit()
    page = new_page()
    log_in(page, "account.e2e@example.org")
    page.goto("/account")
    check_page(page, "account-fields")
    for name in (
        "Naam (zoals op je attest)",
        "Organisatie",
        "Sector",
        "Huidig wachtwoord",
        "Nieuw wachtwoord",
        "Herhaal wachtwoord",
        "Wachtwoord ter bevestiging",
        "Ik begrijp dat dit niet ongedaan kan worden",
    ):
        assert page.get_by_label(name, exact=True).count() == 1, name
    unnamed = page.evaluate("""() => [...document.querySelectorAll(
          'main input:not([type=hidden]):not([type=submit]), main select')]
        .filter(e => !e.labels.length && !e.getAttribute('aria-label')).map(e => e.id)""")
    assert unnamed == []

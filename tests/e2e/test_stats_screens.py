"""The trainer's dashboard and summary at desktop and phone widths, with a realistic cohort."""

from __future__ import annotations

import datetime
import json
import random

from elearn.auth.service import create_user
from elearn.extensions import db
from elearn.models import (
    AttemptAnswer,
    CohortMember,
    QuizAttempt,
    SectionRead,
    SurveyAnswer,
    SurveyResponse,
    User,
    utcnow,
)
from elearn.trainer.cohorts import create_cohort

from .checks import check_page
from .test_journeys import PASSWORD, log_in

NAMES = [
    "Anne-Sophie Vandenbroucke-De Wilde",
    "Mohammed El Amrani",
    "Jef Peeters",
    "Lieselotte Verstraeten",
    "Kobe Janssens",
    "Fatima Zahra Benali",
    "Ruben Claes",
    "Eline Wouters",
]

# every word of a header (and every number of a statistics table) on one line: a word split
# over two lines has boxes at two heights
WORDS_BROKEN = """() => [...document.querySelectorAll('table thead th, .stats-table td.num')].flatMap(th => {
  const out = []; const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) { const node = walker.currentNode; const re = /\\S+/g; let m;
    while ((m = re.exec(node.data))) { const r = document.createRange(); r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length); const tops = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
      if (tops.size > 1) out.push(m[0]); } }
  return out; })"""
TABLE_OVERFLOW = """() => [...document.querySelectorAll('.table-scroll')].map(e => e.scrollWidth - e.clientWidth)"""


def _seed(app) -> int:
    """A cohort on the full path: eight learners with first pre/post attempts, scales and reading."""
    rng = random.Random(7)
    course = app.extensions["course"]
    now = utcnow()
    with app.app_context():
        owner = create_user("stats.e2e@example.org", "Sam Statistiek", PASSWORD, role="trainer", verified=True)
        db.session.flush()
        cohort = create_cohort(
            owner,
            name="Vorming Brussel",
            path_slug="volledig",
            starts_on=datetime.date(2026, 10, 1),
            ends_on=None,
            description="",
        )
        for n, name in enumerate(NAMES):
            user = create_user(f"stats{n}.e2e@example.org", name, PASSWORD, verified=True)
            user.organisation = "CAW Brussel — Centrum Algemeen Welzijnswerk, team Onthaal"
            db.session.flush()
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, joined_at=now))
            for slug in course.path("volledig").modules[: n % 4]:
                for section in course.module(slug).sections:
                    db.session.add(
                        SectionRead(
                            user_id=user.id, module_slug=slug, section_id=section.id, content_version="x", read_at=now
                        )
                    )
            for quiz_id, base in (("pre-volledig", 0.45), ("post-volledig", 0.75)):
                quiz = course.quizzes[quiz_id]
                attempt = QuizAttempt(
                    user_id=user.id,
                    quiz_id=quiz_id,
                    kind=quiz_id[:3] + "test",
                    seed=1,
                    content_version="x",
                    started_at=now,
                    submitted_at=now,
                    passed=True,
                )
                db.session.add(attempt)
                db.session.flush()
                credits = [float(rng.random() < base) for _q in quiz.questions]
                attempt.score = 100 * sum(credits) / len(credits)
                for q, credit in zip(quiz.questions, credits):
                    db.session.add(
                        AttemptAnswer(
                            attempt_id=attempt.id,
                            question_id=q.id,
                            credit=credit,
                            response=json.dumps([q.options[0].id] if q.options else {}),
                            saved_at=now,
                        )
                    )
            for phase, base in (("pre", 2), ("post", 4)):
                response = SurveyResponse(user_id=user.id, path_slug="volledig", phase=phase, submitted_at=now)
                db.session.add(response)
                db.session.flush()
                for item in course.confidence.items:
                    db.session.add(
                        SurveyAnswer(response_id=response.id, item_id=item.id, value=min(5, base + rng.randint(0, 1)))
                    )
        db.session.commit()
        assert db.session.query(User).filter(User.email.like("stats%")).count() == len(NAMES) + 1
        return cohort.id


def test_dashboard_and_summary_fit_desktop_and_phone(new_page, live):
    cohort_id = _seed(live)
    page = new_page(1280, 900)
    log_in(page, "stats.e2e@example.org")

    page.goto(f"/trainer/cohorts/{cohort_id}")
    # at 1,280 px every column, Actions included, is visible without scrolling the table
    assert page.evaluate(TABLE_OVERFLOW) == [0]
    actions = page.locator("table.dashboard tbody tr").first.locator("button")
    assert actions.is_visible() and actions.bounding_box()["x"] + actions.bounding_box()["width"] <= 1280
    assert page.evaluate(WORDS_BROKEN) == []
    check_page(page, "stats-dashboard")

    page.goto(f"/trainer/cohorts/{cohort_id}/summary")
    assert page.locator("#knowledge-title").count() == 1 and page.locator("#confidence-title").count() == 1
    assert page.evaluate(WORDS_BROKEN) == []
    # the "before" bars take their colour from the stylesheet, with 3:1 contrast on white
    assert page.locator(".chart .bar-before").first.evaluate("e => getComputedStyle(e).fill") == "rgb(91, 143, 154)"
    check_page(page, "stats-summary")

    phone = new_page(375, 800)
    log_in(phone, "stats.e2e@example.org")
    for url, name in (
        (f"/trainer/cohorts/{cohort_id}", "stats-dashboard-phone"),
        (f"/trainer/cohorts/{cohort_id}/summary", "stats-summary-phone"),
    ):
        phone.goto(url)
        # tables become stacked cards: rows are blocks, nothing scrolls sideways
        assert phone.locator("tbody tr").first.evaluate("e => getComputedStyle(e).display") == "block"
        assert all(overflow <= 0 for overflow in phone.evaluate(TABLE_OVERFLOW))
        check_page(phone, name)
    # chart text stays readable at phone width: at least 11 px on screen
    sizes = phone.evaluate(
        """() => [...document.querySelectorAll('.chart text')].map(t => t.getBoundingClientRect().height)"""
    )
    assert sizes and min(sizes) >= 11

    # the same in English, whose words are longer in places
    page.click("button:has-text('English')")
    for url, name in (
        (f"/trainer/cohorts/{cohort_id}", "stats-dashboard-en"),
        (f"/trainer/cohorts/{cohort_id}/summary", "stats-summary-en"),
    ):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en-GB"
        assert page.evaluate(WORDS_BROKEN) == []
        check_page(page, name)
    page.goto(f"/trainer/cohorts/{cohort_id}")
    assert page.evaluate(TABLE_OVERFLOW) == [0]


def test_audit_log_reads_in_words(new_page, live):
    with live.app_context():
        create_user("audit.e2e@example.org", "Ada Beheer", PASSWORD, role="admin", verified=True)
        db.session.commit()
    page = new_page(1280, 900)
    log_in(page, "audit.e2e@example.org")
    page.goto("/admin/audit")
    assert "Aangemeld" in page.inner_text("table tbody") and "login.succeeded" not in page.inner_text("table")
    assert page.evaluate(WORDS_BROKEN) == []
    check_page(page, "audit-log")

"""Journeys through the real course in Chromium, with axe-core on every page visited."""

from __future__ import annotations

import re

from elearn.auth.service import create_user
from elearn.extensions import db

from .checks import check_page

PASSWORD = "e2e-wachtwoord-2026"


def _shown_question(live, page):
    """The question on the page as the attempt shows it (its options in the attempt's order)."""
    from elearn.models import QuizAttempt
    from elearn.quiz.service import shown_questions

    attempt_id, number = map(int, re.search(r"/attempt/(\d+)/(\d+)", page.url).groups())
    with live.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        quiz = live.extensions["course"].quizzes[attempt.quiz_id].for_form(attempt.form)
        return shown_questions(quiz, attempt.seed)[number - 1]


def _run_position(live, page, node, choice) -> str:
    """The form value of a vignette choice: its position in the run's shown order."""
    from elearn.models import VignetteRun
    from elearn.quiz.vignette_service import shown_choices

    run_id = int(re.search(r"/vignettes/run/(\d+)", page.url).group(1))
    with live.app_context():
        shown = shown_choices(db.session.get(VignetteRun, run_id), node)
    return str([c.id for c in shown].index(choice.id) + 1)


def _fill(page, shown, correct: bool):
    """Answer as a learner clicks: forms post positions in the shown order, not option ids."""
    question = shown.question
    if question.type == "truefalse":
        option = next(o for o in question.options if o.correct == correct)
        page.check(f"input[name=answer][value='{option.id}']")
    elif question.type == "single":
        position = next(i for i, o in enumerate(shown.options, 1) if o.correct == correct)
        page.check(f"input[name=answer][value='{position}']")
    elif question.type == "multiple":
        for i, o in enumerate(shown.options, 1):
            box = page.locator(f"input[name=answer][value='{i}']")
            box.check() if o.correct == correct else box.uncheck()
    else:
        position = {rid: str(i) for i, (rid, _text) in enumerate(shown.rights, 1)}
        ids = [p.id for p in question.pairs]
        for i, pair in enumerate(question.pairs):
            page.select_option(f"#match-{pair.id}", position[pair.id if correct else ids[(i + 1) % len(ids)]])


def take_quiz(page, live, quiz_id: str, correct: bool, name: str):
    """Start (or retake) a quiz from its overview page and submit it; returns the review page text."""
    page.goto(f"/quiz/{quiz_id}")
    check_page(page, f"{name}-overview")
    page.locator("main button[type=submit]").first.click()
    first = True
    while "/submit" not in page.url:
        if first:
            check_page(page, f"{name}-question")
            first = False
        _fill(page, _shown_question(live, page), correct)
        page.click("button[name=go][value=next]")
    check_page(page, f"{name}-confirm")
    page.click("main form[data-submit-once] button")
    page.wait_for_url(re.compile(r"/review$|/done$"))
    check_page(page, f"{name}-review")
    return page.inner_text("main")


def walk_vignette(page, live, vignette_id: str, name: str):
    vignette = live.extensions["course"].vignettes[vignette_id]
    page.goto(f"/vignettes/{vignette_id}")
    check_page(page, f"{name}-intro")
    page.locator("main button[type=submit]").last.click()
    while page.locator("input[name=node]").count():
        node = vignette.nodes[page.locator("input[name=node]").get_attribute("value")]
        best = max(node.choices, key=lambda c: sum(c.scores.values()))
        check_page(page, f"{name}-step")
        page.check(f"input[name=choice][value='{_run_position(live, page, node, best)}']")
        page.click("main form.question-form button[type=submit]")
    assert "Nabespreking" in page.inner_text("main")
    check_page(page, f"{name}-debrief")


def fill_confidence(page, path_slug: str, phase: str, value: int, name: str):
    page.goto(f"/paths/{path_slug}/confidence/{phase}")
    check_page(page, name)
    for group in page.locator("fieldset.likert").all():
        group.locator(f"input[value='{value}']").check()
    page.click("main form [type=submit]")
    check_page(page, f"{name}-result")


def log_in(page, email):
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def register(page, live, name: str, email: str, organisation: str, screenshot: str) -> tuple[dict, str]:
    """Fill in and send the registration form as a JAC worker; the confirmation mail and its link."""
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#organisation", organisation)
    page.select_option("#sector", "jeugd-welzijn")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("main form button[type=submit], main form input[type=submit]")
    check_page(page, screenshot)
    mail = live.extensions["outbox"][-1]
    return mail, re.search(r"https?://\S+/verify/email/\S+", mail["body"]).group(0)


def test_jac_worker_completes_the_basis_path(new_page, live):
    course = live.extensions["course"]
    page = new_page()
    page.goto("/")
    check_page(page, "home")
    page.click("text=Maak een account")
    check_page(page, "register")
    _mail, link = register(page, live, "Zoë Şahin-Nowak", "jac.e2e@example.org", "JAC Brussel", "check-mail")
    page.goto(link)
    assert "/paths" in page.url
    check_page(page, "paths")
    card = page.locator("li.card", has_text="Voorgesteld voor jouw sector")
    assert "Basis" in card.inner_text()
    card.locator("button").click()
    check_page(page, "path-start")

    pre = take_quiz(page, live, "pre-basis", correct=False, name="pretest")
    assert "Waar je het meest zal bijleren" in pre
    fill_confidence(page, "basis", "pre", 2, "confidence-pre")

    page.goto("/modules/basis")
    check_page(page, "module")
    page.click("text=Begin met lezen")
    module = course.module("basis")
    for i, _section in enumerate(module.sections):
        if i == 0:
            check_page(page, "section")
        page.click("form.section-nav button[type=submit]")
    assert "/sources" in page.url
    check_page(page, "sources")

    failed = take_quiz(page, live, "basis", correct=False, name="quiz-failed")
    assert "Nog niet geslaagd" in failed
    passed = take_quiz(page, live, "basis", correct=True, name="quiz-passed")
    assert "Geslaagd" in passed
    for vignette in course.vignettes_for("basis"):
        walk_vignette(page, live, vignette.id, f"vignette-{vignette.id}")

    post = take_quiz(page, live, "post-basis", correct=True, name="posttest")
    assert "Wat je bijleerde per module" in post
    fill_confidence(page, "basis", "post", 4, "confidence-post")
    assert page.url.endswith("/paths/basis/done")  # the last step lands on the completion page
    assert "Je attest staat klaar" in page.inner_text("main")

    page.goto("/paths/basis")
    assert "Traject afgerond" in page.inner_text("main")
    check_page(page, "path-complete")
    with page.expect_download() as download:
        page.click("text=Download het attest (PDF)")
    assert download.value.suggested_filename.endswith(".pdf")
    page.click("text=Controlepagina")
    assert "Geldig" in page.inner_text("main") and "Zoë Şahin-Nowak" in page.inner_text("main")
    check_page(page, "verify")
    page.goto("/certificates")
    check_page(page, "certificates")
    page.goto("/account")
    check_page(page, "account")


def test_trainer_runs_a_cohort(new_page, live):
    with live.app_context():
        create_user("trainer.e2e@example.org", "Toon Trainer", PASSWORD, role="trainer", verified=True)
        create_user("learner.e2e@example.org", "Lotte Leerling", PASSWORD, sector="drughulp", verified=True)
        db.session.commit()
    trainer = new_page()
    trainer.goto("/login")
    check_page(trainer, "login")
    log_in(trainer, "trainer.e2e@example.org")
    check_page(trainer, "cohorts")
    trainer.click("text=Nieuwe groep")
    check_page(trainer, "cohort-new")
    trainer.fill("#name", "Intervisie Antwerpen")
    trainer.select_option("#path_slug", "basis")
    trainer.fill("#starts_on", "2026-11-23")
    trainer.fill("#description", "Kwartaalgroep")
    trainer.click("main form input[type=submit], main form button[type=submit]")
    check_page(trainer, "cohort")
    code = trainer.locator("code.invite-code").first.inner_text().strip()
    trainer.click("text=Uitnodiging en opleiders")
    check_page(trainer, "cohort-manage")

    learner = new_page()
    log_in(learner, "learner.e2e@example.org")
    learner.goto("/trainer/join")
    check_page(learner, "join")
    learner.fill("#code", code)
    learner.click("main form input[type=submit], main form button[type=submit]")
    learner.goto("/modules/basis")
    learner.click("text=Begin met lezen")
    learner.click("form.section-nav button[type=submit]")

    trainer.goto(trainer.url.replace("/manage", ""))
    trainer.reload()
    row = trainer.locator("table.dashboard tbody tr", has_text="Lotte Leerling")
    assert row.count() == 1
    assert int(row.locator("progress").get_attribute("value")) > 0
    check_page(trainer, "dashboard")
    with trainer.expect_download() as download:
        trainer.click("text=Excel")
    assert download.value.suggested_filename.endswith(".xlsx")
    trainer.click("text=Samenvatting en analyse")
    check_page(trainer, "summary")


def test_language_switch_and_back(new_page):
    page = new_page()
    page.goto("/glossary")
    assert page.locator("html").get_attribute("lang") == "nl-BE"
    page.click("button:has-text('English')")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert "Glossary" in page.inner_text("h1")
    check_page(page, "glossary-en")
    page.click("button:has-text('Nederlands')")
    assert "Woordenlijst" in page.inner_text("h1")
    page.goto("/sociale-kaart")
    check_page(page, "referral-map")


def test_quiz_and_vignette_with_keyboard_only(new_page, live):
    with live.app_context():
        create_user("keys.e2e@example.org", "Kim Toetsenbord", PASSWORD, verified=True)
        db.session.commit()
    page = new_page()
    log_in(page, "keys.e2e@example.org")

    def tab_to(selector):
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("(sel) => document.activeElement && document.activeElement.matches(sel)", selector):
                return
        raise AssertionError(f"could not reach {selector} with Tab")

    page.goto("/quiz/basis")
    tab_to("main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/attempt/\d+/1$"))
    while "/submit" not in page.url:
        shown = _shown_question(live, page)
        question = shown.question
        if question.type in ("single", "truefalse"):
            target = (
                next(o for o in question.options if o.correct).id
                if question.type == "truefalse"
                else str(next(i for i, o in enumerate(shown.options, 1) if o.correct))
            )
            tab_to("input[name=answer]")
            for _ in range(10):
                if page.evaluate("document.activeElement.value") == target:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        elif question.type == "multiple":
            for i, o in enumerate(shown.options, 1):
                if o.correct:
                    tab_to(f"input[name=answer][value='{i}']")
                    page.keyboard.press("Space")
        else:
            position = {rid: str(i) for i, (rid, _text) in enumerate(shown.rights, 1)}
            for pair in question.pairs:
                tab_to(f"#match-{pair.id}")
                for _ in range(20):
                    if page.evaluate("document.activeElement.value") == position[pair.id]:
                        break
                    page.keyboard.press("ArrowDown")
        tab_to("button[name=go][value=next]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    tab_to("form[data-submit-once] button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/review$"))
    assert "Geslaagd" in page.inner_text("main")

    vignette = live.extensions["course"].vignettes_for("basis")[0]
    page.goto(f"/vignettes/{vignette.id}")
    tab_to("main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    while page.locator("input[name=node]").count():
        node = vignette.nodes[page.locator("input[name=node]").get_attribute("value")]
        best = max(node.choices, key=lambda c: sum(c.scores.values()))
        target = _run_position(live, page, node, best)
        tab_to("input[name=choice]")
        for _ in range(10):
            if page.evaluate("document.activeElement.value") == target:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        tab_to("form.question-form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert "Nabespreking" in page.inner_text("main")

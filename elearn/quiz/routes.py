"""Quiz and vignette pages. Each route parses, calls the service, renders."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..course import get_course
from ..extensions import db
from ..forms import ActionForm
from ..learn.finish import after_step
from ..questiontypes import InvalidAnswer, shown_question
from . import service, vignette_service

bp = Blueprint("quiz", __name__)


def _quiz_or_404(quiz_id: str):
    quiz = get_course().quizzes.get(quiz_id)
    if quiz is None:
        abort(404)
    return quiz


@bp.route("/quiz/<quiz_id>")
@login_required
def overview(quiz_id: str):
    """A quiz's overview: the learner's attempts, best score and whether they may start one (404: no
    such quiz)."""
    course = get_course()
    quiz = _quiz_or_404(quiz_id)
    summary = service.attempts_summary(current_user.id, quiz.id)
    return render_template(
        "quiz/overview.html",
        quiz=quiz,
        course=course,
        summary=summary,
        may_start=service.may_start(quiz, summary),
        form=ActionForm(),
    )


@bp.route("/quiz/<quiz_id>/start", methods=["POST"])
@login_required
def start(quiz_id: str):
    """Start an attempt (or resume the open one) and show its first question (404: no such quiz; 400
    without a valid token)."""
    quiz = _quiz_or_404(quiz_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = service.start_attempt(current_user.id, quiz)
    except service.AttemptLimitReached:
        flash(_("Je hebt geen pogingen meer voor deze toets."), "error")
        return redirect(url_for(".overview", quiz_id=quiz.id))
    current_user.note_activity()
    db.session.commit()
    return redirect(url_for(".question", attempt_id=attempt.id, number=1))


def _own_attempt(attempt_id: int, *, read_only: bool = False):
    """The signed-in learner's attempt and its quiz (a path test narrowed to the attempt's
    parallel form); 404 for anyone else's. ``read_only``: the attempt as a row, not an ORM object."""
    attempt = (service.get_attempt_row if read_only else service.get_attempt)(attempt_id, current_user.id)
    return attempt, _quiz_or_404(attempt.quiz_id).for_form(attempt.form)


@bp.route("/attempt/<int:attempt_id>/<int:number>", methods=["GET", "POST"])
@login_required
def question(attempt_id: int, number: int):
    """One question of the learner's own open attempt; POST saves the answer and moves on. A submitted
    attempt goes to its review (404: someone else's attempt or no such question; 400: an answer the
    question does not offer)."""
    # The CSRF token was checked before the view (CSRFProtect); the page only prints a token.
    attempt, quiz = _own_attempt(attempt_id, read_only=True)
    if attempt.submitted_at is not None:
        if request.method == "POST":
            flash(_("Deze poging is al ingediend; je antwoorden kunnen niet meer veranderen."), "error")
        return redirect(url_for(".review", attempt_id=attempt_id))
    order = service.question_order(quiz, attempt.seed)
    if not 1 <= number <= len(order):
        abort(404)
    current = order[number - 1]
    error = None
    status = 200
    if request.method == "POST":
        try:
            response = service.parse_answer(current, attempt.seed, request.form)
        except InvalidAnswer:
            error = _(
                "Dat antwoord hoort niet bij deze vraag. Kies een van de getoonde mogelijkheden; er is niets "
                "opgeslagen."
            )
            status = 400
        else:
            service.save_answer(attempt, current, response)
            current_user.note_activity()
            db.session.commit()
            if request.form.get("go") == "previous" and number > 1:
                return redirect(url_for(".question", attempt_id=attempt_id, number=number - 1))
            if number < len(order) and request.form.get("go") != "overview":
                return redirect(url_for(".question", attempt_id=attempt_id, number=number + 1))
            return redirect(url_for(".confirm", attempt_id=attempt_id))
    responses = service.load_responses(attempt.id)
    return render_template(
        "quiz/question.html",
        attempt=attempt,
        quiz=quiz,
        shown=shown_question(current, attempt.seed),
        number=number,
        total=len(order),
        response=responses.get(current.id),
        answered=len(service.answered_ids(responses) & {q.id for q in order}),
        error=error,
    ), status


@bp.route("/attempt/<int:attempt_id>/submit", methods=["GET", "POST"])
@login_required
def confirm(attempt_id: int):
    """The overview before submitting (answered and open questions); POST submits once and shows the
    review (404: someone else's attempt)."""
    attempt, quiz = _own_attempt(attempt_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        if attempt.submitted_at is None and service.submit_attempt(attempt, quiz):
            return after_step(url_for(".review", attempt_id=attempt.id))
        return redirect(url_for(".review", attempt_id=attempt.id))
    if attempt.submitted_at is not None:
        return redirect(url_for(".review", attempt_id=attempt.id))
    responses = service.load_responses(attempt.id)
    return render_template(
        "quiz/confirm.html",
        attempt=attempt,
        quiz=quiz,
        shown=service.shown_questions(quiz, attempt.seed),
        answered=service.answered_ids(responses),
        form=form,
    )


@bp.route("/attempt/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    """The scored attempt with feedback; 404 for anyone else's attempt."""
    course = get_course()
    attempt, quiz = _own_attempt(attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for(".confirm", attempt_id=attempt.id))
    result = service.review(course, current_user.id, attempt, quiz)
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        quiz=quiz,
        shown=result.shown,
        responses=result.responses,
        credits=result.credits,
        course=course,
        reveal=result.reveal,
        may_retake=result.may_retake,
        missed_modules=result.missed_modules,
        gains=result.gains,
        form=ActionForm(),
    )


@bp.route("/vignettes/<vignette_id>")
@login_required
def vignette(vignette_id: str):
    """A case vignette's introduction and the learner's last run (404: no such vignette)."""
    v = get_course().vignettes.get(vignette_id)
    if v is None:
        abort(404)
    run = vignette_service.latest_run(current_user.id, v.id)
    return render_template(
        "quiz/vignette.html", vignette=v, run=run, form=ActionForm(), module=get_course().module(v.module)
    )


@bp.route("/vignettes/<vignette_id>/start", methods=["POST"])
@login_required
def vignette_start(vignette_id: str):
    """Start a new run of the vignette with its own choice order (404: no such vignette; 400 without a
    valid token)."""
    v = get_course().vignettes.get(vignette_id)
    if v is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    run = vignette_service.start_run(current_user.id, v)
    current_user.note_activity()
    db.session.commit()
    return redirect(url_for(".run", run_id=run.id))


@bp.route("/vignettes/run/<int:run_id>", methods=["GET", "POST"])
@login_required
def run(run_id: int):
    """The learner's own run at its current situation, with feedback on the last choice; POST takes a
    choice (404: someone else's run; 400: a choice the situation does not offer)."""
    run = vignette_service.get_run(run_id, current_user.id)
    v = get_course().vignettes.get(run.vignette_id)
    if v is None:
        abort(404)
    form = ActionForm()
    error, status = None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            vignette_service.choose_shown(run, v, request.form.get("node", ""), request.form.get("choice", ""))
        except vignette_service.InvalidChoice:
            error, status = _("Die keuze hoort niet bij deze situatie. Kies een van de getoonde antwoorden."), 400
        else:
            current_user.note_activity()
            return after_step(url_for(".run", run_id=run.id))
    if run.node_id not in v.nodes:  # the case was rewritten after this run began
        flash(_("Deze casus werd aangepast nadat je eraan begon. Begin hem opnieuw."), "info")
        return redirect(url_for(".vignette", vignette_id=v.id))
    steps = vignette_service.taken_steps(run, v)
    node = v.nodes[run.node_id]
    return render_template(
        "quiz/run.html",
        vignette=v,
        run=run,
        node=node,
        steps=steps,
        choices=vignette_service.shown_choices(run, node),
        last=steps[-1] if steps else None,
        form=form,
        error=error,
        best=vignette_service.best_choices(v, steps) if node.ending else None,
        module=get_course().module(v.module),
    ), status

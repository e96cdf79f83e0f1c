"""Module reader, learning paths, confidence scale, glossary and referral map."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..certs.service import certificate_for, verify_url
from ..course import get_course
from ..extensions import db
from ..forms import ActionForm
from ..quiz.service import attempts_summary
from . import service
from .completion import module_status, path_status
from .finish import after_step, complete_step
from .forms import confidence_form
from .progress import load_record, mark_read, read_sections, resume_section

bp = Blueprint("learn", __name__)


def _module_or_404(slug: str):
    module = get_course().module(slug)
    if module is None:
        abort(404)
    return module


@bp.route("/modules")
@login_required
def modules():
    """Every module with the learner's progress."""
    course = get_course()
    record = load_record(current_user.id)
    statuses = {m.slug: module_status(course, m.slug, record) for m in course.modules}
    return render_template("learn/modules.html", modules=course.modules, statuses=statuses)


@bp.route("/modules/<slug>")
@login_required
def module(slug: str):
    """A module's overview: sections, quiz, vignettes and where to resume (404: no such module)."""
    course = get_course()
    module = _module_or_404(slug)
    record = load_record(current_user.id)
    return render_template(
        "learn/module.html",
        module=module,
        status=module_status(course, slug, record),
        record=record,
        resume=resume_section(current_user.id, module),
        quiz=course.module_quiz(slug),
        vignettes=course.vignettes_for(slug),
        attempts=attempts_summary(current_user.id, slug),
    )


@bp.route("/modules/<slug>/sources")
@login_required
def sources(slug: str):
    """A module's key points and sources (404: no such module)."""
    module = _module_or_404(slug)
    return render_template("learn/sources.html", module=module)


@bp.route("/modules/<slug>/<section_id>")
@login_required
def section(slug: str, section_id: str):
    """One section of a module with the table of contents and the learner's checkmarks (404: no such
    module or section)."""
    module = _module_or_404(slug)
    current = module.section(section_id)
    if current is None:
        abort(404)
    index = module.section_ids.index(section_id)
    return render_template(
        "learn/section.html",
        module=module,
        section=current,
        index=index,
        read=read_sections(current_user.id, slug),
        previous=module.sections[index - 1] if index else None,
        next=module.sections[index + 1] if index + 1 < len(module.sections) else None,
    )


@bp.route("/modules/<slug>/<section_id>/read", methods=["POST"])
@login_required
def read(slug: str, section_id: str):
    """Mark a section read and go to the next one (204 for the reader's scroll script); when this
    completes the path, to its completion page."""
    module = _module_or_404(slug)
    if module.section(section_id) is None:
        abort(404)
    mark_read(current_user.id, module, section_id)
    index = module.section_ids.index(section_id)
    if index + 1 < len(module.sections):
        following = url_for(".section", slug=slug, section_id=module.sections[index + 1].id)
    else:
        following = url_for(".sources", slug=slug)
    done = complete_step()
    if request.headers.get("X-Requested-With") == "fetch":
        # Read by scrolling (site.js): the header says where to go when this completed the path.
        return "", 204, {"X-Completed": done} if done else {}
    return redirect(done or following)


@bp.route("/paths")
@login_required
def paths():
    """The learning paths with the learner's progress and the one suggested for their sector."""
    course = get_course()
    record = load_record(current_user.id)
    statuses = {p.slug: path_status(course, p, record) for p in course.paths}
    suggested = next((p.slug for p in course.paths if current_user.sector in p.sectors), "volledig")
    return render_template(
        "learn/paths.html", paths=course.paths, statuses=statuses, suggested=suggested, form=ActionForm()
    )


@bp.route("/paths/<slug>/choose", methods=["POST"])
@login_required
def choose(slug: str):
    """Make this path the learner's active path and show it (404: no such path)."""
    if get_course().path(slug) is None:
        abort(404)
    if ActionForm().validate_on_submit():
        service.choose_path(current_user, slug)
        db.session.commit()
    return redirect(url_for(".path", slug=slug))


@bp.route("/paths/<slug>")
@login_required
def path(slug: str):
    """The path's checklist and, once issued, its certificate. Changes nothing (404: no such path)."""
    course = get_course()
    lp = course.path(slug)
    if lp is None:
        abort(404)
    record = load_record(current_user.id)
    status = path_status(course, lp, record)
    return render_template(
        "learn/path.html",
        path=lp,
        status=status,
        record=record,
        course=course,
        certificate=certificate_for(current_user.id, slug),
        form=ActionForm(),
        modules={m: course.module(m) for m in lp.modules},
    )


@bp.route("/paths/<slug>/complete", methods=["POST"])
@login_required
def complete(slug: str):
    """Issue the certificate of a path whose steps are all done (for a path completed before the
    certificate could be issued on its last step). Redirects to the completion page or the path."""
    if get_course().path(slug) is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.choose_path(current_user, slug)
    if certificate_for(current_user.id, slug) is not None:
        return redirect(url_for(".completed", slug=slug))
    return after_step(url_for(".path", slug=slug))


@bp.route("/paths/<slug>/done")
@login_required
def completed(slug: str):
    """The completion page: the certificate ready to download and its verify link.
    Redirects to the path while there is no certificate (404: no such path)."""
    course = get_course()
    lp = course.path(slug)
    if lp is None:
        abort(404)
    certificate = certificate_for(current_user.id, slug)
    if certificate is None:
        return redirect(url_for(".path", slug=slug))
    status = path_status(course, lp, load_record(current_user.id))
    return render_template(
        "learn/completed.html", path=lp, certificate=certificate, status=status, verify_url=verify_url(certificate.code)
    )


@bp.route("/paths/<slug>/confidence/<phase>", methods=["GET", "POST"])
@login_required
def confidence(slug: str, phase: str):
    """The opening (``pre``) or closing (``post``) self-assessment; once answered, the answers side by
    side (404: no such path or phase)."""
    course = get_course()
    lp = course.path(slug)
    if lp is None or phase not in ("pre", "post") or not course.confidence:
        abort(404)
    stored = service.survey_answers(current_user.id, slug, phase)
    if stored is not None and request.method == "POST":
        flash(_("Je vulde deze zelfinschatting al in; je eerste antwoorden blijven staan."), "info")
        return redirect(url_for(".confidence", slug=slug, phase=phase))
    if stored is not None:
        before = service.survey_answers(current_user.id, slug, "pre")
        after = service.survey_answers(current_user.id, slug, "post")
        return render_template(
            "learn/confidence_result.html", path=lp, scale=course.confidence, before=before, after=after, phase=phase
        )
    form = confidence_form(course.confidence)
    if form.validate_on_submit():
        values = {item.id: int(getattr(form, f"item_{item.id}").data) for item in course.confidence.items}
        service.save_survey(current_user.id, slug, phase, values)
        service.choose_path(current_user, slug)
        flash(_("Bedankt, je antwoorden zijn opgeslagen."), "success")
        return after_step(url_for(".confidence", slug=slug, phase=phase))
    return render_template(
        "learn/confidence.html", path=lp, scale=course.confidence, form=form, phase=phase
    ), 400 if form.is_submitted() else 200


@bp.route("/glossary")
def glossary():
    """The glossary, searchable by term, synonym and definition (public)."""
    course = get_course()
    query = (request.args.get("q") or "").strip()
    return render_template("learn/glossary.html", terms=course.find_terms(query), query=query, course=course)


@bp.route("/sociale-kaart")
def referral_map():
    """The referral map, filtered by region, audience, kind and country (public; 404 when the content
    has none)."""
    rmap = get_course().referral_map
    if rmap is None:
        abort(404)
    chosen = {key: request.args.get(key, "") for key in ("region", "audience", "kind", "country")}
    orgs = rmap.matching(**chosen)
    return render_template("learn/referral_map.html", rmap=rmap, orgs=orgs, chosen=chosen)

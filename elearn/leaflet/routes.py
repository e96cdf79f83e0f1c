"""Public routes of the leaflet: no account needed, no session cookie set."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _

from ..course import get_course
from .service import UnknownRegion, leaflet_view

bp = Blueprint("leaflet", __name__)


def _view():
    """The leaflet for ``?regio=``; 404 without a leaflet, None for an unknown region."""
    try:
        view = leaflet_view(get_course(), request.args.get("regio", ""))
    except UnknownRegion:
        return None
    if view is None:
        abort(404)
    return view


@bp.route("/folder")
def page():
    """The printable JAC/CAW leaflet for ``?regio=`` (public); 400 with the general leaflet for an
    unknown region."""
    view = _view()
    if view is None:
        view = leaflet_view(get_course(), "")
        return render_template("leaflet/folder.html", view=view, unknown_region=True), 400
    return render_template("leaflet/folder.html", view=view, unknown_region=False)


@bp.route("/folder.pdf")
def pdf():
    """The leaflet as a PDF (public); 400 for an unknown region, 404 when the content has no leaflet."""
    view = _view()
    if view is None:
        abort(400)
    labels = {
        "phone": _("Tel."),
        "sources": _("Bronnen"),
        "region": _("Adressen voor"),
        "from_course": _("Uit de cursus, module"),
        "checked": _("gecontroleerd op"),
        "page": _("Pagina"),
    }
    name = f"folder-chemseks{'-' + view.region if view.region else ''}.pdf"
    from .pdf import render_leaflet_pdf  # fpdf2 and Pillow: about 0.2 s, paid on the first PDF, not at start-up

    return Response(
        render_leaflet_pdf(view, labels),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )

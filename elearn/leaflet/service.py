"""What the leaflet shows for a region: its blocks with the Belgian organisations that serve it.

Flask-free: the routes pass the course and the ``regio`` parameter, the HTML template and the PDF
renderer both draw the same :class:`LeafletView`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.leaflet import Leaflet, LeafletBlock
from ..content.model import Course, Organisation, ReferralMap

#: the region every Belgian region lies in; choosing it (or nothing) shows every address
COUNTRY_REGION = "belgie"


class UnknownRegion(ValueError):
    """The ``regio`` asked for is not a Belgian region of the referral map."""


@dataclass(frozen=True)
class LeafletSection:
    block: LeafletBlock
    organisations: tuple[Organisation, ...] = ()
    #: the title of the module the text comes from ('' for the leaflet's own text)
    origin_title: str = ""


@dataclass(frozen=True)
class LeafletView:
    leaflet: Leaflet
    referral_map: ReferralMap
    region: str  #: '' for all of Belgium
    region_name: str
    regions: tuple[tuple[str, str], ...]  #: (id, name) of the regions a reader can choose
    sections: tuple[LeafletSection, ...]
    checked: str  #: the latest date an organisation shown was checked

    def kinds_of(self, org: Organisation) -> str:
        return ", ".join(self.referral_map.kinds[k] for k in org.kinds)


def belgian_regions(rmap: ReferralMap) -> tuple[tuple[str, str], ...]:
    """The regions inside Belgium, in file order, as (id, name)."""
    return tuple(
        (rid, name)
        for rid, name in rmap.regions.items()
        if rid != COUNTRY_REGION and COUNTRY_REGION in rmap.region_chain(rid)
    )


def leaflet_view(course: Course, region: str = "") -> LeafletView | None:
    """The leaflet for a worker in ``region`` ('' or ``belgie``: everywhere), or None when the
    course has no leaflet. Raises :class:`UnknownRegion` for a region outside Belgium."""
    leaflet, rmap = course.leaflet, course.referral_map
    if leaflet is None or rmap is None:
        return None
    region = (region or "").strip()
    if region == COUNTRY_REGION:
        region = ""
    choices = belgian_regions(rmap)
    if region and region not in dict(choices):
        raise UnknownRegion(region)
    by_id = {o.id: o for o in rmap.organisations}
    sections, dates = [], []
    for block in leaflet.blocks:
        orgs = tuple(by_id[i] for i in block.organisations if rmap.serves(by_id[i], region))
        dates.extend(o.checked for o in orgs)
        module = course.module(block.origin[0]) if block.origin else None
        sections.append(LeafletSection(block, orgs, module.title if module else ""))
    name = dict(choices).get(region, rmap.regions.get(COUNTRY_REGION, ""))
    return LeafletView(leaflet, rmap, region, name, choices, tuple(sections), max(dates, default=""))

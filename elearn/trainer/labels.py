"""The words the trainer's pages and exports show for stored codes: one list each, used by both."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: a learner's dashboard state: (filter on the dashboard, cell in the export)
STATE_LABELS = {
    "not_started": (_l("Niet gestart"), _l("niet gestart")),
    "in_progress": (_l("Bezig"), _l("bezig")),
    "completed": (_l("Afgerond"), _l("afgerond")),
    "inactive": (_l("14 dagen inactief"), _l("inactief")),
}

#: a learner's certificate for the cohort's path (no certificate: no label)
CERTIFICATE_LABELS = {"valid": _l("uitgereikt"), "revoked": _l("ingetrokken")}

#: the item analysis's flags
ITEM_FLAG_LABELS = {
    "too_easy": _l("te makkelijk"),
    "too_hard": _l("te moeilijk"),
    "poor_discrimination": _l("onderscheidt zwak"),
}

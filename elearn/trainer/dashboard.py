"""The cohort dashboard: every member's state and progress from one aggregate query, the state
counts, the sorted selection, and full rows only for the learners a page or an export shows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from types import SimpleNamespace
from typing import NamedTuple

from ..content import Course, LearningPath
from ..extensions import db
from ..learn.completion import PathStatus, module_status_of, path_status_of
from ..models import Cohort, utcnow
from .cohort_progress import ACTIVITY_COLUMNS, confidence_sums, progress_query

INACTIVE_DAYS = 14
STATES = ("not_started", "in_progress", "completed", "inactive")
SORTS = ("name", "progress", "activity")
#: the steps of the summary's funnel, in order (labels in ``summary.FUNNEL_LABELS``)
FUNNEL_STEPS = ("joined", "started", "pretest", "modules", "posttest", "completed")


@dataclass(frozen=True)
class LearnerRow:
    user_id: int
    name: str
    organisation: str
    erased: bool
    status: PathStatus | None
    quiz_best: dict  # module slug -> best score
    pre_score: float | None
    post_score: float | None
    confidence_pre: float | None
    confidence_post: float | None
    certificate: str  # none | valid | revoked
    last_activity: datetime.datetime | None
    joined_at: datetime.datetime
    state: str


@dataclass(frozen=True)
class _Progress:
    """A path status with the figures the dashboard reads from it, computed once."""

    status: PathStatus
    percent: int
    started: bool
    complete: bool
    funnel: tuple[bool, ...]  # started, pretest, all modules, posttest, completed


class Entry(NamedTuple):
    """One member: the aggregate row, the progress (None when the path no longer exists) and the
    state (a tuple: 10,000 of them are built per request)."""

    row: object
    progress: _Progress | None
    last_activity: datetime.datetime | None
    state: str


def state_of(progress: _Progress | None, last_activity, now) -> str:
    """completed, not_started, inactive (nothing for :data:`INACTIVE_DAYS` days) or in_progress."""
    if progress is None:
        return "not_started"
    if progress.complete:
        return "completed"
    if not progress.started:
        return "not_started"
    if last_activity is None or now - last_activity > datetime.timedelta(days=INACTIVE_DAYS):
        return "inactive"
    return "in_progress"


class _Statuses:
    """The path status of an aggregate row. Learners with the same counts share one status
    object (frozen), so a cohort of 10,000 builds a few hundred statuses, not 10,000."""

    def __init__(self, course: Course, path: LearningPath, keys: list[str]):
        self.course, self.path = course, path
        n = len(path.modules)
        names = [f"read_{i}" for i in range(n)] + [f"passed_{i}" for i in range(n)]
        names += [f"vignettes_{i}" for i in range(n)]
        names += ["pre_done", "survey_pre_done", "post_done", "survey_post_done", "post_best"]
        self.key = itemgetter(*(keys.index(name) for name in names))
        self.known: dict[tuple, _Progress] = {}

    def __call__(self, row) -> _Progress:
        key = self.key(row)
        progress = self.known.get(key)
        if progress is None:
            progress = self.known[key] = self._build(key)
        return progress

    def _build(self, key: tuple) -> _Progress:
        modules = self.path.modules
        n = len(modules)
        status = path_status_of(
            self.course,
            self.path,
            tuple(
                module_status_of(
                    self.course, slug, sections_read=key[i], quiz_passed=bool(key[n + i]), vignettes_done=key[2 * n + i]
                )
                for i, slug in enumerate(modules)
            ),
            pretest_done=bool(key[3 * n]),
            survey_pre_done=bool(key[3 * n + 1]),
            posttest_done=bool(key[3 * n + 2]),
            survey_post_done=bool(key[3 * n + 3]),
            posttest_score=key[3 * n + 4],
        )
        all_modules = all(m.complete for m in status.modules)
        return _Progress(
            status,
            status.percent,
            status.started,
            status.complete,
            (status.started, status.pretest_done, all_modules, status.posttest_done, status.complete),
        )


class CohortProgress:
    """Every member of a cohort with their state, in one query whatever the cohort's size."""

    def __init__(self, course: Course, cohort: Cohort, *, confidence: bool = True):
        """``confidence=False`` leaves the confidence scales' answers out of the query over all
        members; :meth:`learner_rows` then reads them for the rows it builds (a page of 50)."""
        self.course = course
        self.path = course.path(cohort.path_slug)
        self.path_slug = cohort.path_slug
        self.confidence = confidence
        # Core rows: the ORM's per-row processing cost more than the rest of the loop
        result = db.session.connection().execute(progress_query(course, cohort.id, cohort.path_slug, confidence))
        keys = list(result.keys())
        statuses = _Statuses(course, self.path, keys) if self.path else None
        activity = itemgetter(*(keys.index(c) for c in ACTIVITY_COLUMNS))
        now = utcnow()
        self.entries: list[Entry] = []
        for row in result.all():
            progress = statuses(row) if statuses else None
            last = max(filter(None, activity(row)), default=None)
            self.entries.append(Entry(row, progress, last, state_of(progress, last, now)))

    def counts(self) -> dict[str, int]:
        """Members per state (the dashboard's filter chips)."""
        counts = dict.fromkeys(STATES, 0)
        for entry in self.entries:
            counts[entry.state] += 1
        return counts

    def funnel_counts(self) -> list[tuple[str, int]]:
        """(step, members who reached it) for the summary's funnel, in :data:`FUNNEL_STEPS` order."""
        reached = [0] * (len(FUNNEL_STEPS) - 1)
        for entry in self.entries:
            if entry.progress is not None:
                for i, done in enumerate(entry.progress.funnel):
                    reached[i] += done
        return list(zip(FUNNEL_STEPS, [len(self.entries), *reached], strict=True))

    def select(self, state: str = "", sort: str = "name", descending: bool = False) -> list[Entry]:
        """Members in the given state (all when empty), sorted by name, progress or last activity;
        ties keep the order of the user ids, also when descending."""
        entries = self.entries
        if state in STATES:
            entries = [e for e in entries if e.state == state]
        keys = {
            "name": lambda e: e.row.name.lower(),
            "progress": lambda e: e.progress.percent if e.progress else 0,
            "activity": lambda e: e.last_activity or datetime.datetime.min,
        }
        return sorted(entries, key=keys.get(sort, keys["name"]), reverse=descending)

    def learner_rows(self, entries: Iterable[Entry]) -> Iterator[LearnerRow]:
        """Everything the dashboard and the export show of these members, one at a time; one
        more query for the confidence scales when the aggregate left them out."""
        if self.confidence:
            return (self._learner_row(e, e.row) for e in entries)
        entries = list(entries)
        sums = {
            r.user_id: r for r in db.session.execute(confidence_sums(self.path_slug, [e.row.user_id for e in entries]))
        }
        return (self._learner_row(e, sums.get(e.row.user_id, _NO_ANSWERS)) for e in entries)

    def _learner_row(self, entry: Entry, scales) -> LearnerRow:
        row = entry.row
        modules = self.path.modules if self.path else ()
        best = [getattr(row, f"best_{i}") for i in range(len(modules))]
        revoked = row.certificate_revoked_at is not None
        return LearnerRow(
            user_id=row.user_id,
            name=row.name,
            organisation=row.organisation,
            erased=row.erased_at is not None,
            status=entry.progress.status if entry.progress else None,
            quiz_best={slug: score for slug, score in zip(modules, best, strict=True) if score is not None},
            pre_score=row.pre_best,
            post_score=row.post_best,
            confidence_pre=_mean(scales.survey_pre_sum, scales.survey_pre_n),
            confidence_post=_mean(scales.survey_post_sum, scales.survey_post_n),
            certificate="none" if row.certificate_id is None else "revoked" if revoked else "valid",
            last_activity=entry.last_activity,
            joined_at=row.joined_at,
            state=entry.state,
        )


#: the confidence columns of a learner without answers
_NO_ANSWERS = SimpleNamespace(survey_pre_sum=None, survey_pre_n=0, survey_post_sum=None, survey_post_n=0)


def _mean(total, n):
    return round(total / n, 2) if n else None

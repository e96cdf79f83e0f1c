"""What a cohort learnt: funnel, knowledge gain, confidence change, item analysis.

Gains compare each learner's FIRST submitted pre-test with their FIRST submitted post-test (a
retake never improves the reported gain), over the learners who have both (see ``stats``).
The item analysis counts each learner's FIRST submitted response to each question (the lowest
attempt id among the submitted attempts answering it), so retakes do not blur the items.
The database does the counting (``summary_counts``): each function runs a fixed number of
queries and reads counted value patterns, not one row per learner or answer.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..content import Course, posttest_id, pretest_id
from ..models import Cohort
from ..questiontypes import question_type
from . import analytics, summary_counts
from .stats import PairedGain, counted_paired_gain, paired_gain

FUNNEL_LABELS = {
    "joined": _l("Aangesloten"),
    "started": _l("Gestart"),
    "pretest": _l("Voortoets gemaakt"),
    "modules": _l("Alle modules afgerond"),
    "posttest": _l("Eindtoets gemaakt"),
    "completed": _l("Traject afgerond"),
}
#: the confidence chart's labels are cut to this many characters (the table has the full statement)
LABEL_CHARS = 36


def path_quiz_ids(course: Course, cohort: Cohort) -> list[str]:
    """The cohort path's quizzes in order: pre-test, module quizzes, post-test."""
    path = course.path(cohort.path_slug)
    ids = [pretest_id(path.slug), *course.quiz_modules(path), posttest_id(path.slug)]
    return [i for i in ids if i in course.quizzes]


@dataclass(frozen=True)
class Summary:
    funnel: list
    knowledge: PairedGain  # overall score (percent) of the first pre- and post-test
    modules: dict  # module slug -> PairedGain (percent correct on its items)
    confidence: PairedGain | None  # a learner's mean over all statements (1-5), start and end
    statements: dict  # statement id -> PairedGain (1-5)
    labels: dict  # statement id -> short label for the chart
    items: list  # ItemStats, in quiz order


def knowledge_gains(course: Course, cohort: Cohort) -> tuple[PairedGain, dict[str, PairedGain]]:
    """Overall and per-module gains over the cohort's first pre- and post-tests.

    Overall: the attempt's score. Per module: the learner's share correct (0-100) on that
    module's items in the attempt (pre and post forms are parallel, so the shares compare).
    """
    path = course.path(cohort.path_slug)
    tests = {q: p for q, p in ((pretest_id(path.slug), "pre"), (posttest_id(path.slug), "post")) if q in course.quizzes}
    if not tests:
        return paired_gain({}, {}, 100), {m: paired_gain({}, {}, 100) for m in path.modules}
    modules = {(q, question.id): question.module for q in tests for question in course.quizzes[q].questions}
    shares = summary_counts.module_share_patterns(cohort, tests, modules)
    return (
        counted_paired_gain(summary_counts.score_patterns(cohort, tests), 100),
        {m: counted_paired_gain(shares.get(m, {}), 100) for m in path.modules},
    )


def confidence_gains(scale, cohort: Cohort) -> tuple[PairedGain | None, dict[str, PairedGain]]:
    """Overall (each learner's mean over the statements) and per-statement gains of the
    cohort's confidence scales on its path; (None, {}) when the course has no scale."""
    if scale is None:
        return None, {}
    item_ids = [i.id for i in scale.items]
    per = summary_counts.survey_item_patterns(cohort, cohort.path_slug, item_ids)
    return (
        counted_paired_gain(summary_counts.survey_mean_patterns(cohort, cohort.path_slug, item_ids), scale.max),
        {i: counted_paired_gain(per.get(i, {}), scale.max) for i in item_ids},
    )


def short_labels(items, limit: int = LABEL_CHARS) -> dict[str, str]:
    """Short, distinct chart labels for the confidence statements.

    A statement's own ``label`` when the content gives one; otherwise its text without the
    words every statement starts with ("Ik voel me zeker genoeg om ..."), cut at a word
    boundary. Labels that still coincide get their number appended.
    """
    texts = [i.text.split() for i in items]
    common = 0
    if len(texts) > 1:
        while all(len(t) > common + 1 for t in texts) and len({t[common] for t in texts}) == 1:
            common += 1
    labels: dict[str, str] = {}
    for item, words in zip(items, texts):
        own = item.label
        if own:
            labels[item.id] = own
            continue
        text = " ".join(words[common:])
        text = text[:1].upper() + text[1:]
        if len(text) > limit:
            cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
            text = cut.rstrip(",;:") + "…"
        labels[item.id] = text
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    for n, item in enumerate(items, 1):
        if seen[labels[item.id]] > 1:
            labels[item.id] = f"{labels[item.id]} ({n})"
    return labels


def cohort_summary(course: Course, cohort: Cohort, funnel_counts: list[tuple[str, int]]) -> Summary:
    """The whole summary; ``funnel_counts`` are (step, learners) as ``CohortProgress.funnel_counts``
    gives them."""
    knowledge, modules = knowledge_gains(course, cohort)
    confidence, statements = confidence_gains(course.confidence, cohort)
    labels = short_labels(course.confidence.items) if course.confidence else {}
    items = item_analysis(course, cohort, path_quiz_ids(course, cohort))
    return Summary(analytics.funnel(funnel_counts), knowledge, modules, confidence, statements, labels, items)


def item_analysis(course: Course, cohort: Cohort, quiz_ids: list[str]) -> list[analytics.ItemStats]:
    """Per question of these quizzes, over the members' first responses: responses, facility,
    discrimination, distractors, flags. Each distinct response is parsed once per question type."""
    questions = {(quiz_id, q.id): q for quiz_id in quiz_ids for q in course.quizzes[quiz_id].questions}
    cells: dict[tuple[str, str], Counter] = {}
    choices: dict[tuple[str, str], Counter] = {}
    chosen: dict[tuple[str, str], list[str]] = {}
    for quiz_id, qid, score, credit, response, n in summary_counts.first_response_counts(cohort, quiz_ids):
        key = (quiz_id, qid)
        question = questions.get(key)
        if question is None:  # a question the content no longer has: not reported
            continue
        cells.setdefault(key, Counter())[(credit or 0.0, score or 0.0)] += n
        kind = question_type(question)
        if (kind.name, response) not in chosen:
            chosen[(kind.name, response)] = kind.chosen_ids(json.loads(response))
        counts = choices.setdefault(key, Counter())
        for choice in chosen[(kind.name, response)]:
            counts[choice] += n
    return [
        analytics.cells_item_stats(qid, quiz_id, cells.get((quiz_id, qid), {}), choices.get((quiz_id, qid), Counter()))
        for (quiz_id, qid) in questions
    ]

"""Learning-path completion: one pure function over a learner's record."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content import Course, LearningPath, posttest_id, pretest_id


@dataclass
class LearnerRecord:
    """What one learner has done, as sets of stable content ids (built in bulk by progress.py)."""

    read: set[tuple[str, str]] = field(default_factory=set)  # (module slug, section id)
    passed_quizzes: set[str] = field(default_factory=set)  # module slugs
    quiz_scores: dict[str, tuple[float, float]] = field(default_factory=dict)  # quiz id -> (best, last)
    finished_vignettes: set[str] = field(default_factory=set)
    submitted_tests: set[str] = field(default_factory=set)  # pre-<path>, post-<path>
    surveys: set[tuple[str, str]] = field(default_factory=set)  # (path slug, phase)
    last_activity: object = None


@dataclass(frozen=True)
class ModuleStatus:
    slug: str
    sections_read: int
    sections_total: int
    quiz_required: bool
    quiz_passed: bool
    vignettes_done: int
    vignettes_total: int

    @property
    def complete(self) -> bool:
        return (
            self.sections_read == self.sections_total
            and (self.quiz_passed or not self.quiz_required)
            and self.vignettes_done == self.vignettes_total
        )

    @property
    def steps_done(self) -> int:
        return self.sections_read + int(self.quiz_passed) + self.vignettes_done

    @property
    def steps_total(self) -> int:
        return self.sections_total + int(self.quiz_required) + self.vignettes_total


@dataclass(frozen=True)
class PathStatus:
    path: LearningPath
    pretest_done: bool
    survey_pre_done: bool
    modules: tuple[ModuleStatus, ...]
    posttest_done: bool
    survey_post_done: bool
    has_tests: bool
    #: the best post-test score so far (percent), None before the first post-test
    posttest_score: float | None = None

    @property
    def post_pass_mark(self) -> int:
        """The path's post-test pass mark (percent)."""
        return self.path.post_pass_mark

    @property
    def posttest_passed(self) -> bool:
        return self.posttest_score is not None and self.posttest_score >= self.post_pass_mark

    @property
    def post_test_percent(self) -> int | None:
        """The passing post-test score as a whole percentage, for the certificate's wording
        (``certs.service.issue_if_complete`` reads it); None when not passed or no tests."""
        return round(self.posttest_score) if self.has_tests and self.posttest_passed else None

    @property
    def complete(self) -> bool:
        """Every module done, the post-test passed (when the path has one), the closing scale filled in."""
        return (
            all(m.complete for m in self.modules)
            and (self.posttest_passed or not self.has_tests)
            and self.survey_post_done
        )

    @property
    def steps_done(self) -> int:
        extras = int(self.pretest_done) + int(self.posttest_done) if self.has_tests else 0
        return sum(m.steps_done for m in self.modules) + extras + int(self.survey_pre_done) + int(self.survey_post_done)

    @property
    def steps_total(self) -> int:
        return sum(m.steps_total for m in self.modules) + (2 if self.has_tests else 0) + 2

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def started(self) -> bool:
        return self.steps_done > 0


def module_status(course: Course, slug: str, record: LearnerRecord) -> ModuleStatus:
    """How far ``record`` is in one module."""
    return module_status_of(
        course,
        slug,
        sections_read=sum(1 for s in course.module(slug).sections if (slug, s.id) in record.read),
        quiz_passed=slug in record.passed_quizzes,
        vignettes_done=sum(1 for v in course.vignettes_for(slug) if v.id in record.finished_vignettes),
    )


def module_status_of(
    course: Course, slug: str, *, sections_read: int, quiz_passed: bool, vignettes_done: int
) -> ModuleStatus:
    """A module's status from the learner's counts (sections of the current content read, module
    quiz passed, vignettes of the module finished), as ``module_status`` or a bulk query gives them."""
    return ModuleStatus(
        slug=slug,
        sections_read=sections_read,
        sections_total=len(course.module(slug).sections),
        quiz_required=slug in course.quizzes,
        quiz_passed=quiz_passed,
        vignettes_done=vignettes_done,
        vignettes_total=len(course.vignettes_for(slug)),
    )


def path_status(course: Course, path: LearningPath, record: LearnerRecord) -> PathStatus:
    """A path is complete when every section of its modules is read, every module quiz passed,
    every vignette of its modules finished, the post-test passed (its best attempt reaches the
    path's ``post_pass_mark``) and the closing confidence scale filled in.
    The pre-test and opening scale are asked first but never block."""
    post = record.quiz_scores.get(posttest_id(path.slug))
    return path_status_of(
        course,
        path,
        tuple(module_status(course, m, record) for m in path.modules),
        pretest_done=pretest_id(path.slug) in record.submitted_tests,
        survey_pre_done=(path.slug, "pre") in record.surveys,
        posttest_done=posttest_id(path.slug) in record.submitted_tests,
        survey_post_done=(path.slug, "post") in record.surveys,
        posttest_score=post[0] if post else None,
    )


def path_status_of(
    course: Course,
    path: LearningPath,
    modules: tuple[ModuleStatus, ...],
    *,
    pretest_done: bool,
    survey_pre_done: bool,
    posttest_done: bool,
    survey_post_done: bool,
    posttest_score: float | None,
) -> PathStatus:
    """A path's status from its modules' statuses and the learner's tests and scales (the best
    post-test score, None before the first), as ``path_status`` or a bulk query gives them."""
    return PathStatus(
        path=path,
        pretest_done=pretest_done,
        survey_pre_done=survey_pre_done,
        modules=modules,
        posttest_done=posttest_done,
        survey_post_done=survey_post_done,
        has_tests=posttest_id(path.slug) in course.quizzes,
        posttest_score=posttest_score,
    )

"""Course content: files in, frozen dataclasses out. No Flask import in this package."""

from .errors import ContentError, Problem
from .loader import course_stats, load_course, posttest_id, pretest_id
from .model import Course, LearningPath, Module, Question, Quiz, Vignette

__all__ = [
    "ContentError",
    "Problem",
    "Course",
    "LearningPath",
    "Module",
    "Question",
    "Quiz",
    "Vignette",
    "course_stats",
    "load_course",
    "posttest_id",
    "pretest_id",
]

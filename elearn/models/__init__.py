"""SQLAlchemy models, one module per domain."""

from .audit import AuditEvent
from .base import utcnow
from .certificate import Certificate
from .cohort import Cohort, CohortMember, CohortTrainer
from .progress import ModulePosition, PathEnrollment, SectionRead, SurveyAnswer, SurveyResponse
from .quiz import AttemptAnswer, FormAssignment, QuizAttempt, VignetteRun, VignetteStep
from .user import ROLES, SECTORS, User

__all__ = [
    "AuditEvent",
    "AttemptAnswer",
    "Certificate",
    "Cohort",
    "CohortMember",
    "CohortTrainer",
    "ModulePosition",
    "PathEnrollment",
    "QuizAttempt",
    "ROLES",
    "SECTORS",
    "SectionRead",
    "SurveyAnswer",
    "SurveyResponse",
    "FormAssignment",
    "User",
    "VignetteRun",
    "VignetteStep",
    "utcnow",
]

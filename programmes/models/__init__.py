from .assessments import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentQuestion,
    AssessmentResponse,
    Dimension,
    QuestionKind,
)
from .core import (
    ExitCriterion,
    Membership,
    Phase,
    PhaseProgress,
    PhaseStatus,
    PhaseTransition,
    Programme,
    Role,
)
from .invitations import INVITATION_LIFETIME, Invitation
from .workshops import Workshop, WorkshopSeat

__all__ = [
    "INVITATION_LIFETIME",
    "AssessmentAnswer",
    "AssessmentKind",
    "AssessmentQuestion",
    "AssessmentResponse",
    "Dimension",
    "ExitCriterion",
    "Invitation",
    "Membership",
    "Phase",
    "PhaseProgress",
    "PhaseStatus",
    "PhaseTransition",
    "Programme",
    "QuestionKind",
    "Role",
    "Workshop",
    "WorkshopSeat",
]

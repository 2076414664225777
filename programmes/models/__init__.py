from programmes.models.assessments import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentQuestion,
    AssessmentResponse,
    Dimension,
    QuestionKind,
)
from programmes.models.core import (
    ExitCriterion,
    Membership,
    Phase,
    PhaseProgress,
    PhaseStatus,
    PhaseTransition,
    Programme,
    Role,
)
from programmes.models.invitations import INVITATION_LIFETIME, Invitation
from programmes.models.workshops import Workshop, WorkshopSeat

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

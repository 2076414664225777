"""The programmes app's rows, one module per resource. Import them from here."""

from programmes.models.assessment import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentQuestion,
    AssessmentResponse,
    Dimension,
    QuestionKind,
)
from programmes.models.audit import AuditAction, AuditEntry
from programmes.models.invitation import INVITATION_LIFETIME, Invitation
from programmes.models.membership import Membership, PaceStatus
from programmes.models.notification import (
    EVENT_KINDS,
    NUDGE_KINDS,
    Delivery,
    EmailStatus,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from programmes.models.pairing import Pairing
from programmes.models.phase import ExitCriterion, Phase
from programmes.models.programme import Programme, Role
from programmes.models.progress import PhaseProgress, PhaseStatus, PhaseTransition
from programmes.models.workshop import Workshop, WorkshopSeat

__all__ = [
    "EVENT_KINDS",
    "INVITATION_LIFETIME",
    "NUDGE_KINDS",
    "AssessmentAnswer",
    "AssessmentKind",
    "AssessmentQuestion",
    "AssessmentResponse",
    "AuditAction",
    "AuditEntry",
    "Delivery",
    "Dimension",
    "EmailStatus",
    "ExitCriterion",
    "Invitation",
    "Membership",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "PaceStatus",
    "Pairing",
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

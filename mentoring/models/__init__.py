"""The mentoring app's rows, one module per resource. Import them from here.

A pairing itself is a programme-level fact, `programmes.models.Pairing`, beside memberships.
"""

from mentoring.models.cadence import CadenceAgreement
from mentoring.models.calendar import CalendarFeed
from mentoring.models.engagement import Cadence, Channel, EngagementPreference, Reminders
from mentoring.models.guideline import Guideline
from mentoring.models.outbox import OutboundEmail
from mentoring.models.pairing import MentorChangeRequest, MentorProfile
from mentoring.models.session import (
    AgreedAction,
    Frequency,
    GuidelineCheck,
    LearningKind,
    MentoringSession,
    Owner,
    Reflection,
    SelfCheck,
    SessionFeedback,
    SessionStatus,
)
from mentoring.models.tally import FeedbackMonth, SelfCheckMonth
from mentoring.models.user import User

__all__ = [
    "AgreedAction",
    "Cadence",
    "CadenceAgreement",
    "CalendarFeed",
    "Channel",
    "EngagementPreference",
    "FeedbackMonth",
    "Frequency",
    "Guideline",
    "GuidelineCheck",
    "LearningKind",
    "MentorChangeRequest",
    "MentorProfile",
    "MentoringSession",
    "OutboundEmail",
    "Owner",
    "Reflection",
    "Reminders",
    "SelfCheck",
    "SelfCheckMonth",
    "SessionFeedback",
    "SessionStatus",
    "User",
]

"""The playbooks app's rows, one module per resource. Import them from here."""

from playbooks.models.activity import UNDO_WINDOW, Activity, Completion, PersonalTarget, Recurrence
from playbooks.models.integration import BusinessStrategy, SignOff, StrategyPillar, ThemeMapping
from playbooks.models.playbook import (
    Playbook,
    Section,
    SectionComment,
    SectionRevision,
    SectionStatus,
    TemplateSection,
)

__all__ = [
    "UNDO_WINDOW",
    "Activity",
    "BusinessStrategy",
    "Completion",
    "PersonalTarget",
    "Playbook",
    "Recurrence",
    "Section",
    "SectionComment",
    "SectionRevision",
    "SectionStatus",
    "SignOff",
    "StrategyPillar",
    "TemplateSection",
    "ThemeMapping",
]

"""Which kinds of notification can reach a person, by the roles they hold.

Read off the places that send them: the pace rules (`mentoring/pace.py`) address each
nudge to the mentee or to their mentor; the sweep's `lead_digests`
(`mentoring/services/pace.py`) goes to leads; each event goes, through `notify`, to the
people its service names. When a sender starts telling someone new, add the kind here too,
or the settings page won't offer it to them.
"""

from collections.abc import Iterable

from programmes.models import NotificationKind as Kind
from programmes.models import Role

KINDS_BY_ROLE: dict[str, frozenset[str]] = {
    Role.MENTEE: frozenset(
        {
            Kind.NEXT_STEP,
            Kind.ACTIONS_DUE,
            Kind.SESSION_DUE,
            Kind.CADENCE_CHECK,
            Kind.CHECK_IN,
            Kind.PHASE_CHANGED,  # programmes/services/progress.py
            Kind.CADENCE_PROPOSED,  # mentoring/services/cadence.py: to the other side
            Kind.PAIRING_CHANGED,  # mentoring/services/pairing.py
            Kind.SECTION_REVIEWED,  # playbooks/services/playbook.py
            Kind.SECTION_COMMENT,  # playbooks/services/playbook.py: to the other side
            Kind.SESSION_LOGGED,  # mentoring/services/session.py
            Kind.PAUSED,  # programmes/services/membership.py: when someone else pauses them
            Kind.SIGNED_OFF,  # playbooks/services/integration.py
            Kind.WORKSHOP_BOOKED,  # programmes/services/workshop.py: booked mentees
        }
    ),
    Role.MENTOR: frozenset(
        {
            Kind.PARTNER_SLIPPING,
            Kind.LOG_SESSION,
            Kind.REVIEW_WAITING,
            Kind.CADENCE_CHECK,
            Kind.PHASE_CHANGED,
            Kind.CADENCE_PROPOSED,
            Kind.PAIRING_CHANGED,
            Kind.SIGNED_OFF,
            Kind.SECTION_READY,  # playbooks/services/playbook.py
            Kind.SECTION_COMMENT,
            Kind.PAUSED,
            Kind.LEAD_REMINDER,  # mentoring/services/reminder.py
        }
    ),
    Role.LEAD: frozenset(
        {
            Kind.LEAD_DIGEST,
            Kind.PHASE_CHANGED,
            Kind.PERSON_JOINED,  # programmes/services/invitation.py: to whoever invited them
        }
    ),
}


def kinds_for(roles: Iterable[str]) -> frozenset[str]:
    """Every kind that can reach someone holding `roles` (in any programme)."""
    return frozenset[str]().union(*(KINDS_BY_ROLE.get(role, frozenset()) for role in roles))

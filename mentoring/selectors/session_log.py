"""What the mentor's log of a session reads besides the session itself."""

from __future__ import annotations

from django.db.models import Q, Value

from mentoring.models import AgreedAction, MentoringSession, SessionStatus


def log_actions(session: MentoringSession) -> tuple[list[AgreedAction], list[AgreedAction]]:
    """The actions carried into the log (as `services.session.open_actions_before`: from the
    pair's earlier logged sessions, still open or ticked done in this log) and the session's
    own agreed actions, each in the actions' order, from one query."""
    earlier = (
        Q(session__status=SessionStatus.LOGGED)
        & ~Q(session=session)
        & (Q(done_at__isnull=True) | Q(closed_in=session))
    )
    rows = list(
        AgreedAction.objects.filter(session__pairing_id=session.pairing_id)
        .filter(Q(session=session) | earlier)
        .select_related("session")
    )
    carried = [a for a in rows if a.session_id != session.pk]
    return carried, [a for a in rows if a.session_id == session.pk]


def chosen_rows(session: MentoringSession) -> tuple[list[int], list[int]]:
    """The ids of the playbook sections and of the activities the log says were discussed,
    from one query."""
    sections = MentoringSession.sections.through.objects.filter(
        mentoringsession_id=session.pk
    ).values_list(Value("section"), "section_id")
    activities = MentoringSession.activities.through.objects.filter(
        mentoringsession_id=session.pk
    ).values_list(Value("activity"), "activity_id")
    found: dict[str, list[int]] = {"section": [], "activity": []}
    for kind, pk in sections.union(activities, all=True):
        found[kind].append(pk)
    return found["section"], found["activity"]

"""Calendars: a session as an .ics file, and each person's private feed of their coming
sessions and workshops.

A calendar leaves the app: it is synced to phones and shared calendars, and a feed address
is a bearer secret. So an event carries only who the session is with, when, how long and
how (the channel), never the record's notes, actions or reflections; a workshop carries its
title, place and link.

A pair's *coming* session is their next session by the one rule
(`mentoring.selectors.cadence.next_sessions`), when it is today or later. A date needs a
time: it takes the wall-clock time of their last session in the mentee's time zone (pairs
tend to keep a slot), and is marked tentative because nobody agreed the hour.

Every time in a calendar is in UTC (`DTSTART:20261210T090000Z`), with no `VTIMEZONE`. The
events are single instants, never recurring, so UTC says exactly what the app stores, and
every calendar app reads it the same way and shows it in its own user's time zone. A
`TZID` needs its `VTIMEZONE`, and apps that read that definition (vobject, for one) read
the generated ones an hour off for half the year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from django.conf import settings
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    CadenceAgreement,
    CalendarFeed,
    Channel,
    EngagementPreference,
    MentoringSession,
    User,
)
from mentoring.selectors.cadence import next_sessions
from programmes.models import Workshop

Link = Callable[[str], str]  # a path to an absolute URL, e.g. request.build_absolute_uri


def with_plan(sessions: QuerySet[MentoringSession]) -> QuerySet[MentoringSession]:
    """Sessions annotated with what their next meeting needs: the mentee's time zone (their
    current preference, else their account's) and the agreed channel, if any."""
    preference = EngagementPreference.objects.current().filter(membership_id=OuterRef("mentee_id"))
    agreement = CadenceAgreement.objects.filter(
        pairing_id=OuterRef("pairing_id"), status=CadenceAgreement.Status.ACCEPTED
    )
    return sessions.annotate(
        plan_time_zone=Coalesce(
            Subquery(preference.values("time_zone")[:1]), F("mentee__user__time_zone")
        ),
        plan_channel=Subquery(agreement.values("channel")[:1]),
    )


def coming_sessions(user: User, *, today: date | None = None) -> list[MentoringSession]:
    """The latest logged session of each current pairing `user` is in, each with `next_on`,
    the pair's next session, where that is `today` or later; soonest first. Two queries."""
    today = today or timezone.localdate()
    latest = (
        MentoringSession.objects.filter(pairing_id=OuterRef("pairing_id"))
        .logged()
        .order_by("-held_at", "-pk")
        .values("pk")[:1]
    )
    sessions = list(
        with_plan(
            MentoringSession.objects.visible_to(user)
            .logged()
            .filter(pairing__ended_at__isnull=True, pk=Subquery(latest))
            .select_related("pairing")
        )
    )
    coming = next_sessions([session.pairing for session in sessions], today=today)
    ahead: list[tuple[date, MentoringSession]] = []
    for session in sessions:
        next_on = coming[session.pairing_id].on
        session.next_on = next_on  # type: ignore[attr-defined]  # read by next_session_start
        if next_on is not None and next_on >= today:
            ahead.append((next_on, session))
    return [session for _, session in sorted(ahead, key=lambda pair: (pair[0], pair[1].pk))]


def coming_workshops(user: User) -> QuerySet[Workshop]:
    """Workshops not yet over, in the programmes `user` belongs to."""
    return Workshop.objects.visible_to(user).upcoming().select_related("programme")


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def next_session_start(session: MentoringSession) -> datetime | None:
    """When the pair's next session starts: its date (`next_on`, set by `coming_sessions` or
    `session_file`) at the time of day `session` was held, in the mentee's time zone
    (annotated by `with_plan`)."""
    next_on = getattr(session, "next_on", None)
    if next_on is None:
        return None
    zone = _zone(getattr(session, "plan_time_zone", None))
    held = session.held_at.astimezone(zone)
    return datetime.combine(next_on, held.time().replace(tzinfo=None), zone)


def _partner(session: MentoringSession, viewer: User) -> str:
    is_mentor = session.mentor.user_id == viewer.pk
    return (session.mentee if is_mentor else session.mentor).user.display_name


def _session_event(
    *,
    uid: str,
    partner: str,
    start: datetime,
    minutes: int,
    channel: str,
    url: str,
    status: icalendar.STATUS,
) -> icalendar.Event:
    how = Channel(channel).label if channel in Channel.values else ""
    start = start.astimezone(UTC)
    return icalendar.Event.new(
        uid=uid,
        summary=f"Mentoring session with {partner}",
        description=", ".join(filter(None, [how, f"{minutes} minutes"])) + f"\n\n{url}",
        start=start,
        end=start + timedelta(minutes=minutes),
        stamp=datetime.now(UTC),
        location=how or None,
        url=url,
        status=status,
    )


def held_event(
    session: MentoringSession, *, viewer: User, link: Link, host: str
) -> icalendar.Event:
    """The session as it was held."""
    return _session_event(
        uid=f"mentoring-session-{session.pk}@{host}",
        partner=_partner(session, viewer),
        start=session.held_at,
        minutes=session.minutes,
        channel=session.channel,
        url=link(session.get_absolute_url()),
        status=icalendar.STATUS.CONFIRMED,
    )


def next_event(
    session: MentoringSession, *, viewer: User, link: Link, host: str
) -> icalendar.Event | None:
    """The next session agreed in `session`, or None if it set no date."""
    start = next_session_start(session)
    if start is None:
        return None
    return _session_event(
        # Named after the session that agreed it: each new log agrees a new one.
        uid=f"mentoring-next-{session.pk}@{host}",
        partner=_partner(session, viewer),
        start=start,
        minutes=session.minutes,
        channel=getattr(session, "plan_channel", None) or session.channel,
        url=link(reverse("mentoring:sessions", args=[session.programme.slug])),
        status=icalendar.STATUS.TENTATIVE,
    )


def workshop_event(workshop: Workshop, *, link: Link, host: str) -> icalendar.Event:
    """A workshop as in `programmes.services.workshop.calendar_file`, with the same UID so
    a downloaded file and the feed are one event, but without its description."""
    page_url = link(
        reverse("programmes:workshop_detail", args=[workshop.programme.slug, workshop.pk])
    )
    description = f"Details: {page_url}"
    if workshop.video_url:
        description = f"Join online: {workshop.video_url}\n\n{description}"
    return icalendar.Event.new(
        uid=f"workshop-{workshop.pk}@{host}",
        summary=workshop.title,
        description=description,
        start=workshop.starts_at.astimezone(UTC),
        end=workshop.ends_at.astimezone(UTC),
        stamp=datetime.now(UTC),
        location=workshop.location or workshop.video_url or None,
        url=workshop.video_url or page_url,
    )


def _calendar(events: Iterable[icalendar.Event], **fields: Any) -> bytes:
    return icalendar.Calendar.new(method="PUBLISH", subcomponents=list(events), **fields).to_ical()


def session_file(session: MentoringSession, *, viewer: User, link: Link, host: str) -> bytes:
    """One session as an iCalendar file for one of the pair; for their latest session, with
    their next one too, if it is still ahead."""
    events = [held_event(session, viewer=viewer, link=link, host=host)]
    nxt = next_sessions([session.pairing]).get(session.pairing_id)
    if nxt and nxt.latest_session_id == session.pk and nxt.on and nxt.on >= nxt.today:
        session.next_on = nxt.on  # type: ignore[attr-defined]  # read by next_session_start
        coming = next_event(session, viewer=viewer, link=link, host=host)
        assert coming is not None  # it has a next_on
        events.append(coming)
    return _calendar(events, prodid="-//Mentoring//Sessions//EN")


def feed_file(feed: CalendarFeed, *, link: Link, host: str) -> bytes:
    """A person's private feed: their coming sessions and workshops. Three queries with the
    feed lookup, however many there are."""
    user = feed.user
    events: list[icalendar.Event] = []
    for session in coming_sessions(user):
        coming = next_event(session, viewer=user, link=link, host=host)
        assert coming is not None  # coming_sessions gives each a next_on
        events.append(coming)
    events += [workshop_event(w, link=link, host=host) for w in coming_workshops(user)]
    events.sort(key=lambda event: event.start)
    return _calendar(
        events,
        prodid="-//Mentoring//Feed//EN",
        uid=f"feed-{feed.key}@{host}",
        name="Mentoring",
        refresh_interval=timedelta(hours=1),
    )

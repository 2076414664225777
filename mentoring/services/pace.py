"""The pace sweep: judge everyone whose check is due, store the verdict, record the nudges.

Beat runs `sweep` every 15 minutes. Each batch of due mentees is one transaction that:

1. picks the batch under a lock, so two sweeps at once take turns rather than both judging
   the same people (on PostgreSQL an advisory lock; SQLite has one writer anyway);
2. gathers their facts in a fixed number of set-based queries (`mentoring/selectors/pace.py`)
   and judges each with the pure rules (`mentoring/pace.py`): on PostgreSQL usually ahead,
   on a second connection, while the batch before was stored and recorded (`_Ahead`), and
   used only if that batch is exactly the one picked under the lock;
3. chooses the nudges that pass each recipient's settings and caps (the caps read now);
4. stores each verdict and the time of the next check with one bulk update;
5. records those nudges with one bulk insert that ignores conflicts on (recipient, kind,
   period): a second run finds them already there.

Emailing happens later and separately (`deliver_notifications`); a sweep never sends.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, cast

from django.db import DatabaseError, connection, models, transaction
from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation

from mentoring.pace import Nudge, Verdict, judge
from mentoring.selectors.pace import Subject, among, gather
from programmes.figures import changed
from programmes.lookups import array_literal
from programmes.models import (
    NUDGE_KINDS,
    Membership,
    Notification,
    NotificationKind,
    PaceStatus,
    Programme,
    Role,
)
from programmes.selectors.rows import id_paths
from programmes.services.notification import Person, people, prepare, record
from programmes.services.programme import SITE_NUDGE_EVERY_DAYS

logger = logging.getLogger(__name__)

BATCH = 2000
# The site's cap, across all of a person's programmes: one nudge every this many days.
NUDGE_EVERY_DAYS = SITE_NUDGE_EVERY_DAYS
# Each ignored nudge in a row doubles the wait before the next, up to this many times.
MAX_BACKOFF_DOUBLINGS = 3
SWEEP_LOCK = 7_311_001  # any number the app's other advisory locks don't use


@dataclass
class SweepResult:
    judged: int = 0
    nudges: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])
            # (PostgreSQL's JIT, which took a fifth of a 100,000 sweep compiling a batch's
            # many small lookups, is off for every connection: see DATABASES in settings.)
            # The sweep already keeps both cores busy (its two connections and Python):
            # parallel workers for one query only add their start-up to the queue.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")


def due_ids(now: datetime, limit: int) -> list[int]:
    """The first `limit` of those due, the longest due first. Among those due at the same
    moment (a whole group is, at 06:00), the index's own order: a stable one, so the batch
    read ahead is the one picked next. Ordering ties by id as well sorted everyone still
    due for each batch (the index is on the time alone): a tenth of a second each time at
    the start of a sweep of 100,000, against a hundredth in the index's order."""
    return list(
        Membership.objects.filter(
            role=Role.MENTEE,
            is_active=True,
            pace_due_at__lte=now,
            programme__status=Programme.Status.ACTIVE,
        )
        .order_by("pace_due_at")
        .values_list("pk", flat=True)[:limit]
    )


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cycle collector, mostly idle while a sweep runs: a sweep makes and drops
    millions of objects, none in cycles, and each full collection walked every object the
    process holds (a tenth of a second each, a dozen times in a sweep of 100,000). What
    was there before the sweep is set aside until it ends, and the youngest generation is
    collected less often; both are restored after (by the last of sweeps at once, should
    one process run two)."""
    with _collections_lock:
        if not _collections_held:
            _collections_held.append(gc.get_threshold())
            gc.freeze()
            gc.set_threshold(max(_collections_held[0][0], 50_000), *_collections_held[0][1:])
        _collections_held.append(None)
    try:
        yield
    finally:
        with _collections_lock:
            _collections_held.pop()
            if len(_collections_held) == 1:
                gc.set_threshold(*_collections_held.pop())
                gc.unfreeze()


# The thresholds before the first sweep still running began, then one entry per sweep.
_collections_held: list[Any] = []
_collections_lock = threading.Lock()


@_fewer_collections()
def sweep(*, now: datetime | None = None, batch: int = BATCH) -> SweepResult:
    """Judge everyone due, batch by batch, until nobody is due. (The lead's preview of
    what a sweep would send uses `plan`, the same path, and changes nothing.)"""
    now = now or timezone.now()
    result = SweepResult()
    ahead = _Ahead.start(now) if _can_gather_ahead() else None
    try:
        while True:
            with transaction.atomic():
                _lock()
                # Under the lock, who is due now; and, when gathering ahead, the batch after
                # them, as it stands before this one is stored.
                upcoming = due_ids(now, 2 * batch if ahead else batch)
                ids, after = upcoming[:batch], upcoming[batch:]
                if not ids:
                    return result
                batch_judged = ahead.take(ids) if ahead else None
                if batch_judged is None:
                    batch_judged = judge_batch(gather(ids, now=now))
                if ahead and after:
                    ahead.gather(after)
                subjects = batch_judged.subjects
                verdicts, nudges = plan(subjects, now=now, judged=batch_judged)
                _store(subjects, verdicts, now)
                _record(nudges)
                changed(*{s.slug for s in subjects})  # their dashboards rank on the new verdicts
            result.judged += len(ids)
            result.nudges += len(nudges)
            for v in verdicts.values():
                result.by_status[v.status] += 1
    finally:
        if ahead:
            ahead.close()


def refresh(membership_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Judge these mentees again now, with the sweep's own facts and rules, and store what
    the pages show: status, reason, how far behind. Someone who has just acted, or been
    moved on, then sees a pace that matches. Records no nudges: the sweep still decides
    those, and is asked to look at them now (a sooner check is kept). Returns how many
    were judged (active mentees of active programmes; anyone else is left alone)."""
    now = now or timezone.now()
    ids = list(
        Membership.objects.filter(
            pk__in=list(membership_ids),
            role=Role.MENTEE,
            is_active=True,
            programme__status=Programme.Status.ACTIVE,
        ).values_list("pk", flat=True)
    )
    judged = judge_batch(gather(ids, now=now))
    for s in judged.subjects:
        v = judged.verdicts[s.membership_id]
        Membership.objects.filter(pk=s.membership_id).update(
            pace_status=v.status,
            pace_reason=v.reason[:300],
            pace_behind=v.behind,
            pace_checked_at=now,
            pace_due_at=Case(When(pace_due_at__lte=now, then=F("pace_due_at")), default=Value(now)),
        )
    if judged.subjects:
        changed(*{s.slug for s in judged.subjects})
    return len(judged.subjects)


def _can_gather_ahead() -> bool:
    """Whether the next batch's facts may be read on a second connection while this batch is
    judged and stored: on PostgreSQL (the two use both cores), and only when the sweep owns
    its transactions. Inside a caller's transaction the second connection could not see the
    caller's uncommitted changes."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class _Ahead:
    """Reads the next batch's facts on a second connection, in a thread, and judges them,
    while the sweep chooses, stores and records this one's nudges (PostgreSQL works on one
    core, Python on the other). Recipients' caps are read under the lock, never ahead.

    The guess is used only if it is exactly the batch the sweep then picks under the lock;
    otherwise (another sweep took some, someone became due sooner) it is dropped and the
    batch gathered as usual. Facts read ahead are older by one batch's time: someone who
    acts in between asked to be looked at again (`record_action` sets their check to that
    moment), and the store keeps the sooner of that and the verdict's, as it does for
    anyone who acts while their batch is judged."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.zone = timezone.get_current_timezone()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pace-ahead")
        self.ids: list[int] = []
        self.pending: Future[Judged] | None = None

    @classmethod
    def start(cls, now: datetime) -> _Ahead:
        return cls(now)

    def gather(self, ids: list[int]) -> None:
        self.ids = ids
        self.pending = self.pool.submit(self._gather, ids)

    def take(self, ids: list[int]) -> Judged | None:
        """The facts read ahead and judged, if they are for exactly `ids`; None otherwise."""
        pending, self.pending = self.pending, None
        if pending is None:
            return None
        try:
            subjects = pending.result()  # wait for it either way: one read ahead at a time
        except DatabaseError:
            # The second connection failed (too many connections, say): the batch is
            # gathered on the sweep's own, as it would be without reading ahead.
            logger.warning("pace sweep: reading ahead failed", exc_info=True)
            return None
        return subjects if self.ids == ids else None

    def _gather(self, ids: list[int]) -> Judged:
        with timezone.override(self.zone), transaction.atomic():
            with connection.cursor() as cursor:
                # As `_lock` sets it for the batch.
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            return judge_batch(gather(ids, now=self.now))

    def close(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
            wait([self.pending])
        # The thread's connection is its own: close it on that thread.
        self.pool.submit(_close_connection).result()
        self.pool.shutdown()


def _close_connection() -> None:
    connection.close()  # this thread's connection: looked up when called, not when passed


def _store(subjects: list[Subject], verdicts: dict[int, Verdict], now: datetime) -> None:
    """Each subject's verdict and next check, and, where no last activity was kept yet
    (older data, imports), the one the facts derived."""
    zone = timezone.get_current_timezone()
    soonest = now + timedelta(hours=1)

    @functools.cache
    def at(day: date, hour: int) -> datetime:
        # What timezone.make_aware does, once per day rather than once per person.
        return timezone.make_aware(datetime.combine(day, time(hour)), zone)

    rows = []
    for s in subjects:
        v = verdicts[s.membership_id]
        # Look again early in the morning of the day the rules named, never within the hour.
        last_active = s.facts.last_active_on
        rows.append(
            _Stored(
                s.membership_id,
                v.status,
                v.reason[:300],
                v.behind,
                max(at(v.next_check_on, 6), soonest),
                at(last_active, 12)
                if last_active is not None and s.last_active_at is None
                else None,
            )
        )
    if not rows:
        return
    if connection.vendor == "postgresql":
        _store_postgresql(rows, now)
    else:
        _store_portably(rows, now)


class _Stored(NamedTuple):
    # A named tuple: one for each person swept, and the columns are its fields, zipped.
    membership_id: int
    status: str
    reason: str
    behind: float
    due_at: datetime
    derived_last_active_at: datetime | None


def _store_postgresql(rows: list[_Stored], now: datetime) -> None:
    # One statement with the batch as arrays: bulk_update would build a CASE per column
    # with a branch per row, which costs more to compile than everything else in a batch.
    # Each array travels as one literal: psycopg adapting the lists element by element took
    # most of this stage's time.
    membership_ids, statuses, reasons, behinds, due_ats, derived = zip(*rows, strict=True)
    ids = array_literal(membership_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {Membership._meta.db_table} AS m
            SET pace_status = v.status, pace_reason = v.reason, pace_behind = v.behind,
                pace_checked_at = %s,
                -- Someone who acted (or was paused) while this batch ran was asked to be
                -- looked at again: keep the sooner of that and the verdict's next check.
                pace_due_at = CASE WHEN m.pace_due_at > %s
                                   THEN LEAST(m.pace_due_at, v.due_at) ELSE v.due_at END,
                last_active_at = coalesce(m.last_active_at, v.derived_last_active_at)
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::float8[],
                        %s::timestamptz[], %s::timestamptz[])
                AS v(id, status, reason, behind, due_at, derived_last_active_at)
            -- The ids again as a condition on the table itself: without it the planner,
            -- which cannot see into the arrays, hashed every membership to join a batch.
            WHERE m.id = v.id AND m.id = ANY(%s::bigint[])
            """,  # nosec B608 # the model's table name; every value is a parameter
            [
                now,
                now,
                ids,
                array_literal(statuses),
                array_literal(reasons),
                array_literal(behinds),
                array_literal(due_ats),
                array_literal(derived),
                ids,
            ],
        )


def _store_portably(rows: list[_Stored], now: datetime) -> None:
    Membership.objects.bulk_update(
        [
            Membership(
                pk=r.membership_id,
                pace_status=r.status,
                pace_reason=r.reason,
                pace_behind=r.behind,
                pace_checked_at=now,
                pace_due_at=r.due_at,
            )
            for r in rows
        ],
        ["pace_status", "pace_reason", "pace_behind", "pace_checked_at", "pace_due_at"],
        batch_size=1000,
    )
    derived = [
        Membership(pk=r.membership_id, last_active_at=r.derived_last_active_at)
        for r in rows
        if r.derived_last_active_at is not None
    ]
    if derived:
        Membership.objects.bulk_update(derived, ["last_active_at"], batch_size=1000)


# The fields a nudge is inserted with on PostgreSQL, and the kinds of field `array_literal`
# writes; a field of another kind sends the batch through `record` instead.
_LITERAL_FIELDS = (
    models.BigIntegerField,
    models.IntegerField,
    models.ForeignKey,
    models.CharField,
    models.TextField,
    models.DateTimeField,
    models.DateField,
    models.BooleanField,
    models.FloatField,
)


def _record(nudges: list[Notification]) -> None:
    """What `record` does (insert them all; one already there for the same recipient, kind
    and period wins), as one INSERT ... SELECT FROM unnest with a literal array per column
    on PostgreSQL: bulk_create's per-value preparation and adaptation took most of the
    stage's time."""
    if not nudges:
        return
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    if connection.vendor != "postgresql" or not all(isinstance(f, _LITERAL_FIELDS) for f in fields):
        record(nudges)
        return
    table = connection.ops.quote_name(Notification._meta.db_table)
    # A concrete field always has a column; the stubs allow None for the others.
    columns = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) "
            "ON CONFLICT DO NOTHING",  # nosec B608 # the model's own names; values are parameters
            [array_literal(getattr(n, f.attname) for n in nudges) for f in fields],
        )


@dataclass(frozen=True)
class Judged:
    """A batch judged: its subjects, the settings of everyone its nudges may go to, and
    each subject's verdict."""

    subjects: list[Subject]
    persons: dict[int, Person]
    verdicts: dict[int, Verdict]


def judge_batch(subjects: list[Subject]) -> Judged:
    """Each subject judged by the rules, as their own snooze leaves them. Reads the
    recipients' settings; changes nothing."""
    recipients = {s.user_id for s in subjects} | {
        s.mentor_user_id for s in subjects if s.mentor_user_id
    }
    persons = people(recipients)
    verdicts: dict[int, Verdict] = {}
    for s in subjects:
        me = persons.get(s.user_id)
        facts = s.facts
        if me and me.snoozed_until:
            facts = dataclasses.replace(facts, snoozed_until=me.snoozed_until)
        verdicts[s.membership_id] = judge(facts)
    return Judged(subjects, persons, verdicts)


def plan(
    subjects: list[Subject], *, now: datetime, judged: Judged | None = None
) -> tuple[dict[int, Verdict], list[Notification]]:
    """Each subject's verdict, and the nudges to record after every recipient's settings,
    the programmes' switches and the caps are applied. Reads only; changes nothing.
    `judged` is the batch already judged (the sweep judges the next batch ahead); the caps
    are always read here, as they stand now."""
    today = timezone.localdate(now)
    if judged is None or judged.subjects is not subjects:
        judged = judge_batch(subjects)
    persons, verdicts = judged.persons, judged.verdicts
    programmes = {
        p.pk: p for p in Programme.objects.filter(pk__in={s.programme_id for s in subjects})
    }
    caps = _recent_nudges(list(persons), now)

    candidates: list[tuple[float, Subject, Nudge, int]] = []
    for s in subjects:
        v = verdicts[s.membership_id]
        off = set(programmes[s.programme_id].nudges_off or ())
        for nudge in v.nudges:
            if nudge.kind in off:
                continue
            recipient = s.user_id if nudge.audience == "mentee" else s.mentor_user_id
            if recipient is None:
                continue
            candidates.append((v.behind, s, nudge, recipient))

    chosen: dict[int, Notification] = {}
    language = translation.get_language()  # once: asking costs more than the rest of a reason
    # The most pressing first: each recipient gets at most one nudge per sweep.
    for _behind, s, nudge, recipient in sorted(candidates, key=lambda c: -c[0]):
        if recipient in chosen:
            continue
        person = persons[recipient]
        if not person.wants(nudge.kind) or person.snoozed(today):
            continue
        programme = programmes[s.programme_id]
        if not _cap_allows(caps, person, programme, now):
            continue
        if person.quiet_from is None and programme.quiet_from and programme.quiet_until:
            # Someone who set no quiet hours has their programme's defaults.
            person = dataclasses.replace(
                person, quiet_from=programme.quiet_from, quiet_until=programme.quiet_until
            )
        chosen[recipient] = prepare(
            person,
            kind=nudge.kind,
            period=_period(nudge.kind, s.membership_id, today),
            title=nudge.title,
            body=nudge.body,
            reason=_why(nudge, s, verdicts[s.membership_id], language),
            link=_link(nudge.target, s),
            programme_id=s.programme_id,
            about_id=s.membership_id,
            now=now,
        )
    return verdicts, list(chosen.values())


@dataclass
class _Recent:
    last_any: datetime | None = None
    last_in: dict[int, datetime] = field(default_factory=dict)
    ignored: int = 0


def _recent_nudges(user_ids: Iterable[int], now: datetime) -> dict[int, _Recent]:
    """Each recipient's latest nudges (three per programme), in one query: when they last
    had one anywhere, in each programme, and how many in a row went unanswered."""
    found: dict[int, _Recent] = defaultdict(_Recent)
    rows = (
        Notification.objects.filter(
            among("recipient_id", list(user_ids)),
            kind__in=NUDGE_KINDS - {NotificationKind.LEAD_DIGEST},
            created_at__gte=now - timedelta(days=90),
        )
        .annotate(
            rn=Window(
                RowNumber(),
                partition_by=[F("recipient_id"), F("programme_id")],
                order_by=F("created_at").desc(),
            )
        )
        .filter(rn__lte=3)
        .order_by("recipient_id", "-created_at")
        .values_list("recipient_id", "programme_id", "created_at", "acted_at")
    )
    ignored_before = now - timedelta(days=2)
    streak_open: dict[int, bool] = defaultdict(lambda: True)
    for recipient_id, programme_id, at, acted_at in rows:
        r = found[recipient_id]
        if r.last_any is None or at > r.last_any:
            r.last_any = at
        if programme_id not in r.last_in:
            r.last_in[programme_id] = at
        if streak_open[recipient_id]:
            if acted_at is None and at < ignored_before:
                r.ignored += 1
            else:
                streak_open[recipient_id] = False
    return found


def _cap_allows(
    caps: dict[int, _Recent], person: Person, programme: Programme, now: datetime
) -> bool:
    recent = caps.get(person.user_id)
    if recent is None:
        return True
    backoff = 2 ** min(recent.ignored, MAX_BACKOFF_DOUBLINGS)
    if recent.last_any and now - recent.last_any < timedelta(days=NUDGE_EVERY_DAYS * backoff):
        return False
    last_here = recent.last_in.get(programme.pk)
    own_cap = max(programme.nudge_every_days, NUDGE_EVERY_DAYS)
    return not (last_here and now - last_here < timedelta(days=own_cap * backoff))


def _period(kind: str, membership_id: int, today: date) -> str:
    if kind == NotificationKind.CHECK_IN:
        return f"{membership_id}:{today:%Y-%m}"
    return f"{membership_id}:{today.isoformat()}"


def _why(nudge: Nudge, s: Subject, v: Verdict, language: str | None) -> str:
    """Why this person got this nudge, in words they can check."""
    name = s.facts.name
    match nudge.kind:
        case NotificationKind.REVIEW_WAITING:
            return f"You mentor {name}; sections they marked ready wait for your review."
        case NotificationKind.LOG_SESSION:
            return f"You mentor {name}; your last session set this date for the next one."
        case NotificationKind.CADENCE_CHECK:
            return (
                "Weighed from your sessions since you agreed your rhythm: the answers to "
                "“how often?” after each, and how often you have really met."
            )
        case NotificationKind.CHECK_IN:
            return "You finished the programme: a light check-in, once a month."
    label = _status_word(v.status, language)
    # The body already says what happened; the reason says how it was judged.
    if nudge.audience == "mentee":
        return f"You were marked {label}, judged against your own agreed rhythm and plan."
    return f"You mentor {name}, who was marked {label} against their own rhythm and plan."


@functools.lru_cache(maxsize=64)
def _status_word(status: str, language: str | None) -> str:
    # A label is a lazy translation: evaluating it cost more than the rest of the reason.
    # Kept per language (the key's second part), as the words depend on it.
    return str(PaceStatus(status).label).lower()


# Where a nudge's link goes, when the programme's page is enough.
PROGRAMME_PAGES = {
    "sessions": "mentoring:sessions",
    "assessment": "programmes:assessment",
    "workshops": "programmes:workshops",
    "checklist": "playbooks:checklist",
    "playbook": "playbooks:playbook",
    "cadence": "mentoring:mine",
    # Starting a log is a POST; the Sessions list has the button for each partner.
    "log": "mentoring:sessions",
}


@functools.lru_cache(maxsize=4096)
def _programme_page(name: str, slug: str, prefix: str) -> str:
    # Reversing a URL costs more than judging a mentee; a sweep asks for the same few.
    return reverse(name, kwargs={"slug": slug})


# Where a nudge's link goes, when it is a page about the mentee.
MEMBER_PAGES = {"partner": "mentoring:partner", "review": "playbooks:member_playbook"}


@functools.lru_cache(maxsize=4096)
def _member_page(name: str, slug: str, prefix: str) -> tuple[str, str]:
    # The page's address around the member's id: reversed once per programme, not per nudge.
    return id_paths(name, slug)


# Where on a member's page a nudge's link lands: the sections waiting for the mentor.
MEMBER_ANCHORS = {"review": "#review"}


def _link(target: str, s: Subject) -> str:
    slug = s.slug
    if target in PROGRAMME_PAGES:
        return _programme_page(PROGRAMME_PAGES[target], slug, get_script_prefix())
    if target in MEMBER_PAGES:
        before, after = _member_page(MEMBER_PAGES[target], slug, get_script_prefix())
        return f"{before}{s.membership_id}{after}{MEMBER_ANCHORS.get(target, '')}"
    return reverse("mentoring:home")


def lead_digests(*, now: datetime | None = None) -> int:
    """Once a week per programme, each lead gets the people at risk with their reasons."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
    risky = Q(pace_status__in=[PaceStatus.STALLED, PaceStatus.SLIPPING])
    totals = {
        row["programme_id"]: row
        for row in Membership.objects.filter(
            risky, role=Role.MENTEE, is_active=True, programme__status=Programme.Status.ACTIVE
        )
        .values("programme_id")
        .annotate(
            stalled=Count("id", filter=Q(pace_status=PaceStatus.STALLED)),
            slipping=Count("id", filter=Q(pace_status=PaceStatus.SLIPPING)),
        )
    }
    programme_ids = list(totals)
    if not programme_ids:
        return 0
    ranked: dict[int, list[Any]] = defaultdict(list)
    for row in (
        Membership.objects.filter(
            risky, programme_id__in=programme_ids, role=Role.MENTEE, is_active=True
        )
        .annotate(
            rn=Window(
                RowNumber(),
                partition_by=[F("programme_id")],
                # The dashboard's order: furthest behind first, ties by name.
                order_by=[F("pace_behind").desc(), F("user__name").asc(), F("pk").asc()],
            )
        )
        .filter(rn__lte=10)
        .values("programme_id", "user__name", "user__email", "pace_status", "pace_reason")
        .order_by("programme_id", "rn")
    ):
        ranked[row["programme_id"]].append(row)
    leads = Membership.objects.filter(
        programme_id__in=programme_ids, role=Role.LEAD, is_active=True
    ).values("programme_id", "user_id", "programme__slug", "programme__name")
    lead_rows = list(leads)
    persons = people({row["user_id"] for row in lead_rows})
    programmes = {p.pk: p for p in Programme.objects.filter(pk__in=programme_ids)}
    out = []
    for lead in lead_rows:
        pid = lead["programme_id"]
        if NotificationKind.LEAD_DIGEST in (programmes[pid].nudges_off or ()):
            continue
        person = persons[lead["user_id"]]
        if not person.wants(NotificationKind.LEAD_DIGEST) or person.snoozed(today):
            continue
        t = totals[pid]
        lines = [
            f"- {r['user__name'] or r['user__email']} "
            f"({PaceStatus(r['pace_status']).label.lower()}): {r['pace_reason']}"
            for r in ranked[pid]
        ]
        shown = len(lines)
        rest = t["stalled"] + t["slipping"] - shown
        if rest > 0:
            lines.append(f"- and {rest} more on the dashboard.")
        out.append(
            prepare(
                person,
                kind=NotificationKind.LEAD_DIGEST,
                period=f"{pid}:{week}",
                title=(
                    f"{lead['programme__name']}: {t['stalled']} stalled, {t['slipping']} slipping"
                ),
                body="\n".join(lines),
                reason="You lead this programme; leads get a weekly digest of who is at risk.",
                # The dashboard's at-risk list, where each has "Remind mentor" and "Set aside".
                link=reverse("mentoring:dashboard", kwargs={"slug": lead["programme__slug"]})
                + "#at-risk",
                programme_id=pid,
                now=now,
            )
        )
    record(out)
    return len(out)

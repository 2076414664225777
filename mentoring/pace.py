"""Is a mentee keeping their own pace? Pure rules, no Django, no database.

`judge(facts)` decides for one person from the facts the sweep gathered
(`mentoring/selectors/pace.py`): their status (ahead, on pace, slipping, stalled, paused),
the reason in words, how far behind they are, when to look again, and whom to nudge about
what. The sweep stores the
verdict and records the nudges; every page reads the stored verdict. There is no second copy
of these rules anywhere.

Every threshold is relative to the person's own rhythm: "behind" is measured in units of
the interval they agreed (a weekly pair is one unit late after a week of silence, a monthly
pair after a month), never in fixed days.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import NamedTuple

# How far behind, in the person's own intervals, before each step is taken.
NUDGE_MENTEE_AT = 1.25
NUDGE_MENTOR_AT = 2.0
FLAG_LEAD_AT = 3.0
# Two nudges left unanswered flag the lead too, however small the gap.
FLAG_LEAD_AFTER_IGNORED = 2
# Someone who did something this recently is not nudged: they are already acting.
RECENTLY_ACTIVE = timedelta(days=2)
# Overdue actions alone never count as more behind than this (slipping, not stalled).
ACTIONS_AT_MOST = 1.5
# Without an agreed rhythm, silence is judged against a fortnight.
DEFAULT_INTERVAL_DAYS = 14
# Never wait longer than this to look again.
LONGEST_WAIT_DAYS = 7
# An operationalised person is checked on, lightly, once a month.
CHECK_IN_DAYS = 30

_THRESHOLDS = (NUDGE_MENTEE_AT, NUDGE_MENTOR_AT, FLAG_LEAD_AT)

STALLED, SLIPPING, ON_PACE, AHEAD, PAUSED = "stalled", "slipping", "on_pace", "ahead", "paused"

CADENCE_WORDS = {
    "weekly": "weekly",
    "fortnightly": "fortnightly",
    "monthly": "monthly",
}


@dataclass(frozen=True)
class PaceFacts:
    """One mentee's recent history, as the sweep gathered it."""

    today: date
    name: str = "your partner"
    phase_name: str = ""
    phase_criterion: str = ""  # what completes the phase (an ExitCriterion value)
    phase_started_on: date | None = None
    expected_weeks: int | None = None
    # The programme's start date: nothing is due before it, and no clock runs before it.
    programme_starts_on: date | None = None
    operationalised_on: date | None = None
    paused_until: date | None = None
    snoozed_until: date | None = None
    joined_on: date | None = None
    # 1:1 mentoring
    has_mentor: bool = False
    paired_on: date | None = None
    cadence: str = ""  # the agreed one; "" when none is agreed or it is "when needed"
    interval_days: int | None = None
    last_session_on: date | None = None
    planned_session_on: date | None = None  # the date the pair set in their last session
    open_actions: int = 0
    overdue_actions: int = 0
    oldest_overdue_on: date | None = None  # the earliest due date among overdue actions
    # how often? answers after the last sessions, newest first ("more", "right", "less")
    frequency_answers: tuple[str, ...] = ()
    # gaps in days between their last few sessions, newest first
    recent_gaps: tuple[int, ...] = ()
    # practice
    target_per_week: int | None = None
    done_last_fortnight: int = 0
    last_completion_on: date | None = None
    # playbook
    last_section_on: date | None = None
    next_section: str = ""
    sections_waiting_review: int = 0
    review_waiting_since: date | None = None
    # anything at all
    last_active_on: date | None = None
    ignored_nudges: int = 0
    # a number that varies the wording from week to week and person to person
    variant: int = 0


@dataclass(frozen=True)
class Nudge:
    audience: str  # "mentee" or "mentor"
    kind: str  # a NotificationKind value
    title: str
    body: str
    target: str  # where its link goes: home, sessions, checklist, playbook, cadence, review


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str
    behind: float
    next_check_on: date
    flag_lead: bool = False
    nudges: tuple[Nudge, ...] = field(default_factory=tuple)

    def nudge_for(self, audience: str) -> Nudge | None:
        return next((n for n in self.nudges if n.audience == audience), None)


class _Signal(NamedTuple):
    # A named tuple rather than a dataclass: a sweep makes a few for each of 100,000 people.
    behind: float
    reason: str
    source: str  # session, practice, phase, silence, actions
    since: date | None = None  # the day the clock started, to say when to look again
    unit_days: float = 0


@functools.lru_cache(maxsize=1024)
def _day(d: date) -> str:
    # A sweep words the same few hundred days for thousands of people: format each once.
    return f"{d.day} {d:%B}"


def _pick(options: list[str], variant: int) -> str:
    return options[variant % len(options)]


def _from(f: PaceFacts, day: date | None) -> date | None:
    """When a clock that started on `day` starts counting: not before the programme did
    (someone who joined, was paired or did something early is not behind for the weeks
    before it began)."""
    start = f.programme_starts_on
    if day is None or start is None:
        return day
    return max(day, start)


def _signals(f: PaceFacts) -> list[_Signal]:
    signals: list[_Signal] = []
    today = f.today
    if f.has_mentor and f.interval_days:
        since = _from(f, f.last_session_on or f.paired_on)
        if since is not None:
            days = (today - since).days
            rhythm = CADENCE_WORDS.get(f.cadence, f"every {f.interval_days} days")
            if f.last_session_on and since == f.last_session_on:
                reason = (
                    f"No session since {_day(f.last_session_on)}; the agreed rhythm is {rhythm}."
                )
            elif f.programme_starts_on and since == f.programme_starts_on:
                reason = (
                    f"No session since the programme began on {_day(since)}; the agreed "
                    f"rhythm is {rhythm}."
                )
            else:
                reason = (
                    f"No session yet since pairing on {_day(since)}; the agreed rhythm is {rhythm}."
                )
            signals.append(
                _Signal(days / f.interval_days, reason, "session", since, f.interval_days)
            )
    unit = f.interval_days or DEFAULT_INTERVAL_DAYS
    last_active = _from(f, f.last_active_on or f.joined_on)
    if last_active is not None:
        days = (today - last_active).days
        began = last_active != (f.last_active_on or f.joined_on)
        signals.append(
            _Signal(
                days / unit,
                f"Nothing done since the programme began on {_day(last_active)}."
                if began
                else f"Nothing done in the programme since {_day(last_active)}.",
                "silence",
                last_active,
                unit,
            )
        )
    if f.target_per_week:
        # A fortnight's worth, or what the days since the programme began allow.
        begun = (today - f.programme_starts_on).days if f.programme_starts_on else 14
        window = min(max(begun, 1), 14)
        expected = max(1, round(f.target_per_week * window / 7))
        if f.done_last_fortnight >= expected:
            behind = 0.0
        elif f.done_last_fortnight == 0:
            start = _from(f, f.last_completion_on or f.joined_on) or today - timedelta(days=14)
            behind = (today - start).days / 7
        else:
            behind = 2 * (1 - f.done_last_fortnight / expected)
        a_week = f"{f.target_per_week} a week"
        when = (
            f"since the programme began on {_day(f.programme_starts_on)}"
            if window < 14 and f.programme_starts_on
            else "in the last fortnight"
        )
        signals.append(
            _Signal(
                behind,
                f"{f.done_last_fortnight} "
                f"{'activity' if f.done_last_fortnight == 1 else 'activities'} {when} against a "
                f"target of {a_week}.",
                "practice",
                f.last_completion_on,
                7,
            )
        )
    phase_since = _from(f, f.phase_started_on)
    if f.expected_weeks and phase_since:
        days = (today - phase_since).days
        planned = f.expected_weeks * 7
        ratio = days / planned
        # A phase taking longer than planned is a softer sign than silence: it counts only
        # once it is a quarter over, and then from its overrun.
        if ratio > 1:
            weeks = f"{f.expected_weeks} week{'s' if f.expected_weeks != 1 else ''}"
            signals.append(
                _Signal(
                    ratio,
                    f"{days} days in {f.phase_name or 'this phase'}; "
                    f"it is planned to take {weeks}." + _waiting_on(f),
                    "phase",
                    phase_since,
                    planned,
                )
            )
    if f.overdue_actions and f.oldest_overdue_on:
        # An action a day late is a small thing; one a whole interval late is not.
        n = f.overdue_actions
        # Late from the programme's start at the earliest, though agreed before it.
        since = _from(f, f.oldest_overdue_on) or f.oldest_overdue_on
        # Late actions alone make someone slipping at most: a pair that keeps meeting is
        # not stalled, and the mentor sees the actions on their home page anyway.
        signals.append(
            _Signal(
                min((today - since).days / unit, ACTIONS_AT_MOST),
                f"{n} agreed action{'s' if n != 1 else ''} overdue, the oldest since "
                f"{_day(f.oldest_overdue_on)}.",
                "actions",
                since,
                unit,
            )
        )
    return signals


def _waiting_on(f: PaceFacts) -> str:
    """What the phase still waits for, as its exit criterion counts it (or "")."""
    match f.phase_criterion:
        case "baseline":
            return " The baseline self-assessment is not in yet."
        case "workshops":
            return " This phase's workshops are not all attended yet."
        case "playbook" if f.next_section:
            return f" Next in the playbook: “{f.next_section}”."
        case "playbook":
            return " Playbook sections are still open."
        case "sessions" if f.open_actions:
            n = f.open_actions
            return f" {n} agreed action{'s' if n != 1 else ''} still open."
        case "sessions":
            return " More sessions are still to be logged."
        case "signoff":
            return " This phase waits for a lead's sign-off."
        case "manual":
            return " This phase waits for the mentor or a lead to move it on."
    return ""


def _next_check(f: PaceFacts, signals: list[_Signal]) -> date:
    """The first day a signal crosses its next threshold, and never more than a week off."""
    today = f.today
    # In days from today: the latest look, and the first threshold each signal crosses.
    soonest = LONGEST_WAIT_DAYS
    for s in signals:
        if s.since is None or not s.unit_days:
            continue
        elapsed = (today - s.since).days
        for threshold in _THRESHOLDS:
            crossed_after = math.ceil(threshold * s.unit_days)  # days from since
            if crossed_after > elapsed:
                soonest = min(soonest, crossed_after - elapsed)
                break
    planned = f.planned_session_on
    if planned and planned >= today:
        soonest = min(soonest, (planned - today).days + 1)
    return today + timedelta(days=max(soonest, 1))


def _mentee_nudge(f: PaceFacts, lead: _Signal) -> Nudge:
    v = f.variant
    if lead.source == "session":
        return Nudge(
            "mentee",
            "session_due",
            _pick(
                [
                    "Time to meet your mentor again",
                    "Your next mentoring session is due",
                    "Shall we put a session in the diary?",
                ],
                v,
            ),
            f"{lead.reason} A short session now keeps your momentum.",
            "cadence",
        )
    if lead.source == "actions":
        return Nudge(
            "mentee",
            "actions_due",
            _pick(
                [
                    "An action you agreed is waiting",
                    "Tick off what you agreed with your mentor",
                    "One agreed action to close",
                ],
                v,
            ),
            f"{lead.reason} Done it already? Tick it off; if not, it's worth a few minutes.",
            "sessions",
        )
    step = _phase_step(f)
    if step is not None and lead.source in {"phase", "silence", "practice"}:
        title, body, target = step
        return Nudge("mentee", "next_step", _pick(title, v), f"{lead.reason} {body}", target)
    return Nudge(
        "mentee",
        "next_step",
        _pick(
            ["Your next step", "Where you are, and what is next", "A nudge from your programme"], v
        ),
        f"{lead.reason} Your home page shows the one next step.",
        "home",
    )


def _phase_step(f: PaceFacts) -> tuple[list[str], str, str] | None:
    """The one next step the mentee's phase asks for: titles to vary, a line, a target."""
    match f.phase_criterion:
        case "baseline":
            return (
                [
                    "Your baseline self-assessment is waiting",
                    "Where are you starting from?",
                    "Ten minutes for your baseline",
                ],
                "Your baseline takes about ten minutes and saves as you go.",
                "assessment",
            )
        case "workshops":
            return (
                ["Book your next workshop", "A workshop place is waiting", "Workshops coming up"],
                "Choose a date that suits you.",
                "workshops",
            )
        case "playbook" if f.next_section:
            return (
                [
                    f"Next in your playbook: {f.next_section}",
                    f"Pick up “{f.next_section}” where you left it",
                    f"Ten minutes on “{f.next_section}”?",
                ],
                "Your draft saves as you type.",
                "playbook",
            )
    if f.target_per_week:
        return (
            ["Your checklist is waiting", "A small step for this week", "Back to your activities"],
            "Tick off what you have done yourself.",
            "checklist",
        )
    return None


def judge(f: PaceFacts) -> Verdict:
    """Decide one mentee's pace, and whom to nudge about it."""
    today = f.today
    if f.paused_until is not None and f.paused_until >= today:
        return Verdict(
            PAUSED,
            f"Paused until {_day(f.paused_until)}.",
            0.0,
            f.paused_until + timedelta(days=1),
        )
    if f.operationalised_on is not None:
        check_in: tuple[Nudge, ...] = ()
        if not (f.snoozed_until and f.snoozed_until >= today):
            check_in = (
                Nudge(
                    "mentee",
                    "check_in",
                    _pick(
                        ["How is it going?", "A monthly check-in", "Still going strong?"], f.variant
                    ),
                    "You finished the programme on "
                    f"{_day(f.operationalised_on)}. What has worked this month, and what would "
                    "help? Your playbook is still yours to keep up to date.",
                    "playbook",
                ),
            )
        return Verdict(
            ON_PACE,
            f"Operationalised on {_day(f.operationalised_on)}; checked on monthly.",
            0.0,
            today + timedelta(days=CHECK_IN_DAYS),
            nudges=check_in,
        )

    if f.programme_starts_on is not None and f.programme_starts_on > today:
        return Verdict(
            ON_PACE,
            f"The programme starts on {_day(f.programme_starts_on)}"
            + (f" {f.programme_starts_on.year}" if f.programme_starts_on.year != today.year else "")
            + "; pace is judged from then.",
            0.0,
            f.programme_starts_on,
        )
    signals = _signals(f)
    lead = max(signals, key=lambda s: s.behind, default=None)
    behind = lead.behind if lead else 0.0
    stalled = behind >= FLAG_LEAD_AT or (
        behind >= NUDGE_MENTEE_AT and f.ignored_nudges >= FLAG_LEAD_AFTER_IGNORED
    )
    if stalled:
        status = STALLED
    elif behind >= NUDGE_MENTEE_AT:
        status = SLIPPING
    elif _is_ahead(f, signals):
        status = AHEAD
    else:
        status = ON_PACE
    if lead is not None and behind >= NUDGE_MENTEE_AT:
        reason = lead.reason
    elif status == AHEAD:
        reason = "Ahead of their own targets, and meeting as agreed."
    else:
        reason = _on_pace_reason(f)

    nudges: list[Nudge] = []
    acted_recently = f.last_active_on is not None and (today - f.last_active_on) < RECENTLY_ACTIVE
    snoozed = f.snoozed_until is not None and f.snoozed_until >= today
    if lead is not None and behind >= NUDGE_MENTEE_AT and not acted_recently and not snoozed:
        nudges.append(_mentee_nudge(f, lead))
    if lead is not None and behind >= NUDGE_MENTOR_AT and f.has_mentor:
        nudges.append(
            Nudge(
                "mentor",
                "partner_slipping",
                _pick(
                    [
                        f"{f.name} could use a word from you",
                        f"Check in with {f.name}?",
                        # "Gone quiet" only when silence is the reason, not a long phase.
                        f"{f.name} has gone quiet"
                        if lead.source in {"session", "silence"}
                        else f"{f.name} may need a hand",
                    ],
                    f.variant,
                ),
                f"{f.name}: {lead.reason[0].lower()}{lead.reason[1:]}",
                "partner",
            )
        )
    elif f.has_mentor and _session_to_log(f):
        assert f.planned_session_on is not None
        nudges.append(
            Nudge(
                "mentor",
                "log_session",
                f"Did you meet {f.name} on {_day(f.planned_session_on)}?",
                "If you did, log it while it is fresh: it takes about a minute. If not, agree a "
                "new date.",
                "log",
            )
        )
    waiting = f.review_waiting_since
    if f.has_mentor and f.sections_waiting_review and waiting and (today - waiting).days >= 2:
        n = f.sections_waiting_review
        nudges.append(
            Nudge(
                "mentor",
                "review_waiting",
                f"{f.name} is waiting for your review",
                f"{n} playbook section{'s' if n != 1 else ''} ready for review since "
                f"{_day(waiting)}.",
                "review",
            )
        )
    rethink = _cadence_rethink(f)
    if rethink:
        nudges.append(
            Nudge("mentee", "cadence_check", "Is your rhythm still right?", rethink, "cadence")
        )
        nudges.append(
            Nudge(
                "mentor",
                "cadence_check",
                f"Is your rhythm with {f.name} still right?",
                rethink,
                "partner",
            )
        )
    return Verdict(
        status,
        reason,
        round(behind, 3),
        _next_check(f, signals),
        flag_lead=stalled,
        nudges=tuple(nudges),
    )


def _is_ahead(f: PaceFacts, signals: list[_Signal]) -> bool:
    if any(s.behind > 0.75 for s in signals):
        return False
    practice_ahead = bool(f.target_per_week) and f.done_last_fortnight > 2 * (
        f.target_per_week or 0
    )
    phase_ahead = bool(f.expected_weeks and f.phase_started_on) and f.done_last_fortnight > 0
    return practice_ahead or (phase_ahead and f.overdue_actions == 0 and f.open_actions == 0)


def _on_pace_reason(f: PaceFacts) -> str:
    if f.has_mentor and f.last_session_on and f.cadence in CADENCE_WORDS:
        return (
            f"Last session {_day(f.last_session_on)}, meeting {CADENCE_WORDS[f.cadence]} as agreed."
        )
    start = f.programme_starts_on
    if start is not None and (f.last_active_on is None or f.last_active_on < start):
        return f"The programme began on {_day(start)}."
    if f.last_active_on:
        return f"Last active {_day(f.last_active_on)}."
    return "Just started."


def _session_to_log(f: PaceFacts) -> bool:
    """The pair set a date in their last session, it has just passed, and nothing is logged."""
    planned = f.planned_session_on
    if planned is None or not (1 <= (f.today - planned).days <= 3):
        return False
    return f.last_session_on is None or f.last_session_on < planned


def _cadence_rethink(f: PaceFacts) -> str:
    """Why the pair should agree a new rhythm, or "" if they needn't (seed 000: ask them)."""
    found = cadence_suggestion(
        cadence=f.cadence,
        interval_days=f.interval_days,
        answers=f.frequency_answers,
        gaps=f.recent_gaps,
    )
    if found is None:
        return ""
    suggested, why = found
    return f"{why} Agree to meet {CADENCE_WORDS[suggested]} in one click."


def since_agreed(
    agreed_on: date | None, answered: Sequence[tuple[str, date]], held: Sequence[date]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """What the cadence rule may weigh, newest first: the answers to "how often?" after
    sessions held since the day the pair agreed their rhythm, and the gaps between the
    sessions held from that day on. What came before, the pair answered by agreeing: a
    weekly habit is no reason to suggest "weekly" again the day they agreed "fortnightly".
    `answered` is (answer, the day its session was held); `held`, the days of their last
    sessions. Without an agreement, everything counts."""
    if agreed_on is not None:
        answered = [a for a in answered if a[1] > agreed_on]
        held = [d for d in held if d >= agreed_on]
    return tuple(a for a, _ in answered), tuple((a - b).days for a, b in pairwise(held))


RHYTHMS = ("weekly", "fortnightly", "monthly")
RHYTHM_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30}


def cadence_suggestion(
    *, cadence: str, interval_days: int | None, answers: tuple[str, ...], gaps: tuple[int, ...]
) -> tuple[str, str] | None:
    """The rhythm a pair should agree instead, and why; None if theirs still fits.

    The same answer to "how often?" ("more" or "less") after the last two sessions moves
    the rhythm one step; otherwise, a real rhythm (the middle of the last three gaps) at
    least twice or at most half the agreed one suggests the nearest rhythm to reality."""
    latest = answers[:2]
    if len(latest) == 2 and latest[0] == latest[1] and latest[0] in {"more", "less"}:
        here = RHYTHMS.index(cadence) if cadence in RHYTHMS else 1
        step = -1 if latest[0] == "more" else 1
        suggested = RHYTHMS[max(0, min(len(RHYTHMS) - 1, here + step))]
        if suggested != cadence:
            word = "more often" if latest[0] == "more" else "less often"
            return (
                suggested,
                f"After the last two sessions the answer to “how often?” was “{word}”.",
            )
    if interval_days and len(gaps) >= 3:
        typical = sorted(gaps[:3])[1]
        if typical >= 2 * interval_days or typical * 2 <= interval_days:
            suggested = min(RHYTHMS, key=lambda r: abs(RHYTHM_DAYS[r] - typical))
            if suggested != cadence:
                return suggested, (
                    f"You have been meeting about every {typical} days, against an agreed "
                    f"{CADENCE_WORDS.get(cadence, 'rhythm')} rhythm."
                )
    return None

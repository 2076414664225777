"""Each mentee's phases as bars: as they happened (from `PhaseTransition`) and as planned
(each phase's dates, or its expected length in weeks chained from the day they joined, or
from the programme's start if they joined before it).

The lead's dashboard draws a page of these, the mentor's home one per partner, the journey
page the person's own: the same function, two queries for any number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import dateformat, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from programmes.charts import Rect, Span, spans
from programmes.models import Membership, Phase, PhaseTransition


@dataclass
class Timeline:
    member: Membership
    actual: list[Rect]
    planned: list[Rect]
    days_in_phase: int | None
    planned_days: int | None  # the current phase's planned length
    first_day: date
    total_days: int
    today_x: float = 100.0  # where today falls along the bar, 0-100
    legend: tuple[tuple[str, int], ...] = ()  # (phase, tone)

    @property
    def over_plan(self) -> bool:
        return bool(
            self.planned_days and self.days_in_phase and self.days_in_phase > self.planned_days
        )

    @property
    def svg(self) -> SafeString:
        """The bars as `_partials/timeline.html` draws them (without its legend), written in
        Python: a page with a bar per person (the mentor's home) renders no template per
        person. `tests/programmes/test_timeline.py` checks the two agree."""
        return bars_svg(self)

    @property
    def legend_html(self) -> SafeString:
        """The legend `_partials/timeline.html` draws with `legend=True`."""
        items = "".join(
            format_html('<li><span class="swatch tone-{}"></span>{}</li>', tone, name)
            for name, tone in self.legend
        )
        return mark_safe(  # nosec B308 B703: format_html escaped each name
            f'<ul class="chart__legend" aria-hidden="true">{items}'
            '<li><span class="swatch timeline__today"></span>Today</li></ul>'
        )


def _rects(rects: Sequence[Rect], kind: str, y: str, height: str) -> str:
    # Coordinates are rounded to 3 places in 0-100 (programmes.charts), so str() is how the
    # template's localize() writes them too.
    return "".join(
        f'<rect class="tone-{r.tone}{kind}" x="{r.x}" y="{y}" width="{r.width}" '
        f'height="{height}"><title>{escape(r.title)}</title></rect>'
        for r in rects
    )


def bars_svg(t: Timeline) -> SafeString:
    label = "; ".join(escape(r.title) for r in t.actual)
    # Every value from the database is escaped above.
    return mark_safe(  # nosec B308 B703
        "\n"
        '<svg class="timeline__bars" viewBox="0 0 100 3" preserveAspectRatio="none" role="img" '
        f'aria-label="Since {dateformat.format(t.first_day, "j M Y")}: {label}">\n'
        f"  {_rects(t.actual, '', '0', '1.8')}\n"
        f"  {_rects(t.planned, ' planned', '2.3', '0.7')}\n"
        f'  <rect class="timeline__today" x="{t.today_x}" y="0" width="0.3" height="3">'
        "<title>Today</title></rect>\n"
        "</svg>\n\n"
    )


def timelines_of(members: Sequence[Membership], *, today: date | None = None) -> list[Timeline]:
    """A timeline for each of `members` (with `current_phase` and `programme` loaded), in
    their order, from any number of programmes."""
    today = today or timezone.localdate()
    if not members:
        return []
    by_programme: dict[int, list[Phase]] = defaultdict(list)
    for phase in Phase.objects.filter(programme_id__in={m.programme_id for m in members}).order_by(
        "position", "pk"
    ):
        by_programme[phase.programme_id].append(phase)
    moves: dict[int, list[tuple[date, int | None, str]]] = defaultdict(list)
    for membership_id, at, to_id, to_name in (
        PhaseTransition.objects.filter(membership_id__in=[m.pk for m in members])
        .order_by("membership_id", "at", "pk")
        .values_list("membership_id", "at", "to_phase_id", "to_name")
    ):
        moves[membership_id].append((timezone.localdate(at), to_id, to_name))
    return [
        _timeline(m, by_programme[m.programme_id], moves.get(m.pk) or [], today) for m in members
    ]


def timeline_from(
    member: Membership,
    phases: Sequence[Phase],
    transitions: Sequence[PhaseTransition],
    *,
    today: date | None = None,
) -> Timeline:
    """`member`'s timeline from their programme's phases and their own transitions, when a
    page has read them already (the journey page): what `timelines_of` would give, with no
    query of its own."""
    ordered = sorted(phases, key=lambda p: (p.position, p.pk))
    history = [
        (timezone.localdate(t.at), t.to_phase_id, t.to_name)
        for t in sorted(transitions, key=lambda t: (t.at, t.pk))
    ]
    return _timeline(member, ordered, history, today or timezone.localdate())


def _timeline(
    m: Membership,
    phases: Sequence[Phase],
    history: list[tuple[date, int | None, str]],
    today: date,
) -> Timeline:
    """One timeline: `phases` in order, `history` as (day, phase id, phase name) by time."""
    tone = {p.pk: i for i, p in enumerate(phases)}
    done_tone = len(phases)
    legend = tuple((p.name, i) for i, p in enumerate(phases))
    legend += (("Operationalised", done_tone),)
    if not history:
        entered = timezone.localdate(m.phase_started_at or m.joined_at)
        history = [(entered, m.current_phase_id, m.current_phase.name if m.current_phase else "")]
    first_day = min(history[0][0], timezone.localdate(m.joined_at))
    actual = []
    for i, (since, phase_id, phase_name) in enumerate(history):
        until = history[i + 1][0] if i + 1 < len(history) else today
        name = phase_name or ("Operationalised" if phase_id is None else "")
        actual.append(
            Span(
                start=(since - first_day).days,
                days=max((until - since).days, 1),
                tone=tone.get(phase_id, done_tone) if phase_id is not None else done_tone,
                title=f"{name}: {since:%-d %b %Y} to {until:%-d %b %Y}",
            )
        )
    # Planned lengths chain from the programme's start for those who joined before it, as
    # the days in a phase count (`Membership.days_in_phase`).
    starts_on = m.programme.starts_on
    planned, cursor = [], max(first_day, starts_on) if starts_on else first_day
    for p in phases:
        if p.starts_on and p.ends_on:
            begin, end = p.starts_on, p.ends_on
        elif p.expected_weeks:
            begin, end = cursor, cursor + timedelta(weeks=p.expected_weeks)
        else:
            continue
        planned.append(
            Span(
                start=(begin - first_day).days,
                days=(end - begin).days,
                tone=tone[p.pk],
                title=f"{p.name}, planned: {begin:%-d %b} to {end:%-d %b %Y}",
            )
        )
        cursor = end
    total = max((today - first_day).days, (cursor - first_day).days, 1)
    current = m.current_phase if m.operationalised_at is None else None
    return Timeline(
        member=m,
        actual=spans(actual, total),
        planned=spans(planned, total),
        days_in_phase=m.days_in_phase,
        planned_days=current.expected_weeks * 7 if current and current.expected_weeks else None,
        first_day=first_day,
        total_days=total,
        today_x=round(100 * (today - first_day).days / total, 3),
        legend=legend,
    )

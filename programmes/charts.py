"""The geometry of the product's charts, drawn by templates as inline SVG.

Pure functions with no database access: they take figures already aggregated in SQL and
return shapes in a 0-100 wide coordinate space (the SVG stretches to its box), so a chart
works at any width. Colours come from CSS classes (`tone-0` ... `tone-7`); every chart also
has its data as a table for screen readers, drawn by its template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape  # as Django's escape() writes it, without its lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe

WIDTH = 100.0
HEIGHT = 40.0
TONES = 8


def most(items: Sequence[tuple[str, int]]) -> tuple[str, str]:
    """For a chart's summary, the largest count and every name that has it, so a tie is
    never told as one winner: ("5", "Research"), or ("2 each", "Playbook and Integration").
    `items` are (name, count) pairs, at least one."""
    top = max(n for _name, n in items)
    names = [name for name, n in items if n == top]
    if len(names) == 1:
        return str(top), names[0]
    return f"{top} each", f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    tone: int = 0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    tone: int
    title: str


@dataclass
class Chart:
    """Rectangles to draw, the largest value (for the axis note), and the legend."""

    rects: list[Rect] = field(default_factory=list)
    peak: int = 0
    legend: list[tuple[str, int]] = field(default_factory=list)
    # The figures again, for the table screen readers get: (label, [value per series]).
    table: list[tuple[str, list[int]]] = field(default_factory=list)
    width: float = WIDTH
    height: float = HEIGHT

    @property
    def empty(self) -> bool:
        return self.peak == 0

    # The chart's repeated parts written in Python, as `_partials/chart.html` wrote them
    # with a loop: the dashboard's funnel (72 rectangles, a table of 12 rows) cost more to
    # render through the template than its figures cost to count.
    # `tests/programmes/test_charts.py` holds the two to the same markup.

    @property
    def rects_svg(self) -> SafeString:
        # Coordinates are rounded to 3 places, so str() writes them as localize() would.
        return mark_safe(  # nosec B308 B703: every title is escaped
            "".join(
                f'<rect class="tone-{r.tone}" x="{r.x}" y="{r.y}" width="{r.width}" '
                f'height="{r.height}"><title>{escape(r.title)}</title></rect>'
                for r in self.rects
            )
        )

    @property
    def table_rows(self) -> SafeString:
        return mark_safe(  # nosec B308 B703: every label and value is escaped
            "".join(
                f'<tr><th scope="row">{escape(label)}</th>'
                + "".join(f"<td>{escape(str(v))}</td>" for v in values)
                + "</tr>"
                for label, values in self.table
            )
        )


def stacked_columns(
    labels: Sequence[str], series: Sequence[Series], *, height: float = HEIGHT
) -> Chart:
    """One column per label, each series stacked on the one before."""
    chart = Chart(height=height, legend=[(s.name, s.tone % TONES) for s in series])
    chart.table = [(label, [s.values[i] for s in series]) for i, label in enumerate(labels)]
    if not labels:
        return chart
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    chart.peak = max(totals, default=0)
    if not chart.peak:
        return chart
    slot = WIDTH / len(labels)
    gap = min(slot * 0.2, 1.5)
    for i, label in enumerate(labels):
        bottom = height
        for s in series:
            value = s.values[i]
            if not value:
                continue
            h = height * value / chart.peak
            bottom -= h
            chart.rects.append(
                Rect(
                    x=round(i * slot + gap / 2, 3),
                    y=round(bottom, 3),
                    width=round(slot - gap, 3),
                    height=round(h, 3),
                    tone=s.tone % TONES,
                    title=f"{label}: {s.name} {value}",
                )
            )
    return chart


def columns(labels: Sequence[str], values: Sequence[int], name: str, tone: int = 0) -> Chart:
    return stacked_columns(labels, [Series(name, values, tone)])


@dataclass(frozen=True)
class Span:
    """A stretch of days, from `start` (days after the bar's first day) for `days`."""

    start: int
    days: int
    tone: int
    title: str


def spans(items: Sequence[Span], total_days: int) -> list[Rect]:
    """Spans laid along a bar `total_days` long, as rectangles 0-100 wide."""
    total = max(total_days, 1)
    found = []
    for item in items:
        start = max(0, min(item.start, total))
        end = max(start, min(item.start + max(item.days, 0), total))
        found.append(
            Rect(
                x=round(WIDTH * start / total, 3),
                y=0,
                width=round(max(WIDTH * (end - start) / total, 0.4), 3),
                height=1,
                tone=item.tone % TONES,
                title=item.title,
            )
        )
    return found

"""The dashboard's panels built on what people answered: confidence and capability (the
self-assessment), asked not assumed (what mentees asked for against what pairs agreed and
do) and mentoring practice (guideline self-checks and session ratings).

Every figure is aggregate SQL over the filtered cohort, used as a subquery, so the panels
take a fixed number of queries whatever the cohort's size; Python only walks aggregated
rows. No free text is read: not session notes, reflections, self-check notes nor written
assessment answers.

Mentees' ratings and pulse answers ("a good way to meet?", "how often?") are shown for a
group only when at least `MIN_PARTNERS` mentees in it answered. By mentor, a mentor with
fewer partners who answered folds into "Others"; if "Others" would still be under the
threshold, the smallest named mentors join it, since "everyone" minus the named mentors
would otherwise single it out. The same threshold holds for everyone together and for each
month, so narrowing the dashboard to one mentor does not get round it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from mentoring.models import (
    Cadence,
    CadenceAgreement,
    Channel,
    EngagementPreference,
    FeedbackMonth,
    Guideline,
    MentoringSession,
    SelfCheck,
    SelfCheckMonth,
    User,
)
from mentoring.selectors.dashboard import Filters, cohort
from programmes.charts import Chart, Series, most, stacked_columns
from programmes.models import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentQuestion,
    AssessmentResponse,
    Membership,
    Pairing,
    Programme,
    QuestionKind,
)
from programmes.selectors.rows import display_name
from programmes.services.assessment import TopicRow, topic_rows

MIN_PARTNERS = 3  # the fewest mentees whose answers may be shown together
RECENT_DAYS = 90  # the rhythm pairs keep and the channels they use, as the cadence panel
MONTHS = 6  # how far back ratings, pulse answers and self-checks look

Submitted = AssessmentResponse.Status.SUBMITTED
Accepted = CadenceAgreement.Status.ACCEPTED


def _ids(mentees: QuerySet[Membership]) -> QuerySet:
    return mentees.order_by().values("pk")


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _months(today: date, count: int = MONTHS) -> list[date]:
    """The first day of this month and of the `count - 1` before it, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def _span(today: date) -> tuple[date, date]:
    """The first and the last of the months the answers panels count."""
    months = _months(today)
    return months[0], months[-1]


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _round(value: float | None, places: int = 2) -> float | str:
    return "" if value is None else round(value, places)


# --- Confidence and capability -------------------------------------------------------------


@dataclass(frozen=True)
class Skill:
    """The cohort on one question: the average score at baseline, the average of each
    person's latest submitted score (the follow-up once they have one), and the change
    among those who answered both rounds."""

    baseline: float | None = None
    latest: float | None = None
    change: float | None = None
    answered: int = 0  # people with a baseline score
    both: int = 0  # people with a baseline and a follow-up score


@dataclass(frozen=True)
class Score:
    """One person on one question."""

    baseline: int | None = None
    follow_up: int | None = None

    @property
    def latest(self) -> int | None:
        return self.follow_up if self.follow_up is not None else self.baseline

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.follow_up is None:
            return None
        return self.follow_up - self.baseline


@dataclass
class Person:
    membership: Membership
    rows: list[TopicRow]  # cells are `Score`s

    @property
    def answered(self) -> bool:
        return any(
            cell.baseline is not None or cell.follow_up is not None
            for row in self.rows
            for cell in (row.confidence, row.capability)
            if cell is not None
        )

    @property
    def summary(self) -> str:
        name = self.membership.user.display_name
        changes = [
            (cell.change, f"{row.topic} ({dimension})")
            for row in self.rows
            for dimension, cell in (("confidence", row.confidence), ("capability", row.capability))
            if cell is not None and cell.change is not None
        ]
        if not self.answered:
            return f"{name} has not submitted a self-assessment yet."
        if not changes:
            return f"{name} has submitted a baseline; the change shows once their follow-up is in."
        best = max(changes, key=lambda c: c[0])
        rose = sum(1 for change, _ in changes if change > 0)
        return (
            f"{name} scores higher on {rose} of {len(changes)} questions than at baseline; "
            f"the most on {best[1]} ({best[0]:+d})."
        )


@dataclass
class Confidence:
    rows: list[TopicRow]  # cells are `Skill`s
    questions: int  # scored questions
    mentees: int
    baseline: int  # people who submitted a baseline
    follow_up: int
    both: int
    person: Person | None = None

    @property
    def summary(self) -> str:
        if not self.mentees:
            return "Nobody in this view yet."
        people = "1 person" if self.mentees == 1 else f"{self.mentees} people"
        if not self.baseline:
            return (
                "The 1 person here hasn't submitted a self-assessment yet."
                if self.mentees == 1
                else f"None of the {people} here has submitted a self-assessment yet."
            )
        said = (
            f"{self.baseline} of {people} {'has' if self.baseline == 1 else 'have'} submitted "
            f"a baseline and {self.both} a follow-up too"
        )
        changes = [
            (cell.change, f"{row.topic} ({dimension})")
            for row in self.rows
            for dimension, cell in (("confidence", row.confidence), ("capability", row.capability))
            if cell is not None and cell.change is not None
        ]
        if not changes:
            return f"{said}; the change shows once follow-ups are in."
        best = max(change for change, _ in changes)
        tied = [where for change, where in changes if change == best]
        where = tied[0] + (f" and {len(tied) - 1} more" if len(tied) > 1 else "")
        few = f", from only {self.both} {'person' if self.both == 1 else 'people'}"
        return (
            f"{said}; the biggest change is in {where}: {best:+.1f} points on average"
            f"{few if self.both < 3 else ''}."
        )


def _questions(programme: Programme) -> list[AssessmentQuestion]:
    return list(
        AssessmentQuestion.objects.filter(programme=programme, kind=QuestionKind.SCALE).order_by(
            "position", "pk"
        )
    )


def _scored(programme: Programme) -> QuerySet[AssessmentAnswer]:
    return AssessmentAnswer.objects.filter(
        response__status=Submitted,
        score__isnull=False,
        question__programme=programme,
        question__kind=QuestionKind.SCALE,
    )


def skill_figures(
    programme: Programme, mentees: QuerySet[Membership], questions: Sequence[AssessmentQuestion]
) -> dict[int, Skill]:
    """The cohort's figures per scored question, by question id: one query. Each person's
    baseline and follow-up score to each question side by side (a person has one response
    a round and one answer a question), then counted per question. Sums, not averages, so
    the rounds can be combined."""
    rows = (
        _scored(programme)
        .filter(response__membership__in=_ids(mentees))
        .order_by()
        .values("question_id", "response__membership_id")
        .annotate(
            first_score=Max("score", filter=Q(response__kind=AssessmentKind.BASELINE)),
            later_score=Max("score", filter=Q(response__kind=AssessmentKind.FOLLOW_UP)),
        )
    )
    inner, params = rows.query.sql_with_params()
    connection = connections[rows.db]
    both = "first_score IS NOT NULL AND later_score IS NOT NULL"
    sql = f"""
        SELECT question_id, COUNT(first_score), COALESCE(SUM(first_score), 0),
               COUNT(later_score), COALESCE(SUM(later_score), 0), COUNT(*) FILTER (WHERE {both}),
               COALESCE(SUM(later_score) FILTER (WHERE {both}), 0),
               COALESCE(SUM(first_score) FILTER (WHERE {both}), 0)
        FROM ({inner}) AS people GROUP BY question_id
    """  # nosec B608 # no name or value from outside: every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counted = {row[0]: row[1:] for row in cursor.fetchall()}
    figures = {}
    for q in questions:
        answered, before_total, later, later_total, both_n, after_both, before_both = counted.get(
            q.pk, (0, 0, 0, 0, 0, 0, 0)
        )
        # Everyone's latest: their follow-up, or their baseline until they have one.
        latest_n = answered + later - both_n
        latest_total = before_total + later_total - before_both
        figures[q.pk] = Skill(
            baseline=before_total / answered if answered else None,
            latest=latest_total / latest_n if latest_n else None,
            change=(after_both - before_both) / both_n if both_n else None,
            answered=answered,
            both=both_n,
        )
    return figures


BASELINE_DONE, FOLLOW_UP_DONE = 1, 2  # a person's submitted rounds, as bits


def _people(mentees: QuerySet[Membership]) -> dict[str, int]:
    """How many people are in the cohort, and how many submitted each round: one query,
    a row for each combination of rounds. Each person's responses are read by key, row by
    row: joined to the cohort, the planner reads every response of the site."""
    rounds = (
        AssessmentResponse.objects.filter(membership=OuterRef("pk"), status=Submitted)
        .order_by()
        .values("membership")
        .annotate(
            rounds=Sum(
                Case(
                    When(kind=AssessmentKind.BASELINE, then=Value(BASELINE_DONE)),
                    When(kind=AssessmentKind.FOLLOW_UP, then=Value(FOLLOW_UP_DONE)),
                    default=Value(0),
                )
            )
        )
        .values("rounds")
    )
    counts = {"mentees": 0, "baseline": 0, "follow_up": 0, "both": 0}
    for done, n in (
        mentees.order_by()
        .annotate(rounds=Subquery(rounds))
        .values_list("rounds")
        .annotate(n=Count("pk"))
    ):
        done = done or 0
        counts["mentees"] += n
        counts["baseline"] += n if done & BASELINE_DONE else 0
        counts["follow_up"] += n if done & FOLLOW_UP_DONE else 0
        counts["both"] += n if done == BASELINE_DONE | FOLLOW_UP_DONE else 0
    return counts


def _person(
    programme: Programme,
    mentees: QuerySet[Membership],
    member: Membership,
    questions: list[AssessmentQuestion],
) -> Person | None:
    """One person's scores, if they are in the cohort: two queries."""
    found = mentees.filter(pk=member.pk).select_related("user").first()
    if found is None:
        return None
    scores: dict[int, dict[str, int | None]] = {}
    for question_id, kind, score in (
        _scored(programme)
        .filter(response__membership=found)
        .values_list("question_id", "response__kind", "score")
    ):
        scores.setdefault(question_id, {})[kind] = score
    return Person(
        membership=found,
        rows=topic_rows(
            questions,
            lambda q: Score(
                scores.get(q.pk, {}).get(AssessmentKind.BASELINE),
                scores.get(q.pk, {}).get(AssessmentKind.FOLLOW_UP),
            ),
        ),
    )


def confidence(
    programme: Programme, mentees: QuerySet[Membership], *, member: Membership | None = None
) -> Confidence:
    """Baseline against the latest answers per skill, for the cohort and, given `member`
    and if they are in the cohort, for them: three queries, five with a person."""
    questions = _questions(programme)
    figures = skill_figures(programme, mentees, questions)
    people = _people(mentees)
    return Confidence(
        rows=topic_rows(questions, lambda q: figures.get(q.pk, Skill())),
        questions=len(questions),
        person=_person(programme, mentees, member, questions) if member is not None else None,
        **people,
    )


def confidence_csv(
    programme: Programme, mentees: QuerySet[Membership], today: date
) -> tuple[list[str], Iterable[Sequence]]:
    header = [
        "skill",
        "dimension",
        "baseline average",
        "latest average",
        "change (both rounds)",
        "answered baseline",
        "answered both",
    ]
    questions = _questions(programme)
    figures = skill_figures(programme, mentees, questions)
    rows = []
    for question in questions:
        skill = figures.get(question.pk, Skill())
        rows.append(
            [
                question.topic,
                question.get_dimension_display(),
                _round(skill.baseline),
                _round(skill.latest),
                _round(skill.change),
                skill.answered,
                skill.both,
            ]
        )
    return header, rows


# --- Mentees' answers about their sessions ---------------------------------------------------


@dataclass(frozen=True)
class Answered:
    """What one group of mentees said about their sessions: everyone, one mentor's
    partners, or "Others". Averages and shares are given only when enough people answered."""

    label: str
    mentors: int = 1
    rated_partners: int = 0  # distinct mentees who rated a session
    ratings: int = 0
    rating_sum: int = 0
    r1: int = 0
    r2: int = 0
    r3: int = 0
    r4: int = 0
    r5: int = 0
    pulse_partners: int = 0  # distinct mentees who answered "good way" or "how often"
    pulses: int = 0
    good_yes: int = 0
    good_no: int = 0
    more: int = 0
    right: int = 0
    less: int = 0

    withheld: bool = False  # hidden whatever its size: shown, it would single others out

    @property
    def ratings_shown(self) -> bool:
        return not self.withheld and self.rated_partners >= MIN_PARTNERS

    @property
    def pulse_shown(self) -> bool:
        return self.pulse_partners >= MIN_PARTNERS

    @property
    def average(self) -> float | None:
        if not self.ratings_shown or not self.ratings:
            return None
        return self.rating_sum / self.ratings

    @property
    def by_rating(self) -> list[tuple[int, int]]:
        return [(1, self.r1), (2, self.r2), (3, self.r3), (4, self.r4), (5, self.r5)]

    @property
    def good(self) -> int:
        return self.r4 + self.r5


def _added(label: str, groups: Sequence[Answered]) -> Answered:
    totals: dict[str, Any] = {"label": label}
    for f in fields(Answered):
        if f.name not in ("label", "withheld"):
            totals[f.name] = sum(getattr(g, f.name) for g in groups)
    return Answered(**totals)


def _fold(
    groups: Sequence[Answered], partners: Callable[[Answered], int]
) -> tuple[list[Answered], Answered | None]:
    """Mentors with at least `MIN_PARTNERS` partners who answered, by name, and the rest as
    "Others". "Others" is counted by adding up each mentor's partners (a mentee who changed
    mentor counts twice); when it is short, the named mentors with the fewest partners
    join it. With nobody left by name, "Others" would be everyone again: None."""
    answered = [g for g in groups if partners(g)]
    named = sorted(
        (g for g in answered if partners(g) >= MIN_PARTNERS),
        key=lambda g: (partners(g), g.label.lower()),
    )
    folded = [g for g in answered if partners(g) < MIN_PARTNERS]
    while folded and named and sum(partners(g) for g in folded) < MIN_PARTNERS:
        folded.append(named.pop(0))
    named.sort(key=lambda g: g.label.lower())
    if not named or not folded:
        return named, None
    return named, _added("Others", folded)


# Mentors named on the page; a larger programme's dashboard shows those with most partners
# answering (their figures say the most), and the CSV has everyone. Without a cap the page
# grew with the number of mentors (200 rows a table at 2,000 mentees).
MENTORS_SHOWN = 20


@dataclass
class ByMentor:
    everyone: Answered
    mentors: list[Answered]
    others: Answered | None
    # What each mentor's row counts by: rated or pulse partners.
    partners: Callable[[Answered], int] = lambda g: g.rated_partners

    @property
    def rows(self) -> list[Answered]:
        return [*self.mentors, *([self.others] if self.others else [])]

    @property
    def shown(self) -> list[Answered]:
        """The rows the page shows: at most `MENTORS_SHOWN` mentors, in name order, then
        Others."""
        mentors = self.mentors
        if len(mentors) > MENTORS_SHOWN:
            most = sorted(mentors, key=lambda g: (-self.partners(g), g.label.lower()))
            kept = {id(g) for g in most[:MENTORS_SHOWN]}
            mentors = [g for g in mentors if id(g) in kept]
        return [*mentors, *([self.others] if self.others else [])]

    @property
    def named_shown(self) -> int:
        return min(len(self.mentors), MENTORS_SHOWN)

    @property
    def not_shown(self) -> int:
        return max(len(self.mentors) - MENTORS_SHOWN, 0)


def _rated(g: Answered) -> int:
    return g.rated_partners


def _pulsed(g: Answered) -> int:
    return g.pulse_partners


def _answered(label: str, row: Mapping[str, Any], *, mentors: int = 1) -> Answered:
    return Answered(label, mentors=mentors, **{name: row[name] for name in MEASURES})


# Each figure of a group's answers, as SQL over the monthly tallies (`FeedbackMonth`), one
# row per mentee, mentor and month (written out because the three groupings are counted
# in one pass, which the ORM does not write). A mentee counts towards a group's partners
# once, however many months and mentors their rows span.
_COUNTS = ("ratings", "rating_sum", "r1", "r2", "r3", "r4", "r5")
_PULSES = ("pulses", "good_yes", "good_no", "more", "right", "less")
_MEASURE_SQL = {
    "rated_partners": "COUNT(DISTINCT mentee) FILTER (WHERE ratings > 0)",
    **{name: f'COALESCE(SUM("{name}"), 0)' for name in _COUNTS},
    "pulse_partners": "COUNT(DISTINCT mentee) FILTER (WHERE pulses > 0)",
    **{name: f'COALESCE(SUM("{name}"), 0)' for name in _PULSES},
}
MEASURES = tuple(_MEASURE_SQL)


@dataclass(frozen=True)
class Feedback:
    """What the cohort said about their sessions since a month's start: the feedback
    counted three ways (everyone, by mentor with their names, by month) and, when asked
    for, the mentors' self-checks as (guideline id, answer, month, how many)."""

    everyone: dict[str, Any]
    mentors: list[dict[str, Any]]
    months: dict[date, dict[str, Any]]
    checks: list[tuple[int, str, date, int]] = field(default_factory=list)


GROUPINGS = ("everyone", "mentor", "month")
GROUPING_SETS = {"everyone": "()", "mentor": "(mentor)", "month": "(month)"}


def _in_months(model: type[Any], programme: Programme, since: date, until: date) -> QuerySet:
    """A tally's rows for the programme's active mentees, from the month `since` to `until`."""
    return model.objects.filter(
        programme=programme,
        month__gte=since,
        month__lte=until,
        mentee__in=_ids(cohort(programme, Filters())),
    ).order_by()


def _tallied(programme: Programme, since: date, until: date) -> tuple[str, tuple[Any, ...]]:
    """The programme's monthly feedback tallies from the month `since` to `until`, of its
    active mentees, as SQL for a CTE named `feedback`."""
    rows = _in_months(FeedbackMonth, programme, since, until).values(
        "mentor_id", "mentee_id", "month", *_COUNTS, *_PULSES
    )
    sql, params = rows.query.sql_with_params()
    columns = ", ".join(f'"{name}"' for name in (*_COUNTS, *_PULSES))  # "right" is a keyword
    return (
        f"feedback AS (SELECT mentor_id AS mentor, mentee_id AS mentee, month, {columns} "
        f"FROM ({sql}) t)",  # nosec B608 # the ORM's own SQL and the module's own names
        tuple(params),
    )


def _checked(programme: Programme, since: date, until: date) -> tuple[str, tuple[Any, ...]]:
    """The self-checks made in the sessions of the programme's active mentees, from the
    month `since` to `until`, in the feedback's columns: the guideline where the mentor
    goes, the answer where the name goes, the count as the first measure."""
    rows = (
        _in_months(SelfCheckMonth, programme, since, until)
        .values("guideline_id", "answer", "month")
        .annotate(n=Sum("checks"))
    )
    sql, params = rows.query.sql_with_params()
    no_more = ", NULL" * (len(MEASURES) - 1)
    return (
        f"SELECT 'check', c.guideline_id, CAST(c.month AS TEXT), c.answer, NULL, c.n{no_more} "
        f"FROM ({sql}) c",  # nosec B608 # the ORM's own SQL and a count of NULLs; no value
        tuple(params),
    )


def feedback(
    programme: Programme,
    since: date,
    until: date,
    *,
    checks: bool = False,
    by: Sequence[str] = GROUPINGS,
) -> Feedback:
    """One query over the monthly tallies (`mentoring.services.tally` keeps them as people
    answer) from the month `since` to the month `until` (the panels' last: a session dated
    tomorrow, in next month, counts once that month comes, in its row and the totals
    alike): the feedback counted for each grouping in `by` (everyone, by mentor and by
    month; on PostgreSQL in one pass, with GROUPING SETS) and, with `checks`, the
    self-checks. A table that needs fewer groupings asks for fewer, and
    with none the feedback is not read at all.

    Always the whole programme's, whatever the dashboard's filters: ratings and pulse
    answers for two views that differ by one person (at risk, and slipping) would give that
    person's answers away by subtraction."""
    assert set(by) <= set(GROUPINGS), by
    connection = connections[FeedbackMonth.objects.db]
    q = connection.ops.quote_name
    measures = ", ".join(f"{sql} AS {name}" for name, sql in _MEASURE_SQL.items())
    by_mentor = ", ".join(f"g.{name}" for name in MEASURES)
    members, people = (q(model._meta.db_table) for model in (Membership, User))

    def name_of(column: str) -> str:
        return (
            f"(SELECT u.{column} FROM {members} m JOIN {people} u ON u.id = m.user_id "  # nosec B608 # own names
            "WHERE m.id = g.mentor)"
        )

    parts: list[str] = []
    if by and connection.vendor == "postgresql":
        # The groupings in one pass (GROUPING SETS); each mentor's name is then read for
        # the mentors' rows alone.
        sets = ", ".join(GROUPING_SETS[g] for g in by)
        # Which grouping a row is, from the columns grouped on (GROUPING takes only those).
        grouped_on = [c for c in ("mentor", "month") if c in by]
        if len(grouped_on) == 2:
            kind = (
                "CASE GROUPING(mentor, month) WHEN 3 THEN 'everyone' WHEN 1 THEN 'mentor' "
                "ELSE 'month' END"
            )
        elif grouped_on:
            on = grouped_on[0]
            kind = f"CASE GROUPING({on}) WHEN 1 THEN 'everyone' ELSE '{on}' END"
        else:
            kind = "'everyone'"
        blank = {"mentor": "CAST(NULL AS bigint)", "month": "CAST(NULL AS date)"}
        columns = ", ".join(c if c in grouped_on else f"{blank[c]} AS {c}" for c in blank)
        counted = f"""
            SELECT {kind} AS kind, {columns}, {measures}
            FROM feedback GROUP BY GROUPING SETS ({sets})
        """  # nosec B608 # the measures and sets are the module's own SQL; no value at all
        mentors_only = "CASE WHEN g.kind = 'mentor' THEN {} END"
        parts.append(
            f"""
            SELECT g.kind, g.mentor, CAST(g.month AS TEXT),
                   {mentors_only.format(name_of("name"))}, {mentors_only.format(name_of("email"))},
                   {by_mentor}
            FROM ({counted}) g
            """  # nosec B608 # the models' own table and column names; no value at all
        )
    else:
        # (The models' own table and column names in each branch; no value at all.)
        for_everyone = f"SELECT 'everyone', NULL, NULL, NULL, NULL, {measures} FROM feedback"  # nosec B608 # own names
        each_mentor = f"""
            SELECT 'mentor', g.mentor, NULL, {name_of("name")}, {name_of("email")}, {by_mentor}
            FROM (SELECT mentor, {measures} FROM feedback GROUP BY mentor) g
        """  # nosec B608 # own names
        each_month = f"""
            SELECT 'month', NULL, CAST(month AS TEXT), NULL, NULL, {measures}
            FROM feedback GROUP BY month
        """  # nosec B608 # own names
        branches = {"everyone": for_everyone, "mentor": each_mentor, "month": each_month}
        parts += [branches[g] for g in by]
    params: tuple[Any, ...] = ()
    if by:
        feedback_cte, params = _tallied(programme, since, until)
        prefix = f"WITH {feedback_cte} "
    else:
        prefix = ""
    if checks:
        checked, checked_params = _checked(programme, since, until)
        parts.append(checked)
        params += checked_params
    if not parts:
        return Feedback(everyone=dict.fromkeys(MEASURES, 0), mentors=[], months={})
    sql = prefix + " UNION ALL ".join(parts)
    everyone: dict[str, Any] = dict.fromkeys(MEASURES, 0)
    mentors, months, checked_rows = [], {}, []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, key, month, name, email, *figures in cursor.fetchall():
            if kind == "check":
                checked_rows.append((key, name, date.fromisoformat(month[:10]), figures[0]))
                continue
            found = dict(zip(MEASURES, figures, strict=True))
            if kind == "everyone":
                everyone = found
            elif kind == "mentor":
                mentors.append({"mentor": key, "name": display_name(name, email), **found})
            else:  # the month's first day, as text
                months[date.fromisoformat(str(month)[:10])] = found
    return Feedback(everyone=everyone, mentors=mentors, months=months, checks=checked_rows)


def by_mentor(
    programme: Programme,
    mentees: QuerySet[Membership],
    *,
    today: date,
    found: Feedback | None = None,
) -> tuple[ByMentor, ByMentor]:
    """Everyone's answers over the last `MONTHS` months and each mentor's partners' (one
    query, none given what `feedback` counted). Returns the ratings and the pulse answers,
    each folded by `_fold`."""
    if found is None:
        found = feedback(programme, *_span(today), by=("everyone", "mentor"))
    mentors = [_answered(row["name"], row) for row in found.mentors]
    everyone = _answered("Everyone", found.everyone, mentors=len(mentors))
    ratings = ByMentor(everyone, *_fold(mentors, _rated), partners=_rated)
    pulse = ByMentor(everyone, *_fold(mentors, _pulsed), partners=_pulsed)
    return ratings, pulse


# --- Asked, not assumed --------------------------------------------------------------------


# What a pair keeps, from the sessions they logged in the last RECENT_DAYS days (about 13
# a week apart, 6 a fortnight, 3 a month): the nearest agreed rhythm, or less than monthly.
KEPT = [("weekly", 9), ("fortnightly", 5), ("monthly", 2), ("less", 1), ("none", 0)]
KEPT_RANK = {"weekly": 4, "fortnightly": 3, "monthly": 2, "less": 1, "none": 0}
NEEDS = {"weekly": 4, "fortnightly": 3, "monthly": 2, "when_needed": 0}


@dataclass(frozen=True)
class RhythmRow:
    key: str
    label: str
    asked: int | None  # mentees who asked for it (None: not a choice they have)
    agreed: int | None  # pairs who agreed it
    kept: int | None  # pairs who keep it


@dataclass(frozen=True)
class ChannelRow:
    key: str
    label: str
    asked: int | None  # mentees who would like it
    agreed: int | None  # pairs who agreed it
    used: int  # sessions held on it in the last RECENT_DAYS days


@dataclass
class Asked:
    mentees: int
    said: int  # mentees who said how they want to be mentored
    pairs: int  # current pairs
    agreed: int  # pairs with an agreed cadence
    as_asked: int  # pairs who agreed the cadence their mentee asked for
    could_match: int  # pairs with both an agreed cadence and the mentee's wish
    keeping: int  # pairs meeting at least as often as they agreed
    could_keep: int  # pairs with an agreed cadence that has a rhythm
    sessions: int  # logged by current pairs in the last RECENT_DAYS days
    sessions_on_agreed: int  # held on the channel the pair agreed
    sessions_with_agreed: int  # held by pairs who agreed a channel
    rhythm: list[RhythmRow]
    channels: list[ChannelRow]
    pulse: ByMentor
    days: int = RECENT_DAYS
    mentee_word: str = "mentee"  # the programme's own word
    # The days the sessions were held over: RECENT_DAYS, or fewer in a younger programme.
    averaged_days: int = RECENT_DAYS

    @property
    def per_month(self) -> float | None:
        """Sessions a month per current pair, over the last RECENT_DAYS days, or since the
        programme began if that is sooner (a 70-day-old programme's sessions spread over 90
        days read as a third fewer than were held)."""
        if not self.pairs:
            return None
        return self.sessions / self.pairs / (self.averaged_days / 30)

    @property
    def summary(self) -> str:
        if not self.mentees:
            return "Nobody in this view yet."
        people = "person" if self.mentees == 1 else "people"
        parts = [f"{self.said} of {self.mentees} {people} said how they want to be mentored"]
        if self.could_match:
            parts.append(
                f"{self.as_asked} of {self.could_match} pairs agreed the rhythm their "
                f"{self.mentee_word} asked for"
            )
        if self.could_keep:
            parts.append(f"{self.keeping} of {self.could_keep} pairs keep to what they agreed")
        if self.per_month is not None:
            parts.append(f"pairs meet {self.per_month:.1f} times a month on average")
        return "; ".join(parts) + "."

    @property
    def pulse_summary(self) -> str:
        everyone = self.pulse.everyone
        if not everyone.pulses:
            return "No answers yet."
        if not everyone.pulse_shown:
            return f"Fewer than {MIN_PARTNERS} people answered, so their answers are not shown."
        return (
            f"{everyone.good_yes} of {everyone.good_yes + everyone.good_no} answers say the "
            f"session was a good way to meet; {everyone.right} of "
            f"{everyone.more + everyone.right + everyone.less} say the frequency is about right."
        )


def _preferences(mentees: QuerySet[Membership]) -> dict[str, int]:
    """Mentees' current wishes, counted by cadence and by channel: one query, a row for
    each combination found. Each mentee's wish is read by key, row by row, as its cadence
    and its channels in one text: joined to the cohort, the planner reads every wish of the
    site. Channels are a JSON list; its text is searched for the quoted value, which works
    on every database."""
    wish = (
        EngagementPreference.objects.current()
        .filter(membership=OuterRef("pk"))
        .order_by()
        .annotate(
            said=Concat(
                "cadence", Value(" "), Cast("channels", TextField()), output_field=TextField()
            )
        )
        .values("said")[:1]
    )
    counts = dict.fromkeys(
        [
            "said",
            *(f"cadence_{c}" for c in Cadence.values),
            *(f"channel_{c}" for c in Channel.values),
        ],
        0,
    )
    for said, n in (
        mentees.order_by().annotate(wish=Subquery(wish)).values_list("wish").annotate(n=Count("pk"))
    ):
        if said is None:
            continue  # no wish yet
        cadence, channels = said.split(" ", 1)
        counts["said"] += n
        if f"cadence_{cadence}" in counts:  # a choice since retired counts as said only
            counts[f"cadence_{cadence}"] += n
        for c in Channel.values:
            if f'"{c}"' in channels:
                counts[f"channel_{c}"] += n
    return counts


# A pair paired (or in a programme begun) less than RECENT_DAYS ago is held to the same
# rhythms over the last 60 days; under 60 is too soon to tell (in 30 days a fortnightly
# pair's two or three sessions cannot be told from a weekly pair's three).
TENURES = (RECENT_DAYS, 60)


def _today(since: datetime) -> date:
    return timezone.localdate(since) + timedelta(days=RECENT_DAYS)


def _tenure(programme: Programme, since: datetime) -> Case:
    """How many days a pair has had to keep its rhythm, of TENURES (0: under the shortest):
    since they were paired, and since they agreed the rhythm in force."""
    today = _today(since)
    starts = _midnight(programme.starts_on) if programme.starts_on else None
    whens = []
    for days in TENURES:
        cutoff = _midnight(today - timedelta(days=days))
        if starts is not None and starts > cutoff:
            continue  # the programme itself is younger than that
        # Paired that long ago, and keeping (if any) a rhythm agreed that long ago: a pair
        # that agreed a new one last week is not judged against it on the weeks before.
        agreed_since = Q(agreement__answered_at__isnull=True) | Q(
            agreement__answered_at__lte=cutoff
        )
        whens.append(When(Q(started_at__lte=cutoff) & agreed_since, then=Value(days)))
    return Case(*whens, default=Value(0))


def _kept(tenure: str) -> Case:
    """The rhythm a pair keeps: the sessions of the days it has had (`held_<days>`, each
    tenure's own window), against KEPT's thresholds scaled to those days."""
    whens = [When(**{tenure: 0}, then=Value("new"))]
    for days in TENURES:
        for key, least in KEPT[:-1]:
            at_least = max(1, round(least * days / RECENT_DAYS))
            whens.append(When(**{tenure: days, f"held_{days}__gte": at_least}, then=Value(key)))
    return Case(*whens, default=Value("none"))


def _pairs(
    programme: Programme, mentees: QuerySet[Membership], since: datetime
) -> list[dict[str, Any]]:
    """Current pairs counted by what they agreed (cadence and channel), what the mentee
    asked for and the rhythm they keep: one query, at most a few hundred rows whatever the
    size. A pair has one agreement in force and a mentee one current wish, so the joins
    add no rows."""
    today = _today(since)

    def held(days: int) -> Coalesce:
        counted = (
            MentoringSession.objects.logged()
            .filter(pairing=OuterRef("pk"), held_at__gte=_midnight(today - timedelta(days=days)))
            .order_by()
            .values("pairing")
            .annotate(n=Count("*"))  # not the id: the (pairing, status, held_at) index answers
            .values("n")
        )
        return Coalesce(Subquery(counted), 0)

    wishes = "mentee__engagement_preferences"
    rows: Any = (
        Pairing.objects.active()
        .filter(programme=programme, mentee__in=_ids(mentees))
        .annotate(
            agreement=FilteredRelation("agreements", condition=Q(agreements__status=Accepted)),
            wish=FilteredRelation(wishes, condition=Q(**{f"{wishes}__superseded_at": None})),
            **{f"held_{days}": held(days) for days in TENURES},
        )
        .annotate(tenure=_tenure(programme, since))
        .annotate(kept=_kept("tenure"))
        .order_by()
        .values(
            "kept",
            agreed=F("agreement__cadence"),
            agreed_channel=F("agreement__channel"),
            asked=F("wish__cadence"),
        )
        .annotate(n=Count("pk"))
    )
    return list(rows)


def _sessions_by_channel(
    programme: Programme, mentees: QuerySet[Membership], since: datetime
) -> list[dict[str, Any]]:
    """Sessions current pairs logged since `since`, by channel, with how many of them were
    held on the channel the pair agreed: one query."""
    rows: Any = (
        MentoringSession.objects.logged()
        .filter(
            programme=programme,
            mentee__in=_ids(mentees),
            pairing__ended_at__isnull=True,
            held_at__gte=since,
        )
        .annotate(
            agreement=FilteredRelation(
                "pairing__agreements", condition=Q(pairing__agreements__status=Accepted)
            )
        )
        .order_by()
        .values("channel")
        .annotate(
            n=Count("pk"),
            on_agreed=Count("pk", filter=Q(channel=F("agreement__channel"))),
            with_agreed=Count("pk", filter=Q(agreement__channel__gt="")),
        )
    )
    return list(rows)


def _rhythm_rows(wishes: dict[str, int], pairs: list[dict[str, Any]], mentees: int) -> list:
    agreed: dict[str, int] = {}
    kept: dict[str, int] = {}
    for row in pairs:
        agreed[row["agreed"] or ""] = agreed.get(row["agreed"] or "", 0) + row["n"]
        kept[row["kept"]] = kept.get(row["kept"], 0) + row["n"]
    rows = [
        RhythmRow(
            c.value,
            c.label,
            wishes[f"cadence_{c.value}"],
            agreed.get(c.value, 0),
            kept.get(c.value, 0) if c.value in KEPT_RANK else None,
        )
        for c in Cadence
    ]
    rows.append(RhythmRow("less", "Less than monthly", None, None, kept.get("less", 0)))
    rows.append(RhythmRow("none", "None in that time", None, None, kept.get("none", 0)))
    rows.append(
        RhythmRow(
            "new", "Paired under 2 months ago: too soon to tell", None, None, kept.get("new", 0)
        )
    )
    rows.append(
        RhythmRow("", "Not said or not agreed", mentees - wishes["said"], agreed.get("", 0), None)
    )
    return rows


def _channel_rows(
    wishes: dict[str, int], pairs: list[dict[str, Any]], used: list[dict[str, Any]]
) -> list[ChannelRow]:
    agreed: dict[str, int] = {}
    for row in pairs:
        if row["agreed"]:
            key = row["agreed_channel"] or ""
            agreed[key] = agreed.get(key, 0) + row["n"]
    sessions = {row["channel"]: row["n"] for row in used}
    rows = [
        ChannelRow(
            c.value,
            c.label,
            wishes[f"channel_{c.value}"],
            agreed.get(c.value, 0),
            sessions.get(c.value, 0),
        )
        for c in Channel
    ]
    rows.append(ChannelRow("", "Not said", None, agreed.get("", 0), sessions.get("", 0)))
    return rows


def _asked(
    programme: Programme,
    mentees: QuerySet[Membership],
    *,
    today: date,
    people: int,
    pulse: ByMentor,
) -> Asked:
    since = _midnight(today - timedelta(days=RECENT_DAYS))
    wishes = _preferences(mentees)
    pairs = _pairs(programme, mentees, since)
    used = _sessions_by_channel(programme, mentees, since)
    agreed = [row for row in pairs if row["agreed"]]
    matchable = [row for row in agreed if row["asked"]]
    keepable = [row for row in agreed if NEEDS.get(row["agreed"]) and row["kept"] != "new"]
    averaged = RECENT_DAYS
    if programme.starts_on:  # (its creation is no guide: history may be imported)
        averaged = max(1, min(RECENT_DAYS, (today - programme.starts_on).days))
    return Asked(
        averaged_days=averaged,
        mentee_word=programme.mentee_label,
        mentees=people,
        said=wishes["said"],
        pairs=sum(row["n"] for row in pairs),
        agreed=sum(row["n"] for row in agreed),
        as_asked=sum(row["n"] for row in matchable if row["asked"] == row["agreed"]),
        could_match=sum(row["n"] for row in matchable),
        keeping=sum(row["n"] for row in keepable if KEPT_RANK[row["kept"]] >= NEEDS[row["agreed"]]),
        could_keep=sum(row["n"] for row in keepable),
        sessions=sum(row["n"] for row in used),
        sessions_on_agreed=sum(row["on_agreed"] for row in used),
        sessions_with_agreed=sum(row["with_agreed"] for row in used),
        rhythm=_rhythm_rows(wishes, pairs, people),
        channels=_channel_rows(wishes, pairs, used),
        pulse=pulse,
    )


def _cohort_size(mentees: QuerySet[Membership]) -> int:
    return mentees.order_by().count()


def rhythm_csv(
    programme: Programme, mentees: QuerySet[Membership], today: date
) -> tuple[list[str], Iterable[Sequence]]:
    since = _midnight(today - timedelta(days=RECENT_DAYS))
    wishes = _preferences(mentees)
    rows = _rhythm_rows(wishes, _pairs(programme, mentees, since), _cohort_size(mentees))
    header = [
        "rhythm",
        "people who asked for it",
        "pairs who agreed it",
        f"pairs who kept it (last {RECENT_DAYS} days)",
    ]
    return header, [
        [r.label, *("" if v is None else v for v in (r.asked, r.agreed, r.kept))] for r in rows
    ]


def channels_csv(
    programme: Programme, mentees: QuerySet[Membership], today: date
) -> tuple[list[str], Iterable[Sequence]]:
    since = _midnight(today - timedelta(days=RECENT_DAYS))
    rows = _channel_rows(
        _preferences(mentees),
        _pairs(programme, mentees, since),
        _sessions_by_channel(programme, mentees, since),
    )
    header = [
        "channel",
        "people who would like it",
        "pairs who agreed it",
        f"sessions held on it (last {RECENT_DAYS} days)",
    ]
    return header, [
        [r.label, "" if r.asked is None else r.asked, "" if r.agreed is None else r.agreed, r.used]
        for r in rows
    ]


def pulse_csv(
    programme: Programme, mentees: QuerySet[Membership], today: date
) -> tuple[list[str], Iterable[Sequence]]:
    _ratings, pulse = by_mentor(programme, mentees, today=today)
    header = [
        "mentor",
        "partners who answered",
        "answers",
        "good way to meet: yes",
        "good way to meet: no",
        "more often",
        "about right",
        "less often",
    ]

    def row(g: Answered) -> list:
        shown = [g.good_yes, g.good_no, g.more, g.right, g.less] if g.pulse_shown else [""] * 5
        return [g.label, g.pulse_partners, g.pulses, *shown]

    return header, [row(pulse.everyone), *(row(g) for g in pulse.rows)]


# --- Mentoring practice --------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    month: date
    yes: int
    partly: int
    no: int
    answered: Answered  # the month's ratings

    @property
    def label(self) -> str:
        return f"{self.month:%b %Y}"

    @property
    def checks(self) -> int:
        return self.yes + self.partly + self.no


@dataclass
class Practice:
    guidelines: list[dict]  # {"guideline", "yes", "partly", "no"}, as the session figures
    months: list[Month]
    ratings: ByMentor
    checks_chart: Chart = field(repr=False)
    ratings_chart: Chart = field(repr=False)
    mentee_word: str = "mentee"  # the programme's own word

    @property
    def checks(self) -> int:
        return sum(m.checks for m in self.months)

    @property
    def first_month(self) -> str:
        return self.months[0].label

    @property
    def last_month(self) -> str:
        return self.months[-1].label

    @property
    def checks_summary(self) -> str:
        if not self.checks:
            return f"No self-checks in the last {MONTHS} months."
        count, when = most([(m.label, m.checks) for m in self.months])
        yes = sum(m.yes for m in self.months)
        return (
            f"{yes} of {self.checks} self-checks said yes, the guideline was kept; the most "
            f"checks ({count}) were in {when}."
        )

    @property
    def ratings_by_month_shown(self) -> bool:
        return any(m.answered.ratings_shown for m in self.months)

    @property
    def ratings_summary(self) -> str:
        shown = [m for m in self.months if m.answered.average is not None]
        if any(m.answered.withheld for m in self.months):
            return (
                f"Monthly ratings stay hidden while any month has ratings from fewer than "
                f"{MIN_PARTNERS} people: that month could be worked out from the total less "
                "the others."
            )
        if not shown:
            return f"No month has ratings from {MIN_PARTNERS} or more people yet."
        words = ", ".join(f"{m.label} {m.answered.average:.1f}" for m in shown)
        return f"Average rating out of 5 by month: {words}."

    @property
    def summary(self) -> str:
        everyone = self.ratings.everyone
        if not self.checks and not everyone.ratings:
            return f"No self-checks or ratings in the last {MONTHS} months."
        yes = sum(m.yes for m in self.months)
        said = [
            f"mentors kept fully to a guideline in {yes} of {self.checks} self-checks"
            if self.checks
            else "no self-checks yet"
        ]
        if everyone.average is not None:
            said.append(
                f"{self.mentee_word}s rated {everyone.ratings} sessions "
                f"{everyone.average:.1f} out of 5 "
                "on average"
            )
        elif everyone.ratings:
            said.append(f"{everyone.ratings} ratings, from too few people to show")
        return f"Over the last {MONTHS} months, " + "; ".join(said) + "."


def _checks(programme: Programme, found: Feedback) -> tuple[list[dict], dict[date, dict[str, int]]]:
    """Self-checks (counted by `feedback(..., checks=True)`) by answer, per guideline (as
    the session figures show them: a removed guideline stays while it has answers) and per
    month: one query, for the guidelines."""
    by_guideline: dict[int, dict[str, int]] = {}
    by_month: dict[date, dict[str, int]] = {}
    for guideline_id, answer, month, n in found.checks:
        for counts in (by_guideline.setdefault(guideline_id, {}), by_month.setdefault(month, {})):
            counts[answer] = counts.get(answer, 0) + n
    rows = []
    for guideline in Guideline.objects.filter(programme=programme).order_by("position", "pk"):
        answered = by_guideline.get(guideline.pk, {})
        if guideline.archived_at and not answered:
            continue
        rows.append({"guideline": guideline, **{a: answered.get(a, 0) for a in SelfCheck.values}})
    return rows, by_month


def _month_rows(
    months: list[date], checks: dict[date, dict[str, int]], found: Feedback
) -> list[Month]:
    """Each month's self-checks (counted by `_checks`) and ratings (by `feedback`). A month
    rated by too few people is hidden; and then every month's ratings are, since the six
    months' total less the months shown would be the hidden months' answers."""
    rated = {
        month: _answered(f"{month:%b %Y}", row, mentors=0) for month, row in found.months.items()
    }
    if any(0 < a.rated_partners < MIN_PARTNERS for a in rated.values()):
        rated = {month: replace(a, withheld=True) for month, a in rated.items()}
    return [
        Month(
            month=m,
            yes=checks.get(m, {}).get(SelfCheck.YES, 0),
            partly=checks.get(m, {}).get(SelfCheck.PARTLY, 0),
            no=checks.get(m, {}).get(SelfCheck.NO, 0),
            answered=rated.get(m, Answered(f"{m:%b %Y}", mentors=0)),
        )
        for m in months
    ]


def _practice(
    programme: Programme,
    mentees: QuerySet[Membership],
    *,
    today: date,
    ratings: ByMentor,
    found: Feedback,
) -> Practice:
    """One query (the guidelines), with the feedback and self-checks already counted."""
    first = _months(today)
    guidelines, checks = _checks(programme, found)
    months = _month_rows(first, checks, found)
    labels = [m.label for m in months]
    # Tones from charts.css: green for yes and good, amber between, orange for no and poor.
    shown = [m.answered if m.answered.ratings_shown else Answered(m.label) for m in months]
    return Practice(
        mentee_word=programme.mentee_label,
        guidelines=guidelines,
        months=months,
        ratings=ratings,
        checks_chart=stacked_columns(
            labels,
            [
                Series("Yes", [m.yes for m in months], 3),
                Series("Partly", [m.partly for m in months], 4),
                Series("No", [m.no for m in months], 1),
            ],
        ),
        ratings_chart=stacked_columns(
            labels,
            [
                Series("4 or 5", [a.r4 + a.r5 for a in shown], 3),
                Series("3", [a.r3 for a in shown], 4),
                Series("1 or 2", [a.r1 + a.r2 for a in shown], 1),
            ],
        ),
    )


def guidelines_csv(
    programme: Programme, mentees: QuerySet[Membership], today: date
) -> tuple[list[str], Iterable[Sequence]]:
    # The self-checks alone: no session's feedback is read.
    said = feedback(programme, *_span(today), checks=True, by=())
    guidelines, _months_checked = _checks(programme, said)
    header = ["guideline", "removed", "yes", "partly", "no"]
    return header, [
        [
            row["guideline"].text,
            "yes" if row["guideline"].archived_at else "",
            row["yes"],
            row["partly"],
            row["no"],
        ]
        for row in guidelines
    ]


def months_csv(
    programme: Programme, mentees: QuerySet[Membership], today: date
) -> tuple[list[str], Iterable[Sequence]]:
    header = [
        "month",
        "self-checks: yes",
        "self-checks: partly",
        "self-checks: no",
        "ratings",
        "people who rated",
        "average rating",
    ]
    months = _months(today)
    said = feedback(programme, months[0], months[-1], checks=True, by=("month",))
    _guidelines, checks = _checks(programme, said)
    return header, [
        [
            m.month.isoformat(),
            m.yes,
            m.partly,
            m.no,
            m.answered.ratings,
            m.answered.rated_partners,
            _round(m.answered.average),
        ]
        for m in _month_rows(months, checks, said)
    ]


def ratings_csv(
    programme: Programme, mentees: QuerySet[Membership], today: date
) -> tuple[list[str], Iterable[Sequence]]:
    ratings, _pulse = by_mentor(programme, mentees, today=today)
    header = ["mentor", "partners who rated", "ratings", "average", "1", "2", "3", "4", "5"]

    def row(g: Answered) -> list:
        counts = [n for _, n in g.by_rating] if g.ratings_shown else [""] * 5
        return [g.label, g.rated_partners, g.ratings, _round(g.average), *counts]

    return header, [row(ratings.everyone), *(row(g) for g in ratings.rows)]


# --- The three panels ----------------------------------------------------------------------


@dataclass
class Answers:
    confidence: Confidence
    asked: Asked
    practice: Practice
    min_partners: int = MIN_PARTNERS
    recent_days: int = RECENT_DAYS
    months: int = MONTHS


def answers(
    programme: Programme,
    mentees: QuerySet[Membership],
    *,
    today: date,
    member: Membership | None = None,
) -> Answers:
    """The three panels for the filtered cohort `mentees` (not evaluated: it is used as a
    subquery). Eight queries, two more with `member`, whatever the cohort's size."""
    found = confidence(programme, mentees, member=member)
    answered = feedback(programme, *_span(today), checks=True)
    ratings, pulse = by_mentor(programme, mentees, today=today, found=answered)
    return Answers(
        confidence=found,
        asked=_asked(programme, mentees, today=today, people=found.mentees, pulse=pulse),
        practice=_practice(programme, mentees, today=today, ratings=ratings, found=answered),
    )


CsvRows = Callable[[Programme, QuerySet[Membership], date], tuple[list[str], Iterable[Sequence]]]

# The tables drawn from the whole programme whatever the filters (answers are counted
# across everyone, so that nobody's can be picked out by narrowing the view).
WHOLE_PROGRAMME = frozenset(
    {"pulse-by-mentor", "self-checks", "mentoring-by-month", "ratings-by-mentor"}
)

CSV_TABLES: dict[str, tuple[str, CsvRows]] = {
    "confidence": ("Confidence and capability per skill", confidence_csv),
    "asked-rhythm": ("How often: asked, agreed and kept", rhythm_csv),
    "asked-channels": ("How: asked, agreed and used", channels_csv),
    "pulse-by-mentor": ("A good way to meet, and how often: by mentor", pulse_csv),
    "self-checks": ("Guideline self-checks", guidelines_csv),
    "mentoring-by-month": ("Self-checks and ratings by month", months_csv),
    "ratings-by-mentor": ("Session ratings by mentor", ratings_csv),
}

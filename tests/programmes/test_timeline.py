"""Each mentee's phases as bars, as they went and as planned: the same selector for the lead's
dashboard, the mentor's home and the journey page, in two queries for any number of people."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Membership, Phase, PhaseTransition
from programmes.selectors.timeline import timelines_of
from tests.factories import make_mentee, make_programme, make_user, noon_days_ago


def _history(member, phases, weeks_in: list[int]) -> None:
    """Joined `sum(weeks_in)` weeks ago and spent `weeks_in[i]` weeks in phase i."""
    PhaseTransition.objects.filter(membership=member).delete()
    at = noon_days_ago(7 * sum(weeks_in))
    previous = None
    for phase, weeks in zip(phases, weeks_in, strict=False):
        PhaseTransition.objects.create(
            membership=member,
            kind=PhaseTransition.Kind.JOINED if previous is None else PhaseTransition.Kind.ADVANCED,
            from_phase=previous,
            from_name=previous.name if previous else "",
            to_phase=phase,
            to_name=phase.name,
            at=at,
        )
        previous, at = phase, at + timedelta(weeks=weeks)
    Membership.objects.filter(pk=member.pk).update(
        joined_at=noon_days_ago(7 * sum(weeks_in)),
        current_phase=previous,
        phase_started_at=at - timedelta(weeks=weeks_in[-1]),
    )


def test_a_timeline_lays_the_phases_as_they_went_against_the_plan(cast):
    phases = list(Phase.objects.filter(programme=cast.programme).order_by("position"))
    Phase.objects.filter(pk=phases[0].pk).update(expected_weeks=2, starts_on=None, ends_on=None)
    Phase.objects.filter(pk=phases[1].pk).update(expected_weeks=2, starts_on=None, ends_on=None)
    Phase.objects.filter(pk__in=[p.pk for p in phases[2:]]).update(
        expected_weeks=None, starts_on=None, ends_on=None
    )
    member = cast.mentee_membership
    _history(member, phases, [2, 6])  # two weeks in the first phase, six in the second
    member = Membership.objects.select_related("current_phase").get(pk=member.pk)
    [t] = timelines_of([member])
    assert [r.tone for r in t.actual] == [0, 1]
    assert t.actual[0].x == 0 and round(t.actual[1].x) == 25  # 2 of 8 weeks
    assert [r.tone for r in t.planned] == [0, 1]  # four weeks planned in all
    assert round(t.planned[1].x + t.planned[1].width) == 50
    assert t.over_plan and t.planned_days == 14
    assert t.today_x == 100
    assert [name for name, _ in t.legend][-1] == "Operationalised"


def test_timelines_for_many_people_in_many_programmes_take_two_queries(cast):
    other = make_programme(make_user(), name="Second Programme")
    members = [make_mentee(cast.programme) for _ in range(3)] + [make_mentee(other)]
    members = list(
        Membership.objects.filter(pk__in=[m.pk for m in members]).select_related(
            "current_phase", "programme"
        )
    )
    with CaptureQueriesContext(connection) as queries:
        found = timelines_of(members)
    assert len(queries) == 2
    assert [t.member.pk for t in found] == [m.pk for m in members]
    assert all(t.actual for t in found)


def test_the_journey_page_and_the_mentors_home_draw_the_timeline(client, cast):
    client.force_login(cast.mentee)
    page = client.get(reverse("programmes:my_journey", kwargs={"slug": cast.programme.slug}))
    assert 'class="timeline__bars"' in page.content.decode()
    client.force_login(cast.mentor)
    home = client.get(reverse("mentoring:home")).content.decode()
    assert 'class="timeline__bars"' in home and "Mia Mentee" in home


# --- Drawn in Python (the mentor's home and the journey page) -----------------------------


def test_the_bars_drawn_in_python_are_the_partials_bars(cast):
    from django.template.loader import render_to_string

    from programmes.selectors.timeline import timeline_from

    phases = list(Phase.objects.filter(programme=cast.programme).order_by("position"))
    Phase.objects.filter(pk=phases[0].pk).update(expected_weeks=3, name="Research <& co>")
    member = cast.mentee_membership
    _history(member, phases, [2, 5, 1])
    member = Membership.objects.select_related("current_phase").get(pk=member.pk)
    [t] = timelines_of([member])
    assert str(t.svg) == render_to_string("_partials/timeline.html", {"t": t})
    with_legend = render_to_string("_partials/timeline.html", {"t": t, "legend": True})
    assert with_legend.startswith(str(t.svg).rstrip("\n"))
    assert with_legend.rstrip("\n").endswith(str(t.legend_html))
    assert "Research &lt;&amp; co&gt;" in t.svg and "<&" not in t.svg

    # The journey page's: the same timeline from the phases and moves it has read already.
    phases = list(Phase.objects.filter(programme=cast.programme).order_by("position"))
    transitions = list(PhaseTransition.objects.filter(membership=member).order_by("-at"))
    again = timeline_from(member, list(reversed(phases)), transitions)
    assert (again.actual, again.planned, again.today_x, again.legend) == (
        t.actual,
        t.planned,
        t.today_x,
        t.legend,
    )
    with CaptureQueriesContext(connection) as queries:
        timeline_from(member, phases, transitions)
    assert len(queries) == 0


def test_someone_who_joined_before_the_programme_began_counts_their_phase_from_its_start(cast):
    """Joined three weeks before the start, which was five days ago: five days into the
    first phase (as the pace rules count), its planned two weeks from the start, not over."""
    from django.utils import timezone

    phases = list(Phase.objects.filter(programme=cast.programme).order_by("position"))
    Phase.objects.filter(programme=cast.programme).update(
        expected_weeks=2, starts_on=None, ends_on=None
    )
    member = cast.mentee_membership
    _history(member, phases, [3])
    starts_on = timezone.localdate() - timedelta(days=5)
    type(cast.programme).objects.filter(pk=cast.programme.pk).update(starts_on=starts_on)
    member = Membership.objects.select_related("current_phase", "programme").get(pk=member.pk)
    assert member.days_in_phase == 5
    [t] = timelines_of([member])
    assert t.days_in_phase == 5 and t.planned_days == 14 and not t.over_plan
    # The actual bar still shows the weeks before the start; the plan begins at the start.
    assert t.actual[0].x == 0
    assert round(t.planned[0].x) == round(100 * 16 / t.total_days)


def test_before_the_programme_begins_nobody_has_days_in_a_phase_to_show(cast, client):
    from django.utils import timezone

    _history(cast.mentee_membership, [cast.mentee_membership.current_phase], [1])
    type(cast.programme).objects.filter(pk=cast.programme.pk).update(
        starts_on=timezone.localdate() + timedelta(days=10)
    )
    member = Membership.objects.select_related("programme").get(pk=cast.mentee_membership.pk)
    assert member.days_in_phase is None
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert "In this phase" not in html

"""The rows the lead's long tables write in Python (People, Activities, the alignment
matrix): each case of each column, names escaped once, and the forms on them posting with a
valid CSRF token."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from playbooks.models import Completion, PersonalTarget, StrategyPillar, ThemeMapping
from playbooks.services.activity import add_activity
from programmes.models import Membership, PaceStatus
from tests.factories import make_mentee, make_user


def _get(client, name: str, slug: str, query: str = "") -> str:
    response = client.get(reverse(name, kwargs={"slug": slug}) + query)
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, text: str) -> str:
    """The table row holding `text`."""
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if text in row]
    assert len(rows) == 1, f"{len(rows)} rows hold {text!r}"
    return rows[0]


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))


@pytest.fixture
def people(cast):
    programme = cast.programme
    judged = make_mentee(programme, user=make_user("Jo <Judged> & Co", "jo@example.org"))
    Membership.objects.filter(pk=judged.pk).update(
        pace_status=PaceStatus.STALLED, pace_reason="No session since <March> & more."
    )
    quiet = make_mentee(programme, user=make_user("Quinn Quiet", "quinn@example.org"))
    Membership.objects.filter(pk=quiet.pk).update(pace_status=PaceStatus.AHEAD, pace_reason="")
    done = make_mentee(programme, user=make_user("Olive Operational", "olive@example.org"))
    Membership.objects.filter(pk=done.pk).update(operationalised_at=timezone.now())
    unnamed = make_mentee(programme, user=make_user("Soon Nameless", "nameless@example.org"))
    type(unnamed.user).objects.filter(pk=unnamed.user_id).update(name="")
    return {"judged": judged, "quiet": quiet, "done": done, "unnamed": unnamed}


def test_the_people_rows_say_each_case_once_and_escape_what_people_typed(client, cast, people):
    client.force_login(cast.lead)
    slug = cast.programme.slug
    html = _get(client, "programmes:people", slug)

    judged = _squash(_row(html, "jo@example.org"))
    journey = reverse("programmes:member_journey", args=[slug, people["judged"].pk])
    remove = reverse("mentoring:member_remove", args=[slug, people["judged"].pk])
    assert f'<a href="{journey}">Jo &lt;Judged&gt; &amp; Co</a>' in judged
    assert 'status--danger">Stalled</span> No session since &lt;March&gt; &amp; more.' in judged
    assert '<span class="status status--warn">Not paired</span>' in judged
    assert f'href="{remove}">Remove<span class="visually-hidden"> Jo &lt;Judged&gt;' in judged
    assert "&amp;lt;" not in html and "&amp;amp;" not in html  # nothing escaped twice

    quiet = _squash(_row(html, "quinn@example.org"))
    assert '<span class="status status--pace status--info">Ahead</span></span>' in quiet

    assert "Operationalised" in _row(html, "olive@example.org")
    assert ">nameless</a>" in _row(html, "nameless@example.org")  # the display name

    unchecked = _squash(_row(html, ">mentee@example.org<"))  # the cast's paired mentee
    assert "— not checked yet" in re.sub(r"<[^>]+>", "", unchecked)
    assert ">Mo Mentor</td>" in unchecked
    assert 'badge--mentee">' in unchecked

    mentor = _squash(_row(html, ">mentor@example.org<"))
    assert '<td data-label="Phase">—</td><td data-label="Mentor">—</td>' in mentor
    assert "Pace:" not in mentor and "/people/" in mentor  # a remove link, no journey

    own = _squash(_row(html, "lead@example.org"))
    assert "Remove" not in own and 'badge--lead">Lead' in own


def test_the_activities_rows_say_target_phase_and_last_day(client, cast):
    mentee = cast.mentee_membership
    activity = add_activity(programme=cast.programme, by=cast.lead, title="Post", times=1)
    PersonalTarget.objects.create(membership=mentee, per_week=3)
    Completion.objects.create(membership=mentee, activity=activity, done_on="2026-03-04")
    client.force_login(cast.lead)
    html = _get(client, "playbooks:activities", cast.programme.slug)

    row = _squash(_row(html, "Mia Mentee"))
    address = reverse("playbooks:member_checklist", args=[cast.programme.slug, mentee.pk])
    assert f'<a href="{address}">Mia Mentee</a>' in row
    assert f'<td data-label="Phase">{mentee.current_phase.name}</td>' in row
    assert '<td data-label="Personal target">3 a week</td>' in row
    assert '<td data-label="Last activity">4 Mar 2026</td>' in row

    other = _squash(_row(html, "Otto Othermentee"))
    assert '<td data-label="Personal target">—</td>' in other
    assert '<td data-label="Last activity">Nothing yet</td>' in other


def test_the_activities_forms_post_with_the_pages_csrf_token(cast):
    activity = add_activity(programme=cast.programme, by=cast.lead, title="Post", times=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.lead)
    html = _get(client, "playbooks:activities", cast.programme.slug)
    remove = reverse("playbooks:activity_remove", args=[cast.programme.slug, activity.pk])
    form = re.search(rf'<form method="post" action="{remove}">(.*?)</form>', html, re.S)
    assert form is not None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1))
    assert token is not None
    assert client.post(remove, {"csrfmiddlewaretoken": "wrong"}).status_code == 403
    response = client.post(remove, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302


def test_the_matrix_cells_count_and_escape_each_mentees_themes(client, cast):
    mentee = cast.mentee_membership
    pillar = StrategyPillar.objects.create(programme=cast.programme, position=1, name="Reach")
    StrategyPillar.objects.create(programme=cast.programme, position=2, name="Trust & <care>")
    for theme in ("Videos", "Tips & <tricks>"):
        ThemeMapping.objects.create(membership=mentee, theme=theme, pillar=pillar)
    ThemeMapping.objects.create(membership=mentee, theme="Loose end", pillar=None)
    client.force_login(cast.lead)
    html = _get(client, "playbooks:strategy", cast.programme.slug)

    row = _squash(_row(html, "Mia Mentee"))
    assert (
        '<td data-label="Reach"><span class="status status--ok">2</span> '
        "Videos, Tips &amp; &lt;tricks&gt;</td>"
    ) in row
    assert (
        '<td data-label="Trust &amp; &lt;care&gt;"><span class="muted">—'
        '<span class="visually-hidden">none</span></span></td>'
    ) in row
    assert (
        '<td data-label="No pillar yet"><span class="status status--warn">1</span> Loose end</td>'
    ) in row
    empty = _squash(_row(html, "Otto Othermentee"))
    assert empty.count('<span class="visually-hidden">none</span>') == 3


def test_only_the_lead_gets_the_pages(client, cast):
    for person in (cast.mentor, cast.mentee, cast.other_lead):
        client.force_login(person)
        for name in ("programmes:people", "playbooks:activities", "playbooks:strategy"):
            response = client.get(reverse(name, kwargs={"slug": cast.programme.slug}))
            assert response.status_code in {403, 404}


def test_a_rows_address_from_one_reverse_is_the_address_reverse_gives(cast):
    from programmes.selectors.rows import id_paths, id_prefix

    slug = cast.programme.slug
    head, tail = id_paths("programmes:member_journey", slug)
    prefix = id_prefix("playbooks:log_completion", slug, 7)
    for pk in (1, 10, 987):
        assert head + str(pk) + tail == reverse("programmes:member_journey", args=[slug, pk])
        assert f"{prefix}{pk}/" == reverse("playbooks:log_completion", args=[slug, 7, pk])
    with pytest.raises(ValueError):  # an address that goes on after the id
        id_prefix("mentoring:dashboard_csv", slug)

"""The own checklist reads the owner's rows without `visible_to`'s joins (see
playbooks/selectors/checklist.py): these tests hold it to exactly what `visible_to` gives the
owner, and the page's hand-written target field to what the form would draw."""

from datetime import timedelta

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from playbooks.forms.activity import PersonalTargetForm
from playbooks.models import Activity, Completion, PersonalTarget, Recurrence
from playbooks.selectors.checklist import own_completions, rows_for
from playbooks.services.activity import add_activity, today_for
from programmes.models import Pairing
from tests.factories import make_mentee, make_mentor, make_user


def _activity(cast, title):
    return add_activity(
        programme=cast.programme, by=cast.lead, title=title, recurrence=Recurrence.WEEK, times=2
    )


def _log(activity, membership, days_ago=0, **fields):
    return Completion.objects.create(
        activity=activity,
        membership=membership,
        done_on=timezone.localdate() - timedelta(days=days_ago),
        **fields,
    )


def _ids(completions):
    return sorted(c.pk for c in completions)


def test_own_completions_are_what_visible_to_shows_the_owner(cast):
    post, comment = _activity(cast, "Post"), _activity(cast, "Comment")
    other_mentee = cast.programme.memberships.get(user=cast.other_mentee)
    other_mentor = cast.programme.memberships.get(user=cast.other_mentor)
    for membership in (cast.mentee_membership, cast.mentor_membership, other_mentee):
        _log(post, membership)
        _log(comment, membership, days_ago=3)
    _log(post, other_mentor)
    # A mentor the mentee had before: their completions are no longer shown to the mentee.
    former = make_mentor(cast.programme, user=make_user("Fay Former", "former@example.org"))
    Pairing.objects.create(
        programme=cast.programme,
        mentor=former,
        mentee=cast.mentee_membership,
        ended_at=timezone.now(),
    )
    _log(post, former)

    for person, owner in (
        (cast.mentee, cast.mentee_membership),
        (cast.mentor, cast.mentor_membership),
    ):
        visible = Completion.objects.visible_to(person)
        mine, theirs = own_completions(owner)
        assert _ids(mine) == _ids(visible.filter(membership=owner))
        if owner.role == "mentee":
            expected = visible.filter(
                membership__role="mentor",
                membership__mentor_pairings__mentee=owner,
                membership__mentor_pairings__ended_at__isnull=True,
            )
            assert _ids(theirs) == _ids(expected)
            assert {c.membership.user.display_name for c in theirs} == {"Mo Mentor"}
        else:
            assert theirs == []
        assert [c.done_on for c in mine] == sorted((c.done_on for c in mine), reverse=True)


def test_the_checklist_page_shows_the_mentees_and_their_mentors_log_and_no_one_elses(client, cast):
    Activity.objects.filter(programme=cast.programme).delete()
    post = _activity(cast, "Post")
    _log(post, cast.mentee_membership, note="Mine, today")
    _log(post, cast.mentor_membership, what_worked="The mentor's lesson")
    other_mentee = cast.programme.memberships.get(user=cast.other_mentee)
    _log(post, other_mentee, note="Someone else's note")
    client.force_login(cast.mentee)
    page = client.get(reverse("playbooks:checklist", args=[cast.programme.slug])).content.decode()
    assert "Mine, today" in page and "The mentor&#x27;s lesson" in page
    assert "Someone else" not in page
    log_url = reverse(
        "playbooks:log_completion",
        args=[cast.programme.slug, cast.mentee_membership.pk, post.pk],
    )
    assert page.count(f'action="{log_url}" hx-post="{log_url}"') == 1
    assert f'href="{log_url}">Log with details' in page


def test_each_listed_line_is_what_the_template_wrote(cast):
    post = _activity(cast, "Post")
    done = [
        _log(post, cast.mentee_membership, days_ago=n, note=f"<b>note {n}</b>") for n in range(12)
    ]
    _log(post, cast.mentee_membership, days_ago=400, evidence_url="https://example.org/?a=1&b=2")
    theirs = [
        _log(post, cast.mentor_membership, days_ago=n, what_worked="It's <i>fine</i>")
        for n in (2, 33, 34, 35)
    ]
    mine = sorted(
        Completion.objects.filter(membership=cast.mentee_membership),
        key=lambda c: -c.done_on.toordinal(),
    )
    rows, _ = rows_for([post], mine, today_for(cast.mentee), theirs)
    [row] = rows
    for completion in row.completions[:10]:
        day = completion.done_on
        assert completion.line.startswith(
            f'<time datetime="{day:%Y-%m-%d}">{_date_filter(day, "D j M Y")}</time>'
        )
        assert "&lt;b&gt;note" in completion.line and "<b>" not in completion.line
        assert completion.undoable
    assert all(not hasattr(c, "line") for c in row.completions[10:])
    for completion in row.mentor_completions[:3]:
        day = completion.done_on
        assert completion.line == (
            f'Mo Mentor, <time datetime="{day:%Y-%m-%d}">{_date_filter(day, "j M Y")}</time>'
            "\n<br><strong>What worked:</strong> It&#x27;s &lt;i&gt;fine&lt;/i&gt;"
        )
    assert done


def _date_filter(day, spelling):
    from django.template import engines

    return engines["django"].from_string("{{ d|date:f }}").render({"d": day, "f": spelling})


def test_the_target_field_is_drawn_as_the_form_would_draw_it(client, cast):
    for per_week in (None, 4):
        PersonalTarget.objects.filter(membership=cast.mentee_membership).delete()
        if per_week:
            PersonalTarget.objects.create(membership=cast.mentee_membership, per_week=per_week)
        form = PersonalTargetForm(initial={"per_week": per_week})
        expected = render_to_string(
            "programmes/workshop_field.html", {"field": form["per_week"]}
        ).strip()
        client.force_login(cast.mentee)
        page = client.get(reverse("playbooks:checklist", args=[cast.programme.slug]))
        assert expected in page.content.decode()


def test_a_mentee_with_no_mentor_sees_only_their_own_log(client, cast):
    alone = make_mentee(cast.programme, user=make_user("Al Alone", "alone@example.org"))
    post = _activity(cast, "Post")
    _log(post, alone, note="On my own")
    _log(post, cast.mentor_membership, what_worked="Not for Al")
    mine, theirs = own_completions(alone)
    assert [c.note for c in mine] == ["On my own"] and theirs == []


# The lines as the checklist's template wrote them before rows_for wrote them in Python.
_OWN_LINE = (
    "<time datetime=\"{{ completion.done_on|date:'Y-m-d' }}\">"
    '{{ completion.done_on|date:"D j M Y" }}</time>\n'
    '{% if completion.evidence_url %} · <a href="{{ completion.evidence_url }}" '
    'rel="noopener noreferrer nofollow">evidence</a>{% endif %}\n'
    "{% if completion.note %} · {{ completion.note }}{% endif %}\n"
    "{% if completion.what_worked %}<br><strong>Worked:</strong> "
    "{{ completion.what_worked }}{% endif %}\n"
    "{% if completion.what_failed %}<br><strong>Didn't:</strong> "
    "{{ completion.what_failed }}{% endif %}"
)
_MENTOR_LINE = (
    "{{ completion.membership.user.display_name }}, "
    "<time datetime=\"{{ completion.done_on|date:'Y-m-d' }}\">"
    '{{ completion.done_on|date:"j M Y" }}</time>'
    '{% if completion.evidence_url %} · <a href="{{ completion.evidence_url }}" '
    'rel="noopener noreferrer nofollow">see it</a>{% endif %}\n'
    "{% if completion.what_worked %}<br><strong>What worked:</strong> "
    "{{ completion.what_worked }}{% endif %}\n"
    "{% if completion.what_failed %}<br><strong>What didn't:</strong> "
    "{{ completion.what_failed }}{% endif %}\n"
    "{% if completion.note %}<br>{{ completion.note }}{% endif %}"
)


def _squeezed(html) -> str:
    import re

    return re.sub(r"\s+", " ", str(html)).strip()


def test_the_lines_read_as_the_template_wrote_them(cast):
    from itertools import product

    from django.template import engines

    post = _activity(cast, "Post")
    fields = ("evidence_url", "note", "what_worked", "what_failed")
    values = {
        "evidence_url": "https://example.org/p?a=1&b=<2>",
        "note": "A <note> & more",
        "what_worked": 'It\'s "fine"',
        "what_failed": "<script>x</script>",
    }
    mine, theirs = [], []
    for n, chosen in enumerate(product((False, True), repeat=4)):
        given = {f: values[f] for f, on in zip(fields, chosen, strict=True) if on}
        mine.append(_log(post, cast.mentee_membership, days_ago=n, **given))
        theirs.append(_log(post, cast.mentor_membership, days_ago=n, **given))
    for c in theirs:
        c.membership.user = cast.mentor
    own_template = engines["django"].from_string(_OWN_LINE)
    mentor_template = engines["django"].from_string(_MENTOR_LINE)
    for start in range(0, len(mine), 3):
        rows, _ = rows_for([post], mine[start:], today_for(cast.mentee), theirs[start:])
        [row] = rows
        for completion in row.completions[:10]:
            expected = own_template.render({"completion": completion})
            assert _squeezed(completion.line) == _squeezed(expected)
        for completion in row.mentor_completions[:3]:
            expected = mentor_template.render({"completion": completion})
            assert _squeezed(completion.line) == _squeezed(expected)

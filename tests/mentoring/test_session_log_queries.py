"""Logging a session: the form's section and activity choices are labelled without a query
per option and read once, however many the mentee's playbook and checklist hold."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.services.session import start_session
from playbooks.models import Section
from playbooks.services.activity import add_activity
from playbooks.services.playbook import add_template_section
from programmes.models import Pairing


def _log_page(client, cast) -> tuple[list[str], str]:
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    session = start_session(pairing=pairing, by=cast.mentor)
    client.force_login(cast.mentor)
    url = reverse("mentoring:session_edit", args=[cast.programme.slug, session.pk])
    client.get(url)  # counted from the second visit on: a sign-in's first is apart
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response.content.decode()


def _grow(cast, n: int) -> None:
    for i in range(n):
        add_template_section(programme=cast.programme, by=cast.lead, title=f"Extra {n}-{i}")
        add_activity(programme=cast.programme, by=cast.lead, title=f"Extra activity {n}-{i}")


def test_the_log_form_runs_the_same_queries_for_few_sections_and_many(client, cast):
    few, _ = _log_page(client, cast)
    _grow(cast, 12)
    many, html = _log_page(client, cast)
    assert len(many) == len(few)
    sections = Section.objects.filter(playbook__membership=cast.mentee_membership)
    assert sections.count() >= 12
    assert "Extra 12-11 (Mia Mentee)" in html  # labelled as `Section.__str__` labels it
    assert "Extra activity 12-11" in html


def test_the_sections_and_activities_are_each_read_once(client, cast):
    _grow(cast, 3)
    queries, _ = _log_page(client, cast)
    # The choices, not the session's own ticks (read through its many-to-many table).
    choices = [q for q in queries if '"mentoring_mentoringsession_' not in q]
    from_sections = [q for q in choices if q.startswith('SELECT "playbooks_section"."id"')]
    from_activities = [q for q in choices if q.startswith('SELECT "playbooks_activity"."id"')]
    assert len(from_sections) == 1
    assert len(from_activities) == 1

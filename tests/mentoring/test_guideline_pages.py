"""Mentoring guidelines belong to the programme: defaults for new ones, copied on duplicate,
edited by leads, read by members, and in front of the mentor when a session is logged."""

from django.urls import reverse

from mentoring.blueprints import DEFAULT_GUIDELINES
from mentoring.models import Guideline, MentoringSession
from mentoring.services.guideline import add_guideline, remove_guideline
from programmes.services.programme import create_programme, duplicate_programme


def _url(cast, name, **kwargs):
    return reverse(name, kwargs={"slug": cast.programme.slug, **kwargs})


def _texts(programme) -> list[str]:
    return list(
        Guideline.objects.filter(programme=programme).current().values_list("text", flat=True)
    )


def test_a_new_programme_starts_with_the_three_default_guidelines(cast):
    assert _texts(cast.programme) == DEFAULT_GUIDELINES
    blank = create_programme(name="Blank", by=cast.lead, from_template=False)
    assert _texts(blank) == DEFAULT_GUIDELINES


def test_a_duplicated_programme_keeps_its_sources_guidelines(cast):
    add_guideline(programme=cast.programme, by=cast.lead, text="Ask before advising")
    remove_guideline(
        guideline=Guideline.objects.get(programme=cast.programme, text=DEFAULT_GUIDELINES[0]),
        by=cast.lead,
    )
    copy = duplicate_programme(source=cast.programme, by=cast.lead, name="Next cohort")
    assert _texts(copy) == [*DEFAULT_GUIDELINES[1:], "Ask before advising"]


def test_members_read_the_guidelines_and_outsiders_get_nothing(client, cast):
    expected = {"lead": 200, "mentor": 200, "mentee": 200, "other_mentee": 200,
                "other_mentor": 200, "other_lead": 404}  # fmt: skip
    for who, person in cast.people().items():
        client.force_login(person)
        response = client.get(_url(cast, "mentoring:guidelines"))
        assert response.status_code == expected[who], who
        if response.status_code == 200:
            html = response.content.decode()
            assert DEFAULT_GUIDELINES[0] in html
            assert ("Add guideline" in html) == (who == "lead")


def test_only_a_lead_adds_edits_or_removes_a_guideline(client, cast):
    guideline = Guideline.objects.filter(programme=cast.programme).first()
    add = _url(cast, "mentoring:guidelines")
    edit = _url(cast, "mentoring:guideline_edit", pk=guideline.pk)
    remove = _url(cast, "mentoring:guideline_remove", pk=guideline.pk)
    for who, status in {"mentor": 403, "mentee": 403, "other_lead": 404}.items():
        client.force_login(getattr(cast, who))
        assert client.post(add, {"text": "Sneaky"}).status_code == status, who
        assert client.post(edit, {"text": "Sneaky"}).status_code == status, who
        assert client.post(remove).status_code == status, who
    assert "Sneaky" not in _texts(cast.programme) and len(_texts(cast.programme)) == 3
    client.force_login(cast.lead)
    client.post(add, {"text": "Listen first"})
    client.post(edit, {"text": "Go at your partner's pace"})
    assert _texts(cast.programme)[0] == "Go at your partner's pace"
    client.post(remove)
    assert _texts(cast.programme) == [*DEFAULT_GUIDELINES[1:], "Listen first"]


def test_the_guidelines_are_beside_the_log_each_with_a_self_check(client, cast):
    client.force_login(cast.mentor)
    client.post(_url(cast, "mentoring:session_start", member=cast.mentee_membership.pk))
    session = MentoringSession.objects.get(mentee=cast.mentee_membership)
    html = client.get(_url(cast, "mentoring:session_edit", pk=session.pk)).content.decode()
    for text in DEFAULT_GUIDELINES:
        assert text in html
    assert html.count('value="partly"') == 3

"""What someone wrote survives the other side acting at the same moment: a mentee's text when
their mentor marks the section complete, a mentor's comment when the mentee takes the
section back."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from playbooks.models import Section, SectionComment, SectionStatus
from playbooks.services.playbook import (
    complete_section,
    reopen_section,
    save_section,
    send_section_back,
    submit_section_for_review,
)
from tests.factories import noon_days_ago

pytestmark = pytest.mark.django_db


def url(name, cast, section):
    return reverse(f"playbooks:{name}", args=[cast.programme.slug, section.pk])


def drafted(cast) -> Section:
    section = (
        Section.objects.filter(playbook__membership=cast.mentee_membership)
        .order_by("template_section__position")
        .first()
    )
    assert section is not None
    return save_section(section=section, by=cast.mentee, body="First draft", version=0)


def test_text_saved_after_the_mentor_completed_the_section_is_kept_and_can_be_reopened_with(
    client, cast
):
    section = drafted(cast)
    complete_section(section=section, by=cast.mentor)  # while the mentee is still typing
    client.force_login(cast.mentee)
    response = client.post(
        url("section", cast, section),
        {"body": "First draft, and a new paragraph", "version": section.version, "editor": "a"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "marked this section complete while you were writing" in html
    assert "First draft, and a new paragraph" in html
    assert url("section_reopen", cast, section) in html
    section.refresh_from_db()
    assert (section.status, section.body) == (SectionStatus.COMPLETE, "First draft")

    client.post(url("section_reopen", cast, section), {"body": "First draft, and a new paragraph"})
    section.refresh_from_db()
    assert section.status == SectionStatus.DRAFTING
    assert section.body == "First draft, and a new paragraph"
    # The completed text is in the history, beside the one that replaced it.
    bodies = list(section.revisions.order_by("pk").values_list("body", flat=True))
    assert bodies == ["First draft", "First draft, and a new paragraph"]


def test_an_autosave_after_the_mentor_completed_the_section_says_how_to_keep_the_text(client, cast):
    section = drafted(cast)
    complete_section(section=section, by=cast.mentor)
    client.force_login(cast.mentee)
    response = client.post(
        url("section_autosave", cast, section),
        {"body": "More", "version": section.version, "editor": "a"},
    )
    assert response.status_code == 400
    assert "Press Save to keep it" in response.json()["error"]


def test_reopening_without_a_text_keeps_the_completed_one(client, cast):
    section = drafted(cast)
    complete_section(section=section, by=cast.mentor)
    client.force_login(cast.mentee)
    client.post(url("section_reopen", cast, section))
    section.refresh_from_db()
    assert (section.status, section.body) == (SectionStatus.DRAFTING, "First draft")


def test_a_comment_sent_back_after_the_mentee_took_the_section_back_is_kept_to_post(client, cast):
    section = drafted(cast)
    submit_section_for_review(section=section, by=cast.mentee)
    client.force_login(cast.mentor)
    page = client.get(url("section", cast, section)).content.decode()
    assert url("section_send_back", cast, section) in page
    reopen_section(section=section, by=cast.mentee)  # meanwhile
    response = client.post(url("section_send_back", cast, section), {"comment": "Be bolder."})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Mia took it back to drafting" in html
    assert ">Be bolder.</textarea>" in html  # in the new comment, ready to post
    assert not SectionComment.objects.exists()
    section.refresh_from_db()
    assert section.status == SectionStatus.DRAFTING


def test_the_editor_dates_a_save_from_another_day(client, cast):
    section = drafted(cast)
    client.force_login(cast.mentee)
    today = client.get(url("section", cast, section)).content.decode()
    assert re.search(r"Saved \d\d:\d\d<", today)
    Section.objects.filter(pk=section.pk).update(updated_at=noon_days_ago(40))
    earlier = client.get(url("section", cast, section)).content.decode()
    day = timezone.localtime(noon_days_ago(40))
    assert f"Saved {day:%-d %b}" in earlier


def test_text_kept_after_completion_is_saved_even_if_the_section_was_sent_back_meanwhile(
    client, cast
):
    section = drafted(cast)
    complete_section(section=section, by=cast.mentor)
    client.force_login(cast.mentee)
    page = client.post(
        url("section", cast, section),
        {"body": "Mine, kept", "version": section.version, "editor": "a"},
    )
    assert page.status_code == 409
    assert (
        page.content.decode().count(url("section_reopen", cast, section)) == 1
    )  # the one keeping it
    send_section_back(section=section, by=cast.mentor, comment="More, please.")  # meanwhile
    client.post(url("section_reopen", cast, section), {"body": "Mine, kept"})
    section.refresh_from_db()
    assert (section.status, section.body) == (SectionStatus.DRAFTING, "Mine, kept")


def test_a_second_send_back_says_it_was_sent_back_already(client, cast):
    section = drafted(cast)
    submit_section_for_review(section=section, by=cast.mentee)
    client.force_login(cast.mentor)
    send_back = url("section_send_back", cast, section)
    client.post(send_back, {"comment": "Be bolder."})
    response = client.post(send_back, {"comment": "Be bolder."})  # the same click again
    assert "Not sent back: you had sent it back already." in response.content.decode()
    assert SectionComment.objects.count() == 1
    submit_section_for_review(section=section, by=cast.mentee)  # ready again
    empty = client.post(send_back, {"comment": ""})
    assert "Say what to work on, so your partner knows what to change." in empty.content.decode()

"""Playbook pages: who reaches them, writing and saving, review, comments, the template."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from playbooks.blueprints import DEFAULT_SECTIONS
from playbooks.models import (
    Playbook,
    Section,
    SectionComment,
    SectionStatus,
    TemplateSection,
)
from playbooks.services.playbook import (
    add_template_section,
    save_section,
    submit_section_for_review,
)
from programmes.models import (
    EmailStatus,
    ExitCriterion,
    Notification,
    NotificationKind,
    Phase,
)
from programmes.services.programme import create_programme
from programmes.services.progress import advance_phase
from tests.factories import make_mentee, make_mentor, make_user

pytestmark = pytest.mark.django_db


def url(name, programme, *args):
    return reverse(f"playbooks:{name}", args=[programme.slug, *args])


def first_section(membership) -> Section:
    section = (
        Section.objects.filter(playbook__membership=membership)
        .order_by("template_section__position")
        .select_related("template_section", "playbook__membership__programme")
        .first()
    )
    assert section is not None
    return section


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """`with sent():` runs the outbox's after-commit delivery, so mail reaches mail.outbox
    the way users get it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def write(cast, body="My purpose.", section=None):
    section = section or first_section(cast.mentee_membership)
    return save_section(section=section, by=cast.mentee, body=body, version=section.version)


# --- Who may reach what --------------------------------------------------------------------


def test_a_new_mentee_has_a_playbook_with_the_default_sections(cast):
    titles = list(
        Section.objects.filter(playbook__membership=cast.mentee_membership)
        .order_by("template_section__position")
        .values_list("template_section__title", flat=True)
    )
    assert titles == [b.title for b in DEFAULT_SECTIONS]
    assert "Fitting the business's strategy" in titles


@pytest.mark.parametrize(
    "who, status",
    [
        ("mentee", 200),
        ("mentor", 200),
        ("lead", 200),
        ("other_mentee", 404),
        ("other_mentor", 404),
        ("other_lead", 404),
    ],
)
def test_who_may_read_a_mentees_section_and_playbook(client, cast, who, status):
    section = first_section(cast.mentee_membership)
    client.force_login(cast.people()[who])
    member = cast.mentee_membership.pk
    for address in [
        section.get_absolute_url(),
        url("member_playbook", cast.programme, member),
        url("playbook_print", cast.programme, member),
        url("playbook_download", cast.programme, member),
        url("section_revisions", cast.programme, section.pk),
    ]:
        assert client.get(address).status_code == status, address


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast):
    section = first_section(cast.mentee_membership)
    response = client.get(section.get_absolute_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_playbook_tab_shows_a_mentee_their_own_playbook(client, cast):
    client.force_login(cast.mentee)
    response = client.get(url("playbook", cast.programme))
    assert response.status_code == 200
    assert "Your playbook" in response.text
    assert 'aria-current="page">Playbook<' in response.text


def test_a_mentor_sees_only_their_partners_playbooks_and_a_lead_sees_all(client, cast):
    client.force_login(cast.mentor)
    names = client.get(url("playbook", cast.programme)).text
    assert "Mia Mentee" in names and "Otto Othermentee" not in names
    client.force_login(cast.lead)
    names = client.get(url("playbook", cast.programme)).text
    assert "Mia Mentee" in names and "Otto Othermentee" in names


@pytest.mark.parametrize("who", ["mentor", "lead"])
def test_nobody_but_the_mentee_saves_their_text(client, cast, who):
    section = first_section(cast.mentee_membership)
    client.force_login(cast.people()[who])
    data = {"body": "Not mine to write", "version": section.version}
    assert client.post(section.get_absolute_url(), data).status_code == 403
    assert client.post(section.get_absolute_url() + "autosave/", data).status_code == 403
    section.refresh_from_db()
    assert section.body == ""


def test_a_mentor_sees_the_text_but_no_editor(client, cast):
    write(cast, "A *clear* purpose.")
    client.force_login(cast.mentor)
    response = client.get(first_section(cast.mentee_membership).get_absolute_url())
    assert "<em>clear</em>" in response.text
    assert "data-playbook-editor" not in response.text


def test_changes_are_refused_over_get(client, cast):
    section = first_section(cast.mentee_membership)
    client.force_login(cast.mentee)
    for name in ["section_autosave", "section_submit", "section_comment", "section_complete"]:
        assert client.get(url(name, cast.programme, section.pk)).status_code == 405


# --- Writing and saving --------------------------------------------------------------------


def test_the_form_saves_without_javascript_and_starts_drafting(client, cast):
    section = first_section(cast.mentee_membership)
    client.force_login(cast.mentee)
    response = client.post(
        section.get_absolute_url(), {"body": "To be useful.", "version": 0}, follow=True
    )
    assert "Saved at" in response.text
    section.refresh_from_db()
    assert (section.body, section.version, section.status) == ("To be useful.", 1, "drafting")


def test_autosave_answers_with_the_new_version_and_time(client, cast):
    section = first_section(cast.mentee_membership)
    client.force_login(cast.mentee)
    response = client.post(
        url("section_autosave", cast.programme, section.pk), {"body": "Draft", "version": 0}
    )
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert re.fullmatch(r"\d\d:\d\d", response.json()["saved_label"])


def test_a_stale_form_save_shows_both_texts_and_overwrites_nothing(client, cast):
    section = first_section(cast.mentee_membership)
    write(cast, "Saved in the other tab.")
    client.force_login(cast.mentee)
    response = client.post(section.get_absolute_url(), {"body": "Typed in this tab.", "version": 0})
    assert response.status_code == 409
    assert "Saved in the other tab." in response.text
    assert "Typed in this tab." in response.text
    assert 'name="version" value="1"' in response.text
    # Saving over the newer text is a choice made by hand: nothing saves by itself till then.
    assert "data-autosave-url" not in response.text
    section.refresh_from_db()
    assert section.body == "Saved in the other tab."


def test_a_stale_autosave_is_refused_with_the_saved_text(client, cast):
    section = first_section(cast.mentee_membership)
    write(cast, "Saved elsewhere.")
    client.force_login(cast.mentee)
    response = client.post(
        url("section_autosave", cast.programme, section.pk), {"body": "Mine", "version": 0}
    )
    assert response.status_code == 409
    assert response.json()["body"] == "Saved elsewhere."
    assert response.json()["version"] == 1


def test_revisions_are_listed_and_an_earlier_one_is_restored(client, cast):
    section = write(cast, "First thoughts.")
    section.revisions.update(started_at=section.updated_at.replace(year=2020))
    section = write(cast, "Second thoughts.", section=section)
    assert section.revisions.count() == 2
    first = section.revisions.get(body="First thoughts.")
    client.force_login(cast.mentee)
    listing = client.get(url("section_revisions", cast.programme, section.pk))
    assert listing.text.count("<tr>") == 3
    shown = client.get(url("section_revision", cast.programme, section.pk, first.pk))
    assert "First thoughts." in shown.text and "Restore this text" in shown.text
    client.post(
        url("section_restore", cast.programme, section.pk, first.pk), {"version": section.version}
    )
    section.refresh_from_db()
    assert section.body == "First thoughts."
    assert section.revisions.filter(body="Second thoughts.").exists()


def test_a_mentor_may_read_revisions_but_not_restore_them(client, cast):
    section = write(cast, "Text.")
    revision = section.revisions.get()
    client.force_login(cast.mentor)
    shown = client.get(url("section_revision", cast.programme, section.pk, revision.pk))
    assert shown.status_code == 200 and "Restore this text" not in shown.text
    restore = url("section_restore", cast.programme, section.pk, revision.pk)
    assert client.post(restore, {"version": section.version}).status_code == 403


# --- Review and comments -------------------------------------------------------------------


def test_ready_for_review_tells_the_mentor_through_their_notifications(client, cast, sent):
    section = write(cast)
    client.force_login(cast.mentee)
    with sent():
        client.post(url("section_submit", cast.programme, section.pk))
    section.refresh_from_db()
    assert section.status == SectionStatus.READY
    told = Notification.objects.get(recipient=cast.mentor, kind=NotificationKind.SECTION_READY)
    assert "ready for review" in told.title and section.template_section.title in told.title
    assert told.link == section.get_absolute_url()
    assert told.email_status == EmailStatus.PENDING  # the worker emails it, as any other
    assert "My purpose." not in told.title + told.body  # the title, never the text
    # Taken back from review: the question asks nothing more of the mentor.
    client.post(url("section_reopen", cast.programme, section.pk))
    told.refresh_from_db()
    assert told.read_at is not None and told.email_status == EmailStatus.NONE
    # Marked ready again after changes is news again, until the mentor reviews it.
    client.post(url("section_submit", cast.programme, section.pk))
    news = Notification.objects.filter(recipient=cast.mentor, kind="section_ready")
    assert news.count() == 2
    assert news.filter(read_at__isnull=True).count() == 1
    client.force_login(cast.mentor)
    client.post(url("section_complete", cast.programme, section.pk))
    assert not news.filter(read_at__isnull=True).exists()


def test_a_mentor_who_muted_sections_ready_is_not_told(client, cast):
    from programmes.services.notification import update_settings

    update_settings(
        by=cast.mentor, delivery="both", quiet_from=None, quiet_until=None,
        muted_kinds=[NotificationKind.SECTION_READY],
    )  # fmt: skip
    section = write(cast)
    client.force_login(cast.mentee)
    client.post(url("section_submit", cast.programme, section.pk))
    assert not Notification.objects.filter(recipient=cast.mentor, kind="section_ready").exists()


def reviewed(user) -> Notification:
    """The one notification telling `user` a section was reviewed (emailed by the worker)."""
    return Notification.objects.get(recipient=user, kind=NotificationKind.SECTION_REVIEWED)


def test_the_mentor_marks_a_section_complete_and_the_mentee_is_told(client, cast, sent):
    section = write(cast)
    client.force_login(cast.mentor)
    with sent():
        client.post(url("section_complete", cast.programme, section.pk))
    section.refresh_from_db()
    assert section.status == SectionStatus.COMPLETE
    told = reviewed(cast.mentee)
    assert "complete" in told.title and section.template_section.title in told.title
    assert told.link == section.get_absolute_url()
    assert told.email_status == EmailStatus.PENDING
    # The notification's email carries it; nothing is emailed a second time directly.
    assert not any(m.to == ["mentee@example.org"] for m in mail.outbox)


def test_the_mentor_sends_a_section_back_with_a_comment(client, cast, sent):
    section = write(cast)
    submit_section_for_review(section=section, by=cast.mentee)
    client.force_login(cast.mentor)
    response = client.post(url("section_send_back", cast.programme, section.pk), {"comment": ""})
    assert response.status_code == 400
    with sent():
        client.post(url("section_send_back", cast.programme, section.pk), {"comment": "Be bolder."})
    section.refresh_from_db()
    assert section.status == SectionStatus.DRAFTING
    assert section.comments.get().kind == SectionComment.Kind.SENT_BACK
    told = reviewed(cast.mentee)
    assert "sent" in told.title and told.link == section.get_absolute_url()
    # The comment is read on the section, never carried in a notification or its email.
    assert "Be bolder." not in told.title + told.body
    assert not any(m.to == ["mentee@example.org"] for m in mail.outbox)
    client.force_login(cast.mentee)
    assert "Be bolder." in client.get(told.link).text


@pytest.mark.parametrize("who", ["mentee", "lead", "other_mentor"])
def test_only_the_mentor_reviews(client, cast, who):
    section = write(cast)
    client.force_login(cast.people()[who])
    expected = 404 if who == "other_mentor" else 403
    assert client.post(url("section_complete", cast.programme, section.pk)).status_code == expected
    send_back = url("section_send_back", cast.programme, section.pk)
    assert client.post(send_back, {"comment": "No"}).status_code == expected
    section.refresh_from_db()
    assert section.status == SectionStatus.DRAFTING


def test_a_complete_section_is_locked_until_the_mentee_reopens_it(client, cast):
    section = write(cast)
    client.force_login(cast.mentor)
    client.post(url("section_complete", cast.programme, section.pk))
    client.force_login(cast.mentee)
    page = client.get(section.get_absolute_url())
    assert "data-playbook-editor" not in page.text and "Reopen to change it" in page.text
    client.post(section.get_absolute_url(), {"body": "Changed", "version": 1})
    section.refresh_from_db()
    assert section.body == "My purpose."
    client.post(url("section_reopen", cast.programme, section.pk))
    section.refresh_from_db()
    assert section.status == SectionStatus.DRAFTING


def test_completing_the_named_sections_moves_the_mentee_out_of_the_playbook_phase(client, cast):
    membership = cast.mentee_membership
    playbook_phase = Phase.objects.get(
        programme=cast.programme, exit_criterion=ExitCriterion.PLAYBOOK_SECTIONS
    )
    playbook_phase.exit_sections = ["Purpose and vision"]
    playbook_phase.save()
    while membership.current_phase != playbook_phase:
        membership = advance_phase(membership=membership, by=cast.lead)
    section = write(cast)
    client.force_login(cast.mentor)
    client.post(url("section_complete", cast.programme, section.pk))
    membership.refresh_from_db()
    assert membership.current_phase.position == playbook_phase.position + 1


def test_a_comment_thread_runs_both_ways_and_tells_the_other_side(client, cast, sent):
    section = first_section(cast.mentee_membership)
    client.force_login(cast.mentee)
    with sent():
        client.post(url("section_comment", cast.programme, section.pk), {"body": "Is it bold?"})
    thread = section.comments.get()
    to_mentor = Notification.objects.get(recipient=cast.mentor, kind="section_comment")
    assert to_mentor.link == f"{section.get_absolute_url()}#comments"
    assert "commented on" in to_mentor.title
    client.force_login(cast.mentor)
    with sent():
        client.post(
            url("section_comment", cast.programme, section.pk),
            {"body": "Bolder still.", "parent": thread.pk},
        )
    reply = section.comments.get(parent=thread)
    assert reply.author == cast.mentor
    to_mentee = Notification.objects.get(recipient=cast.mentee, kind="section_comment")
    assert "replied on" in to_mentee.title
    # What was said is read on the section, never carried in a notification or its email.
    assert "Bolder still." not in to_mentee.title + to_mentee.body
    assert not mail.outbox
    page = client.get(section.get_absolute_url())
    assert page.text.index("Is it bold?") < page.text.index("Bolder still.")


def test_a_lead_reads_but_cannot_comment(client, cast):
    section = first_section(cast.mentee_membership)
    client.force_login(cast.lead)
    response = client.post(url("section_comment", cast.programme, section.pk), {"body": "Hi"})
    assert response.status_code == 403
    assert not section.comments.exists()


# --- The whole playbook --------------------------------------------------------------------


def test_the_playbook_page_shows_progress_by_section(client, cast):
    write(cast)
    client.force_login(cast.mentee)
    response = client.get(url("playbook", cast.programme))
    assert f"0 of {len(DEFAULT_SECTIONS)} sections complete" in response.text
    assert "1 drafting" in response.text


def test_the_mentor_finds_the_sections_waiting_for_review_at_the_top(client, cast):
    """Where the mentor's "sections wait for your review" nudge lands (#review)."""
    section = write(cast)
    submit_section_for_review(section=section, by=cast.mentee)
    page = url("member_playbook", cast.programme, cast.mentee_membership.pk)
    client.force_login(cast.mentor)
    text = client.get(page).text
    assert 'id="review"' in text
    assert "Waiting for your review" in text
    assert f'href="{section.get_absolute_url()}">Review “{section.title}”' in text
    # Nobody else is asked to review it: not the mentee, not a lead.
    for who in (cast.mentee, cast.lead):
        client.force_login(who)
        assert "Waiting for your review" not in client.get(page).text


def test_nothing_waits_for_review_while_no_section_is_ready(client, cast):
    write(cast)
    client.force_login(cast.mentor)
    page = url("member_playbook", cast.programme, cast.mentee_membership.pk)
    assert "Waiting for your review" not in client.get(page).text


def test_the_download_is_the_whole_playbook_in_markdown(client, cast):
    write(cast, "To be **useful**.")
    client.force_login(cast.mentor)
    response = client.get(url("playbook_download", cast.programme, cast.mentee_membership.pk))
    assert response["Content-Type"].startswith("text/markdown")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert "## Purpose and vision" in text and "To be **useful**." in text
    assert "## Measures of success" in text


def test_the_print_page_has_every_section_without_the_programme_tabs(client, cast):
    write(cast, "Printed purpose.")
    client.force_login(cast.mentee)
    response = client.get(url("playbook_print", cast.programme, cast.mentee_membership.pk))
    assert "Printed purpose." in response.text
    assert 'class="playbook-print"' in response.text
    assert all(b.title in response.text.replace("&#x27;", "'") for b in DEFAULT_SECTIONS)


def _playbook_of_size(n):
    lead = make_user()
    programme = create_programme(name=f"Sized {n}", by=lead, from_template=False)
    for i in range(n):
        add_template_section(programme=programme, by=lead, title=f"Section {i}")
    mentor = make_mentor(programme)
    mentee = make_mentee(programme, mentor=mentor)
    for section in Section.objects.filter(playbook__membership=mentee)[:3]:
        save_section(section=section, by=mentee.user, body="Some text", version=0)
    return programme, mentee


@pytest.mark.parametrize("page", ["playbook", "member_playbook", "playbook_print"])
def test_the_playbook_pages_run_the_same_queries_with_5_and_50_sections(client, page):
    counts = []
    for n in (5, 50):
        programme, mentee = _playbook_of_size(n)
        client.force_login(mentee.user)
        args = [] if page == "playbook" else [mentee.pk]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(page, programme, *args))
        assert response.status_code == 200
        assert response.text.count("Section 4") >= 1
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_playbook_list_runs_the_same_queries_with_few_and_many_mentees(client):
    counts = []
    for n in (2, 12):
        lead = make_user()
        programme = create_programme(name=f"Cohort {n}", by=lead)
        for _ in range(n):
            make_mentee(programme)
        client.force_login(lead)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("playbook", programme)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- The lead's template -------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [("lead", 200), ("mentor", 403), ("mentee", 403), ("other_lead", 404), ("other_mentee", 403)],
)
def test_only_a_lead_opens_the_template_editor(client, cast, who, status):
    client.force_login(cast.people()[who])
    assert client.get(url("template", cast.programme)).status_code == status


def test_the_template_tab_shows_for_a_lead(client, cast):
    client.force_login(cast.lead)
    response = client.get(url("template", cast.programme))
    assert 'aria-current="page">Playbook template<' in response.text


def test_a_lead_adds_a_section_and_every_playbook_gains_it_empty(client, cast):
    client.force_login(cast.lead)
    response = client.post(
        url("template_add", cast.programme), {"title": "Video", "guidance": "Why video."}
    )
    assert response.status_code == 302
    item = TemplateSection.objects.get(programme=cast.programme, title="Video")
    assert Section.objects.filter(template_section=item, body="").count() == 2


def test_a_duplicate_title_is_refused(client, cast):
    client.force_login(cast.lead)
    response = client.post(url("template_add", cast.programme), {"title": "Audiences"})
    assert response.status_code == 400
    assert "already a section called" in response.text


def test_renaming_a_section_renames_it_everywhere_and_keeps_every_word(client, cast):
    section = write(cast, "Every word.")
    item = section.template_section
    Phase.objects.filter(programme=cast.programme).update(exit_sections=[item.title])
    client.force_login(cast.lead)
    client.post(
        url("template_edit", cast.programme, item.pk),
        {"title": "Why I show up", "guidance": "New guidance", "prompts": "", "example": ""},
    )
    section.refresh_from_db()
    assert (section.title, section.body) == ("Why I show up", "Every word.")
    assert section.template_section.guidance == "New guidance"
    assert Phase.objects.filter(programme=cast.programme)[0].exit_sections == ["Why I show up"]


def test_removing_a_section_keeps_written_text_visible_as_removed(client, cast):
    section = write(cast, "Keep me.")
    other = first_section(
        Playbook.objects.exclude(membership=cast.mentee_membership)
        .get(membership__programme=cast.programme)
        .membership
    )
    client.force_login(cast.lead)
    client.post(url("template_remove", cast.programme, section.template_section_id))
    section.refresh_from_db()
    assert section.body == "Keep me." and section.is_removed
    client.force_login(cast.mentee)
    page = client.get(url("playbook", cast.programme))
    assert "Removed from the template" in page.text and "Keep me." in page.text
    client.force_login(cast.other_mentee)
    page = client.get(url("playbook", cast.programme))
    assert other.title not in page.text.replace("&#x27;", "'")


def test_a_lead_moves_a_section_down(client, cast):
    first = TemplateSection.objects.filter(programme=cast.programme).order_by("position")[0]
    client.force_login(cast.lead)
    client.post(url("template_move", cast.programme, first.pk), {"direction": "down"})
    first.refresh_from_db()
    assert first.position == 2


def test_a_duplicated_programme_copies_the_template(cast):
    from programmes.services.programme import duplicate_programme

    add_template_section(programme=cast.programme, by=cast.lead, title="Extra")
    copy = duplicate_programme(source=cast.programme, by=cast.lead, name="Next cohort")
    titles = list(TemplateSection.objects.filter(programme=copy).values_list("title", flat=True))
    assert titles[-1] == "Extra" and len(titles) == len(DEFAULT_SECTIONS) + 1


def test_a_blank_programme_starts_with_an_empty_template(db):
    programme = create_programme(name="Blank", by=make_user(), from_template=False)
    assert not TemplateSection.objects.filter(programme=programme).exists()

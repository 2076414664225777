"""Each playbook keeps where its sections stand (the pace sweep reads that row rather than the
sections): after every change a service makes to the sections or to the template, the
summary is what the sections themselves say."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from mentoring.selectors.pace import gather
from playbooks.models import Playbook, Section, SectionStatus, TemplateSection
from playbooks.services.playbook import (
    add_template_section,
    complete_section,
    move_template_section,
    remove_template_section,
    reopen_section,
    restore_revision,
    save_section,
    send_section_back,
    submit_section_for_review,
    summarise,
)

pytestmark = pytest.mark.django_db

OPEN = {SectionStatus.NOT_STARTED, SectionStatus.DRAFTING}


def from_the_sections(playbook: Playbook) -> tuple:
    """The summary worked out in Python from the sections, the slow and obvious way."""
    sections = list(Section.objects.filter(playbook=playbook).select_related("template_section"))
    saved = [s.updated_at for s in sections if s.updated_at is not None]
    ready = [s for s in sections if s.status == SectionStatus.READY]
    waiting = [s.status_changed_at for s in ready if s.status_changed_at is not None]
    following = sorted(
        (s for s in sections if s.status in OPEN and s.template_section.archived_at is None),
        key=lambda s: (s.template_section.position, s.pk),
    )
    return (
        max(saved, default=None),
        len(ready),
        min(waiting, default=None),
        following[0].template_section_id if following else None,
    )


def kept(playbook: Playbook) -> tuple:
    playbook.refresh_from_db()
    return (
        playbook.written_at,
        playbook.sections_ready,
        playbook.ready_since,
        playbook.next_section_id,
    )


def sections(cast) -> list[Section]:
    return list(
        Section.objects.filter(playbook__membership=cast.mentee_membership).order_by(
            "template_section__position"
        )
    )


def fresh(section: Section) -> Section:
    section.refresh_from_db()
    return section


def test_every_change_to_sections_or_template_keeps_the_summary_true(cast):
    playbook = Playbook.objects.get(membership=cast.mentee_membership)
    first, second, third = sections(cast)[:3]
    assert (
        kept(playbook) == from_the_sections(playbook) == (None, 0, None, first.template_section_id)
    )

    steps = [
        ("first saved", lambda: save_section(section=first, by=cast.mentee, body="A", version=0)),
        ("second saved", lambda: save_section(section=second, by=cast.mentee, body="B", version=0)),
        ("first ready", lambda: submit_section_for_review(section=fresh(first), by=cast.mentee)),
        ("second ready", lambda: submit_section_for_review(section=fresh(second), by=cast.mentee)),
        ("first complete", lambda: complete_section(section=first, by=cast.mentor)),
        (
            "second sent back",
            lambda: send_section_back(section=second, by=cast.mentor, comment="More, please."),
        ),
        ("first reopened", lambda: reopen_section(section=first, by=cast.mentee)),
        (
            "an earlier text restored",
            lambda: restore_revision(
                revision=second.revisions.order_by("pk").first(), by=cast.mentee, version=1
            ),
        ),
        (
            "third moved up",
            lambda: move_template_section(item=third.template_section, by=cast.lead, up=True),
        ),
        (
            "first removed",
            lambda: remove_template_section(item=first.template_section, by=cast.lead),
        ),
        (
            "a section added",
            lambda: add_template_section(programme=cast.programme, by=cast.lead, title="Extra"),
        ),
    ]
    for label, step in steps:
        step()
        assert kept(playbook) == from_the_sections(playbook), label
    # The steps moved each part at least once: the comparisons above were not all of empties.
    assert kept(playbook)[0] is not None


def test_a_section_waiting_for_review_is_counted_and_dated_and_the_next_one_moves_on(cast):
    playbook = Playbook.objects.get(membership=cast.mentee_membership)
    first, second = sections(cast)[:2]
    first = save_section(section=first, by=cast.mentee, body="Ready to read", version=0)
    submit_section_for_review(section=first, by=cast.mentee)
    first.refresh_from_db()
    written_at, ready, since, following = kept(playbook)
    assert (ready, since, following) == (1, first.status_changed_at, second.template_section_id)
    assert written_at == first.updated_at


def test_a_template_emptied_of_open_sections_has_no_next_one(cast):
    playbook = Playbook.objects.get(membership=cast.mentee_membership)
    for item in TemplateSection.objects.filter(programme=cast.programme):
        remove_template_section(item=item, by=cast.lead)
    assert kept(playbook)[3] is None


def test_summarise_updates_many_playbooks_in_one_statement(cast, django_assert_num_queries):
    Section.objects.filter(playbook__membership__programme=cast.programme).update(
        status=SectionStatus.READY, status_changed_at=timezone.now() - timedelta(days=2)
    )
    everyone = Playbook.objects.filter(membership__programme=cast.programme)
    count = everyone.count()
    with django_assert_num_queries(1):
        assert summarise(everyone) == count >= 2
    for playbook in everyone:
        assert kept(playbook) == from_the_sections(playbook)


def test_the_sweep_reads_the_summary(cast):
    first = sections(cast)[0]
    first = save_section(section=first, by=cast.mentee, body="Draft", version=0)
    submit_section_for_review(section=first, by=cast.mentee)
    (subject,) = gather([cast.mentee_membership.pk], now=timezone.now())
    facts = subject.facts
    assert facts.sections_waiting_review == 1
    assert facts.review_waiting_since == timezone.localdate()
    assert facts.last_section_on == timezone.localdate()
    assert facts.next_section == sections(cast)[1].template_section.title


@pytest.mark.django_db(transaction=True)
def test_two_changes_to_one_playbook_at_once_both_reach_its_summary(cast):
    """The mentee saves one section while another change to the same playbook is still
    being committed: the summary written last has seen both."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    playbook = Playbook.objects.get(membership=cast.mentee_membership)
    first, second = sections(cast)[:2]
    first = save_section(section=first, by=cast.mentee, body="Ready to read", version=0)
    started = threading.Event()
    errors: list[BaseException] = []

    def save_the_second() -> None:
        try:
            started.wait(timeout=10)
            save_section(section=second, by=cast.mentee, body="Meanwhile", version=0)
        except BaseException as exc:  # reported below, on the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    other = threading.Thread(target=save_the_second)
    other.start()
    with transaction.atomic():
        submit_section_for_review(section=first, by=cast.mentee)
        started.set()
        # Commit only once the other save waits for this one.
        with connection.cursor() as cursor:
            for _ in range(200):
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the second save never waited for the first")
    other.join(timeout=30)
    assert errors == []
    assert kept(playbook) == from_the_sections(playbook)
    assert kept(playbook)[1] == 1  # the section marked ready, committed first, is counted

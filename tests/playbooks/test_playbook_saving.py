"""No lost work: stale saves conflict and never overwrite, whatever order saves arrive in."""

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbooks.models import Section
from playbooks.services.playbook import PlaybookError, StaleSection, save_section
from tests.factories import make_mentee, make_programme, make_user

pytestmark = pytest.mark.django_db


def a_section(cast) -> Section:
    section = Section.objects.filter(playbook__membership=cast.mentee_membership).first()
    assert section is not None
    return section


def test_a_save_on_the_current_version_is_kept_and_bumps_the_version(cast):
    saved = save_section(section=a_section(cast), by=cast.mentee, body="One", version=0)
    assert (saved.body, saved.version) == ("One", 1)
    assert saved.revisions.get().body == "One"


def test_a_stale_save_raises_with_both_texts_and_changes_nothing(cast):
    section = a_section(cast)
    save_section(section=section, by=cast.mentee, body="From tab A", version=0)
    with pytest.raises(StaleSection) as raised:
        save_section(section=section, by=cast.mentee, body="From tab B", version=0)
    assert raised.value.section.body == "From tab A"
    assert raised.value.sent == "From tab B"
    section.refresh_from_db()
    assert (section.body, section.version) == ("From tab A", 1)


def test_saving_over_the_newer_version_on_purpose_keeps_the_older_text_in_history(cast):
    section = a_section(cast)
    save_section(section=section, by=cast.mentee, body="A", version=0, editor="tab-one")
    # The second tab hit a conflict, took the newer version and kept its own text.
    save_section(section=section, by=cast.mentee, body="B", version=1, editor="tab-two")
    assert list(section.revisions.order_by("pk").values_list("body", flat=True)) == ["A", "B"]


def test_saves_from_one_editor_in_one_sitting_make_one_revision(cast):
    section = a_section(cast)
    save_section(section=section, by=cast.mentee, body="A", version=0, editor="tab-one")
    save_section(section=section, by=cast.mentee, body="AB", version=1, editor="tab-one")
    assert list(section.revisions.values_list("body", flat=True)) == ["AB"]


def test_the_service_refuses_anyone_but_the_mentee(cast):
    for person in [cast.mentor, cast.lead, cast.other_mentee]:
        with pytest.raises(PermissionDenied):
            save_section(section=a_section(cast), by=person, body="x", version=0)


def test_a_complete_section_cannot_be_saved_over(cast):
    section = a_section(cast)
    Section.objects.filter(pk=section.pk).update(status="complete")
    with pytest.raises(PlaybookError):
        save_section(section=section, by=cast.mentee, body="x", version=0)


# One writer, several tabs: each step is (tab, text). A tab either saves on the version it
# last saw, or, after a conflict, reloads (sees the saved text and version).
steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),
        # Browsers never send NUL (and the form refuses it): a separate test covers it.
        st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=20),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_interleaved_saves_from_several_tabs_never_lose_text(django_db_blocker, steps):
    with django_db_blocker.unblock():
        programme = make_programme(make_user())
        mentee = make_mentee(programme)
        section = Section.objects.filter(playbook__membership=mentee).first()
        seen = {tab: 0 for tab in range(3)}
        accepted: list[str] = []
        for tab, text, reload_after_conflict in steps:
            try:
                saved = save_section(section=section, by=mentee.user, body=text, version=seen[tab])
            except StaleSection as stale:
                # Refused: nothing written, and the person is shown both texts.
                assert stale.sent == text.replace("\r\n", "\n")
                assert stale.section.body == (accepted[-1] if accepted else "")
                if reload_after_conflict:
                    seen[tab] = stale.section.version
                continue
            if saved.version > seen[tab]:
                accepted.append(saved.body)
            seen[tab] = saved.version
        section.refresh_from_db()
        # The stored text is the last accepted save, and every accepted save was made on the
        # version it had seen: no save ever replaced text its writer had not seen.
        assert section.body == (accepted[-1] if accepted else "")
        assert section.version == len(accepted)
        latest = section.revisions.order_by("-saved_at", "-pk").first()
        assert (latest.body if latest else "") == section.body


def test_a_mentor_cannot_approve_a_text_changed_since_they_read_it(cast):
    from playbooks.services.playbook import complete_section

    section = a_section(cast)
    save_section(section=section, by=cast.mentee, body="First draft", version=0)
    save_section(section=section, by=cast.mentee, body="Second draft", version=1)
    with pytest.raises(PlaybookError, match="changed since you opened it"):
        complete_section(section=section, by=cast.mentor, version=1)
    section.refresh_from_db()
    assert section.status != "complete"
    complete_section(section=section, by=cast.mentor, version=2)
    section.refresh_from_db()
    assert section.status == "complete"


def test_a_nul_character_is_dropped_rather_than_breaking_the_save(cast):
    section = a_section(cast)
    saved = save_section(section=section, by=cast.mentee, body="A\x00B", version=0)
    assert saved.body == "AB"

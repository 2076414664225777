"""Download my data: everything the product holds about a person, as JSON and their
playbook in Markdown, and nothing that is another person's private thing."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Guideline, MentoringSession
from mentoring.selectors.account_data import data_archive, person_data
from mentoring.services.engagement import save_preferences
from mentoring.services.pairing import request_mentor_change
from mentoring.services.session import reflect_on_session, save_session, start_session
from playbooks.models import Activity, Section
from playbooks.services.activity import log_completion
from playbooks.services.integration import map_theme
from playbooks.services.playbook import comment_on_section, save_section
from programmes.models import Pairing
from programmes.services.assessment import save_assessment
from programmes.services.progress import advance_phase
from programmes.services.workshop import book_place
from tests.programmes.test_workshop_pages import make_workshop

# What each person wrote, so a test can say whose words reach whom.
MIA = {
    "playbook": "MIA-PLAYBOOK-TEXT",
    "completion": "MIA-COMPLETION-NOTE",
    "reflection": "MIA-PRIVATE-REFLECTION",
    "request": "MIA-WANTS-ANOTHER-MENTOR",
    "theme": "MIA-THEME",
    "answer": "MIA-ASSESSMENT-ANSWER",
}
MO = {"notes": "MO-NOTES-FOR-MIA", "comment": "MO-COMMENT-ON-MIA", "check": "MO-SELF-CHECK"}
OTHERS = {
    "otto_playbook": "OTTO-PLAYBOOK-TEXT",
    "otto_reflection": "OTTO-REFLECTION",
    "otto_completion": "OTTO-COMPLETION-NOTE",
    "olu_notes": "OLU-NOTES-FOR-OTTO",
}


def _log(pairing: Pairing, by, *, topics: str, checks=None) -> MentoringSession:
    draft = start_session(pairing=pairing, by=by, at=timezone.now() - timedelta(days=1))
    return save_session(
        session=draft,
        by=by,
        version=draft.version,
        fields={"topics": topics, "resonated": f"{topics} resonated"},
        actions=[{"text": f"{topics} action", "due_on": timezone.localdate() + timedelta(days=7)}],
        checks=checks,
        log=True,
    )


def _into_playbook_phase(cast, membership) -> None:
    for _ in range(2):  # Research, Workshops: activities open in the Playbook phase
        advance_phase(membership=membership, by=cast.lead)
    membership.refresh_from_db()


def _section_of(membership) -> Section:
    return Section.objects.filter(playbook__membership=membership).order_by("pk")[0]


def build_world(cast) -> dict:
    """Mia (the mentee) and Mo (her mentor) with one of everything; Otto (another mentee)
    and Olu (his mentor) with private things of their own."""
    mia, otto = cast.mentee_membership, cast.programme.memberships.get(user=cast.other_mentee)
    _into_playbook_phase(cast, mia)
    _into_playbook_phase(cast, otto)
    section = save_section(
        section=_section_of(mia), by=cast.mentee, body=MIA["playbook"], version=0
    )
    comment_on_section(section=section, by=cast.mentor, body=MO["comment"])
    activity = Activity.objects.open_to(mia).filter(programme=cast.programme)[0]
    log_completion(membership=mia, activity=activity, by=cast.mentee, note=MIA["completion"])
    guideline = Guideline.objects.filter(programme=cast.programme)[0]
    session = _log(
        Pairing.objects.active().get(mentee=mia),
        cast.mentor,
        topics=MO["notes"],
        checks={guideline.pk: ("partly", MO["check"])},
    )
    reflect_on_session(
        session=session, by=cast.mentee, body=MIA["reflection"], rating=4, frequency="right"
    )
    save_preferences(membership=mia, by=cast.mentee, channels=["video"], cadence="weekly")
    request_mentor_change(mentee=mia, by=cast.mentee, reason=MIA["request"])
    map_theme(membership=mia, by=cast.mentee, theme=MIA["theme"], pillar=None)
    question = cast.programme.assessment_questions.filter(kind="text").order_by("position")[0]
    save_assessment(
        membership=mia, kind="baseline", version=0, answers={question.pk: MIA["answer"]},
        by=cast.mentee,
    )  # fmt: skip
    workshop = make_workshop(cast.programme, cast.lead, starts_in=timedelta(days=5))
    book_place(workshop=workshop, by=cast.mentee)
    # Otto's and Olu's own things, which Mia, Mo and the lead must never get.
    save_section(
        section=_section_of(otto), by=cast.other_mentee, body=OTHERS["otto_playbook"], version=0
    )
    other = Activity.objects.open_to(otto).filter(programme=cast.programme)[0]
    log_completion(
        membership=otto, activity=other, by=cast.other_mentee, note=OTHERS["otto_completion"]
    )
    otto_session = _log(
        Pairing.objects.active().get(mentee=otto), cast.other_mentor, topics=OTHERS["olu_notes"]
    )
    reflect_on_session(session=otto_session, by=cast.other_mentee, body=OTHERS["otto_reflection"])
    return {"session": session, "workshop": workshop, "section": section}


def _json(user) -> str:
    return json.dumps(person_data(user).data, default=str)


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


# --- Who reaches the pages ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in_for_the_data_page_and_download(client):
    for name in ("mentoring:account_data", "mentoring:account_data_download"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_the_data_page_says_what_the_download_holds(client, cast):
    client.force_login(cast.mentee)
    page = client.get(reverse("mentoring:account_data")).content.decode()
    for words in ("data.json", "playbook-", "session logs your mentor wrote", "reflections"):
        assert words in page
    assert reverse("mentoring:account_data_download") in page
    assert reverse("mentoring:account_delete") in page


@pytest.mark.django_db
def test_the_download_is_a_zip_of_data_json_and_the_playbook_in_markdown(client, cast):
    build_world(cast)
    client.force_login(cast.mentee)
    response = client.get(reverse("mentoring:account_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    archive = _zip(response)
    playbook = f"playbook-{cast.programme.slug}.md"
    assert set(archive.namelist()) == {"README.txt", "data.json", playbook}
    markdown = archive.read(playbook).decode()
    assert markdown.startswith("# Mia Mentee: playbook")
    assert MIA["playbook"] in markdown
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "mentee@example.org"
    assert playbook in archive.read("README.txt").decode()


# --- What a mentee gets -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_mentee_gets_everything_of_theirs_and_the_logs_their_mentor_wrote_for_them(cast):
    build_world(cast)
    data = person_data(cast.mentee).data
    [mine] = data["programmes"]
    assert mine["role"] == "Partner" and mine["still_in_it"] is True
    assert mine["current_phase"] == "Playbook"
    assert [m["kind"] for m in mine["phase_moves"]] == ["Joined", "Moved on", "Moved on"]
    assert mine["pairings"][0]["mentor"] == "Mo Mentor"
    [session] = mine["sessions"]
    assert session["topics"] == MO["notes"]  # PRODUCT.md: the mentee reads the record
    assert session["agreed_actions"][0]["text"] == f"{MO['notes']} action"
    assert session["your_reflection"] == {"text": MIA["reflection"], "shared_with_mentor": False}
    assert session["feedback"]["rating"] == 4
    assert "your_guideline_checks" not in session  # the mentor's own self-check
    section = next(s for s in mine["playbook"]["sections"] if s["text"])
    assert section["text"] == MIA["playbook"]
    assert section["revisions"][0]["text"] == MIA["playbook"]
    assert section["comments"][0] == {
        "by": "Mo Mentor", "kind": "Comment", "text": MO["comment"],
        "at": section["comments"][0]["at"], "reply": False,
    }  # fmt: skip
    assert mine["activity_completions"][0]["note"] == MIA["completion"]
    assert mine["assessments"][0]["answers"][0]["text"] == MIA["answer"]
    assert mine["engagement_preferences"][0]["cadence"] == "Weekly"
    assert mine["requests_for_another_mentor"][0]["reason"] == MIA["request"]
    assert mine["themes_mapped_to_the_business_strategy"][0]["theme"] == MIA["theme"]
    assert mine["workshops"][0]["workshop"] == "LinkedIn for beginners"
    assert data["notifications"], "the notifications they received"
    assert {e["email"] for e in data["sign_in"]["email_addresses"]} == {"mentee@example.org"}


@pytest.mark.django_db
def test_nobody_gets_another_persons_private_things(cast):
    build_world(cast)
    for person in (cast.mentee, cast.mentor, cast.lead, cast.other_lead):
        text = _json(person)
        for marker in OTHERS.values():
            assert marker not in text, f"{marker} reached {person}"
    lead = _json(cast.lead)
    for marker in (*MIA.values(), *MO.values()):
        assert marker not in lead, f"{marker} reached the lead"
    mentor = _json(cast.mentor)
    for marker in (MIA["reflection"], MIA["playbook"], MIA["completion"], MIA["answer"]):
        assert marker not in mentor, f"Mia's {marker} reached her mentor's download"
    assert MO["check"] not in _json(cast.mentee)


@pytest.mark.django_db
def test_no_secret_is_written_out(cast):
    user = cast.mentee
    text = json.dumps(person_data(user).data, default=str) + data_archive(user).decode("latin-1")
    assert user.password not in text
    assert "pbkdf2" not in text and "argon2" not in text


# --- What a mentor gets -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_mentor_gets_their_partners_sessions_now_and_only_dates_for_past_partners(cast):
    from mentoring.services.pairing import end_pairing

    build_world(cast)
    [now] = person_data(cast.mentor).data["programmes"]
    [session] = now["sessions_with_partners_now"]
    assert session["topics"] == MO["notes"]
    assert session["your_guideline_checks"][0]["note"] == MO["check"]
    assert "your_reflection" not in session
    assert now["your_comments_on_partners_playbooks"][0]["text"] == MO["comment"]
    assert now["your_offer"]["partners_at_most"] == 500

    end_pairing(
        pairing=Pairing.objects.get(mentee=cast.mentee_membership), by=cast.lead, reason="x"
    )
    [later] = person_data(cast.mentor).data["programmes"]
    assert later["sessions_with_partners_now"] == []
    assert later["partners_now"] == []
    assert later["past_partners"][0]["sessions_logged"] == 1
    assert later["your_comments_on_partners_playbooks"] == []
    assert MO["notes"] not in _json(cast.mentor)


# --- Cost ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_download_runs_the_same_queries_however_much_a_person_holds(cast):
    build_world(cast)
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    with CaptureQueriesContext(connection) as small:
        data_archive(cast.mentee)
    for _ in range(3):
        session = _log(pairing, cast.mentor, topics="more")
        reflect_on_session(session=session, by=cast.mentee, body="again", rating=5)
    mia = cast.mentee_membership
    for activity in Activity.objects.open_to(mia).filter(programme=cast.programme)[1:3]:
        log_completion(membership=mia, activity=activity, by=cast.mentee, note="more")
    later = Section.objects.filter(playbook__membership=mia).order_by("pk")[1]
    save_section(section=later, by=cast.mentee, body="More text", version=0)
    comment_on_section(section=later, by=cast.mentor, body="More comments")
    with CaptureQueriesContext(connection) as large:
        data_archive(cast.mentee)
    assert len(large) == len(small)

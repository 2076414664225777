"""Delete my account: after signing in again, what is theirs is gone, what others recorded
stays showing "a former member", and the programme's figures still add up."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    MentoringSession,
    OutboundEmail,
    Reflection,
    SessionFeedback,
    User,
)
from mentoring.selectors.session import session_figures
from mentoring.services.account import FORMER_MEMBER, delete_account
from mentoring.services.calendar import issue_feed
from programmes.errors import NotAllowed
from programmes.models import (
    AuditEntry,
    Membership,
    Notification,
    Pairing,
    PhaseTransition,
    Role,
    WorkshopSeat,
)
from programmes.selectors.programme import lead_overview
from programmes.services.progress import enrol
from tests.factories import make_programme, make_user
from tests.mentoring.test_account_data import MIA, MO, build_world

PASSWORD = "pw-123456!"  # tests.factories.make_user's
URL = reverse("mentoring:account_delete")
# Every app whose rows could hold something of a person's.
APPS = ("mentoring", "programmes", "playbooks", "account", "socialaccount", "mfa", "admin")


def reauthenticated(client, user):
    """Signed in, and just confirmed it's them (allauth's reauthentication)."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def stored_anywhere(words: str) -> bool:
    """Whether `words` stand anywhere in what is stored, as themselves (mentee@example.org
    is not in other-mentee@example.org)."""
    return re.search(rf"(?<![\w.@-]){re.escape(words)}(?![\w-])", everything_stored()) is not None


def everything_stored() -> str:
    """Every row of every app that holds people's things, as one text to search."""
    rows = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            rows += [str(row) for row in model._default_manager.values()]
    return "\n".join(rows)


def figures(programme) -> dict:
    overview = lead_overview(programme)
    sessions = session_figures(programme)
    return {
        "funnel_total": sum(step.count for step in overview.funnel),
        "mentees": overview.mentee_count,
        "sessions": sessions["totals"]["sessions"],
        "minutes": sessions["totals"]["total_minutes"],
        "actions": sessions["actions"]["agreed"],
        "answered": sessions["feedback"]["answered"],
        "checks": sum(row["partly"] for row in sessions["checks"]),
        "phase_moves": PhaseTransition.objects.filter(membership__programme=programme).count(),
    }


# --- Who reaches it ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    for method in (client.get, client.post):
        response = method(URL)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_the_page_says_in_plain_words_what_happens_to_shared_records(client, cast):
    client.force_login(cast.mentee)
    page = client.get(URL).content.decode()
    assert "Session logs your mentor wrote stay as the programme's record" in page
    assert "a former member" in page
    assert "Your playbooks" in page and "activities you logged" in page
    assert "Your pairings end" in page
    assert "Delete my account" in page


@pytest.mark.django_db
def test_deleting_asks_the_person_to_sign_in_again_then_does_it(client, cast):
    client.force_login(cast.mentee)
    response = client.post(URL, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.get(pk=cast.mentee.pk).is_active, "nothing happens before"

    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    gone = User.objects.get(pk=cast.mentee.pk)
    assert gone.name == FORMER_MEMBER and not gone.is_active
    assert client.get(reverse("mentoring:home")).status_code == 302, "signed out"


@pytest.mark.django_db
def test_a_wrong_password_deletes_nothing(client, cast):
    client.force_login(cast.mentee)
    response = client.post(URL, {"confirm": "on"})
    client.post(response["Location"], {"password": "not-my-password"})
    assert User.objects.get(pk=cast.mentee.pk).name == "Mia Mentee"


@pytest.mark.django_db
def test_without_the_box_ticked_nothing_is_deleted(client, cast):
    reauthenticated(client, cast.mentee)
    response = client.post(URL, {})
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert User.objects.get(pk=cast.mentee.pk).name == "Mia Mentee"


@pytest.mark.django_db
def test_only_the_person_themself_can_delete_their_account(cast):
    for someone in (cast.lead, cast.mentor, cast.other_mentee):
        with pytest.raises(NotAllowed):
            delete_account(user=cast.mentee, by=someone)
    assert User.objects.get(pk=cast.mentee.pk).is_active


# --- What happens -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_after_a_mentee_deletes_nothing_personal_of_theirs_remains(client, cast):
    world = build_world(cast)
    issue_feed(by=cast.mentee)
    reauthenticated(client, cast.mentee)
    assert client.post(URL, {"confirm": "on"}).status_code == 302

    for words in ("Mia Mentee", "mentee@example.org", *MIA.values()):
        assert not stored_anywhere(words), f"{words!r} is still stored"
    mia = Membership.objects.get(pk=cast.mentee_membership.pk)
    assert not mia.is_active
    for related in (
        "playbook", "activity_completions", "assessments", "engagement_preferences",
        "mentor_change_requests", "theme_mappings",
    ):  # fmt: skip
        manager = getattr(mia, related, None)
        assert manager is None or not manager.exists(), related
    assert not Reflection.objects.filter(session__mentee=mia).exists()
    assert not Notification.objects.filter(recipient_id=cast.mentee.pk).exists()
    assert not EmailAddress.objects.filter(user_id=cast.mentee.pk).exists()
    assert not WorkshopSeat.objects.filter(workshop=world["workshop"], membership=mia).exists()
    user = User.objects.get(pk=cast.mentee.pk)
    assert user.email.endswith("@deleted.invalid") and not user.has_usable_password()
    assert authenticate(email="mentee@example.org", password=PASSWORD) is None
    # Her old calendar address opens nothing.
    assert not user.calendar_feeds.filter(revoked_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_mentors_session_logs_stay_showing_a_former_member(cast):
    world = build_world(cast)
    delete_account(user=cast.mentee, by=cast.mentee)
    session = MentoringSession.objects.get(pk=world["session"].pk)
    assert session.topics == MO["notes"]
    assert session.actions.count() == 1
    assert str(session.mentee.user) == FORMER_MEMBER
    assert SessionFeedback.objects.filter(session=session).exists(), "a figure, kept"
    pairing = Pairing.objects.get(pk=session.pairing_id)
    assert pairing.ended_at is not None
    told = Notification.objects.get(
        recipient=cast.mentor, kind="pairing_changed", title__contains="ended"
    )
    assert told.title == "Your pairing with a former member has ended"
    trail = " ".join(
        AuditEntry.objects.filter(programme=cast.programme).values_list("summary", flat=True)
    )
    assert "Mia" not in trail and "a former member" in trail
    assert AuditEntry.objects.filter(
        programme=cast.programme, summary__startswith="A former member closed their account"
    ).exists()


@pytest.mark.django_db
def test_the_leads_programme_figures_still_add_up(cast):
    build_world(cast)
    before = figures(cast.programme)
    delete_account(user=cast.mentee, by=cast.mentee)
    after = figures(cast.programme)
    assert after["mentees"] == before["mentees"] - 1
    assert after["funnel_total"] == after["mentees"]
    for kept in ("sessions", "minutes", "actions", "answered", "checks", "phase_moves"):
        assert after[kept] == before[kept], kept


@pytest.mark.django_db
def test_when_a_mentor_deletes_their_partner_keeps_the_logs_they_wrote(client, cast):
    world = build_world(cast)
    before = figures(cast.programme)
    delete_account(user=cast.mentor, by=cast.mentor)
    client.force_login(cast.mentee)
    page = client.get(world["session"].get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert MO["notes"] in text and "Mo Mentor" not in text and FORMER_MEMBER in text
    after = figures(cast.programme)
    assert after["sessions"] == before["sessions"] and after["checks"] == before["checks"]
    assert not stored_anywhere(MO["check"]), "the mentor's own note on a self-check"
    assert not stored_anywhere("mentor@example.org")
    assert not stored_anywhere("Mo Mentor")


@pytest.mark.django_db
def test_the_only_lead_of_a_programme_with_people_must_hand_over_first(client, cast):
    reauthenticated(client, cast.lead)
    page = client.get(URL).content.decode()
    assert "You are the only lead of Social Adoption Programme" in page
    assert "Delete my account</button>" not in page
    response = client.post(URL, {"confirm": "on"})
    assert "Invite someone as a lead" in response.content.decode()
    assert User.objects.get(pk=cast.lead.pk).is_active

    enrol(programme=cast.programme, user=make_user("Second Lead"), role=Role.LEAD, by=cast.lead)
    client.post(URL, {"confirm": "on"})
    assert not User.objects.get(pk=cast.lead.pk).is_active


@pytest.mark.django_db
def test_a_lead_alone_in_their_programme_may_go(cast):
    alone = make_user("Alone Lead")
    make_programme(alone, name="Just Me")
    delete_account(user=alone, by=alone)
    assert User.objects.get(pk=alone.pk).name == FORMER_MEMBER


@pytest.mark.django_db
def test_someone_who_never_joined_a_programme_is_deleted_outright(client):
    stranger = make_user("Sam Stranger", "sam@example.org")
    reauthenticated(client, stranger)
    client.post(URL, {"confirm": "on"})
    assert not User.objects.filter(pk=stranger.pk).exists()
    assert not stored_anywhere("sam@example.org")


@pytest.mark.django_db
def test_mail_to_them_goes_and_mail_about_them_no_longer_names_them(cast):
    build_world(cast)
    OutboundEmail.objects.create(
        to=["Lena <lead@example.org>"], subject="Mia Mentee asked for another mentor",
        text_body="Mia Mentee wants a change.", html_body="<p>Mia Mentee wants a change.</p>",
    )  # fmt: skip
    OutboundEmail.objects.create(to=["mentee@example.org"], subject="Hi", text_body="Hello")
    delete_account(user=cast.mentee, by=cast.mentee)
    assert not OutboundEmail.objects.filter(text_body="Hello").exists()
    about = OutboundEmail.objects.get(to=["Lena <lead@example.org>"])
    assert about.subject == "A former member asked for another mentor"
    assert about.html_body == "<p>A former member wants a change.</p>"


@pytest.mark.django_db
def test_an_upcoming_workshop_place_is_given_back_and_past_attendance_kept(cast):
    from tests.programmes.test_workshop_pages import make_workshop

    world = build_world(cast)
    past = make_workshop(cast.programme, cast.lead, starts_in=-timedelta(days=3), title="Past")
    WorkshopSeat.objects.create(
        workshop=past, membership=cast.mentee_membership, booked_at=timezone.now(), attended=True
    )
    delete_account(user=cast.mentee, by=cast.mentee)
    assert not WorkshopSeat.objects.filter(workshop=world["workshop"]).exists()
    assert WorkshopSeat.objects.filter(workshop=past, attended=True).count() == 1

"""Saving a form exactly as the page shows it changes nothing, and a date typed into a form
is the date stored. Each test submits what a browser would (tests/browser_forms.py), so a
date the page writes in a format the browser can't read arrives empty, as it would for a
person, and the test sees the loss."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import MentoringSession
from mentoring.services.session import save_session, start_session
from playbooks.models import Completion
from playbooks.services.activity import add_activity, today_for
from programmes.models import Membership, NotificationSettings, Pairing, Programme, Workshop
from programmes.services.notification import snooze, update_settings
from programmes.services.phase import change_phase
from programmes.services.programme import change_nudge_settings, change_programme
from programmes.services.workshop import schedule_workshop
from tests.browser_forms import Form, forms_on, the_form


def shown(client, url: str, *, having: str) -> Form:
    response = client.get(url)
    assert response.status_code == 200
    return the_form(response.content.decode(), having=having)


def send(client, url: str, form: Form, *, press: str | None = None, **typed: str):
    """Submit `form` as shown, with only the `typed` fields changed, as a browser would."""
    data = form.submission(press=press) | {name: [value] for name, value in typed.items()}
    return client.post(form.action or url, data)


def row(obj, *, leave_out: tuple[str, ...] = ()) -> dict:
    obj.refresh_from_db()
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in leave_out
    }


# --- The session log: the mentor's due dates survive every save -----------------------------

# What a save is allowed to move on: the log's edit count and time, not what it says.
BOOKKEEPING = ("version", "updated_at")


def _session_with_due_dates(cast, *, log: bool) -> MentoringSession:
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    session = start_session(pairing=pairing, by=cast.mentor, at=timezone.now() - timedelta(days=3))
    today = timezone.localdate()
    return save_session(
        session=session,
        by=cast.mentor,
        version=session.version,
        fields={"topics": "Headlines", "next_session_on": today + timedelta(days=14)},
        actions=[
            {"text": "Rewrite the headline", "owner": "mentee", "due_on": today + timedelta(9)},
            {"text": "Send an example", "owner": "mentor", "due_on": today + timedelta(2)},
            {"text": "Read the guide", "owner": "mentee", "due_on": None},
        ],
        done_action_ids=(),
        log=log,
    )


def _actions(session: MentoringSession) -> set[tuple]:
    # As a set: the form lists actions by due date and stores them in that order.
    return set(session.actions.values_list("text", "owner", "due_on"))


@pytest.mark.parametrize(
    ("log", "press"), [(False, "save"), (True, "log")], ids=["draft", "logged"]
)
def test_saving_a_session_log_as_shown_keeps_every_actions_due_date(client, cast, log, press):
    session = _session_with_due_dates(cast, log=log)
    before, actions = row(session, leave_out=BOOKKEEPING), _actions(session)
    url = reverse("mentoring:session_edit", args=[cast.programme.slug, session.pk])
    client.force_login(cast.mentor)
    response = send(client, url, shown(client, url, having="actions-0-due_on"), press=press)
    assert response.status_code == 302
    assert _actions(session) == actions
    assert row(session, leave_out=BOOKKEEPING) == before


def test_a_drafts_autosave_as_shown_keeps_every_actions_due_date(client, cast):
    session = _session_with_due_dates(cast, log=False)
    before, actions = row(session, leave_out=BOOKKEEPING), _actions(session)
    slug = cast.programme.slug
    client.force_login(cast.mentor)
    form = shown(
        client, reverse("mentoring:session_edit", args=[slug, session.pk]), having="held_at"
    )
    response = client.post(
        reverse("mentoring:session_autosave", args=[slug, session.pk]), form.submission()
    )
    assert response.status_code == 200, response.content
    assert _actions(session) == actions
    assert row(session, leave_out=BOOKKEEPING) == before


def test_an_action_due_in_year_one_is_refused_beside_it_and_nothing_is_saved(client, cast):
    session = _session_with_due_dates(cast, log=False)
    actions = _actions(session)
    url = reverse("mentoring:session_edit", args=[cast.programme.slug, session.pk])
    client.force_login(cast.mentor)
    form = shown(client, url, having="actions-0-due_on")
    response = send(client, url, form, press="save", **{"actions-0-due_on": "0001-01-01"})
    assert response.status_code == 400
    assert "Choose a due date between" in response.content.decode()
    assert _actions(session) == actions


# --- A programme's dates: created, copied, and its settings saved again ----------------------


def test_a_new_programmes_dates_are_stored_as_typed_even_after_a_refusal(client, cast):
    url = reverse("programmes:create")
    client.force_login(cast.lead)
    form = shown(client, url, having="starts_on")
    refused = send(client, url, form, name="", starts_on="2027-01-11", ends_on="2027-06-30")
    assert refused.status_code == 200
    # Sent again from the page that said what was missing, with the name filled in.
    again = the_form(refused.content.decode(), having="starts_on")
    send(client, url, again, name="Spring cohort")
    created = Programme.objects.get(name="Spring cohort")
    assert (str(created.starts_on), str(created.ends_on)) == ("2027-01-11", "2027-06-30")


def test_saving_a_programmes_settings_as_shown_changes_nothing(client, cast):
    programme = cast.programme
    today = timezone.localdate()
    change_programme(
        programme=programme, by=cast.lead, starts_on=today, ends_on=today + timedelta(days=90)
    )
    change_nudge_settings(
        programme=programme,
        by=cast.lead,
        nudges_off=[],
        nudge_every_days=programme.nudge_every_days,
        quiet_from=time(21, 30),
        quiet_until=time(7, 0),
    )
    before = row(programme)
    client.force_login(cast.lead)
    url = reverse("programmes:edit", args=[programme.slug])
    assert send(client, url, shown(client, url, having="mentee_label")).status_code == 302
    nudges = reverse("mentoring:nudges", args=[programme.slug])
    assert send(client, nudges, shown(client, nudges, having="quiet_from")).status_code == 302
    assert row(programme) == before


def _duplicate_form(html: str) -> Form:
    return next(form for form in forms_on(html) if form.action.endswith("/duplicate/"))


def test_a_copys_dates_are_stored_as_typed_even_after_a_refusal(client, cast):
    url = reverse("programmes:edit", args=[cast.programme.slug])
    client.force_login(cast.lead)
    form = _duplicate_form(client.get(url).content.decode())
    refused = send(client, url, form, starts_on="2027-09-01", ends_on="2027-01-01")
    assert refused.status_code == 400
    # Sent again from the page that said the end was before the start, with the end put right.
    send(client, url, _duplicate_form(refused.content.decode()), ends_on="2028-03-31")
    copy = Programme.objects.exclude(pk__in=[cast.programme.pk, cast.other_programme.pk]).get()
    assert (str(copy.starts_on), str(copy.ends_on)) == ("2027-09-01", "2028-03-31")


# --- Phases, workshops -----------------------------------------------------------------------


def test_saving_a_phase_as_shown_changes_nothing(client, cast):
    phase = cast.programme.phases.order_by("position").first()
    today = timezone.localdate()
    change_phase(phase=phase, by=cast.lead, starts_on=today, ends_on=today + timedelta(days=30))
    before = row(phase)
    url = reverse("programmes:phase_edit", args=[cast.programme.slug, phase.pk])
    client.force_login(cast.lead)
    assert send(client, url, shown(client, url, having="starts_on")).status_code == 302
    assert row(phase) == before


def test_saving_a_workshop_as_shown_changes_nothing(client, cast):
    starts = datetime(2027, 3, 10, 1, 0, tzinfo=UTC)
    workshop = schedule_workshop(
        programme=cast.programme,
        by=cast.lead,
        title="Video on a phone",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        time_zone="Asia/Tokyo",
        video_url="https://meet.example.org/video",
    )
    before = row(workshop)
    url = reverse("programmes:workshop_edit", args=[cast.programme.slug, workshop.pk])
    client.force_login(cast.lead)
    form = shown(client, url, having="starts_at")
    assert form.submission()["starts_at"] == ["2027-03-10T10:00"]  # Tokyo's wall clock
    assert send(client, url, form).status_code == 302
    assert row(Workshop.objects.get()) == before


# --- Pause, snooze and quiet hours -----------------------------------------------------------


def test_the_pause_form_as_shown_pauses_nobody_and_a_typed_day_is_the_day_stored(client, cast):
    url = reverse("programmes:my_journey", args=[cast.programme.slug])
    client.force_login(cast.mentee)
    form = shown(client, url, having="until")
    before = row(cast.mentee_membership)
    page = client.post(form.action, form.submission(), follow=True).content.decode()
    assert "Choose the last day of the pause." in page
    assert row(cast.mentee_membership) == before
    until = timezone.localdate() + timedelta(days=10)
    send(client, url, form, until=until.isoformat())
    assert Membership.objects.get(pk=cast.mentee_membership.pk).paused_until == until


def test_the_snooze_form_as_shown_changes_nothing_and_quiet_hours_survive_a_save(client, cast):
    until = timezone.localdate() + timedelta(days=5)
    snooze(by=cast.mentee, until=until)
    update_settings(
        by=cast.mentee,
        delivery="both",
        quiet_from=time(22, 0),
        quiet_until=time(6, 45),
        muted_kinds=[],
    )
    before = row(NotificationSettings.objects.get(user=cast.mentee), leave_out=("updated_at",))
    url = reverse("mentoring:notification_settings")
    client.force_login(cast.mentee)
    refused = send(client, url, shown(client, url, having="until"), press="snooze")
    assert "Choose a day to snooze until." in refused.content.decode()
    assert send(client, url, shown(client, url, having="quiet_from")).status_code == 302
    after = NotificationSettings.objects.get(user=cast.mentee)
    assert row(after, leave_out=("updated_at",)) == before


# --- Logging an activity with details --------------------------------------------------------


def _zone_whose_day_is_not_the_sites() -> str:
    """A time zone where today is another day than on the site's clock, whenever this runs."""
    now, site_day = timezone.now(), timezone.localdate()
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        if now.astimezone(zoneinfo.ZoneInfo(zone)).date() != site_day:
            return zone
    raise AssertionError("unreachable: UTC+14 and UTC-12 are never both on the site's day")


def test_log_with_details_offers_today_where_the_person_is_and_saves_it_as_shown(client, cast):
    cast.mentee.time_zone = _zone_whose_day_is_not_the_sites()
    cast.mentee.save(update_fields=["time_zone"])
    activity = add_activity(
        programme=cast.programme, by=cast.lead, title="Post about a lesson", recurrence="week"
    )
    url = reverse(
        "playbooks:log_completion",
        args=[cast.programme.slug, cast.mentee_membership.pk, activity.pk],
    )
    client.force_login(cast.mentee)
    form = shown(client, url, having="done_on")
    their_today = today_for(cast.mentee)
    assert form.submission()["done_on"] == [their_today.isoformat()]
    assert send(client, url, form, press=None).status_code == 302
    assert Completion.objects.get().done_on == their_today

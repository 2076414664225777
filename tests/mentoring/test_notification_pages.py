"""The notification centre, its settings, the one-click unsubscribe and the email itself."""

import re
from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import OutboundEmail
from mentoring.notification_kinds import KINDS_BY_ROLE
from programmes.models import (
    Delivery,
    EmailStatus,
    Notification,
    NotificationKind,
    NotificationSettings,
    Role,
)
from programmes.services.notification import (
    email_notification,
    notify,
    read_unsubscribe_token,
    snooze,
    unsubscribe_path,
    unsubscribe_token,
    update_settings,
)
from tests.factories import make_user
from tests.test_site_pages import assert_nothing_inline, assert_strict_csp

LIST = reverse("mentoring:notifications")
SETTINGS = reverse("mentoring:notification_settings")
SNOOZE = reverse("mentoring:notification_snooze")
READ_ALL = reverse("mentoring:notifications_read")

_keys = iter(range(1, 1_000_000))


@pytest.fixture
def cast(cast):
    """The cast, without the notifications that setting it up recorded (the pairings)."""
    Notification.objects.all().delete()
    return cast


def _notify(user, title="Your phase changed", *, kind=NotificationKind.PHASE_CHANGED, **fields):
    """An event for `user`, recorded through the service every app uses."""
    fields.setdefault("link", "/programmes/")
    fields.setdefault("reason", "You are a mentee in this programme.")
    notify([user], kind=kind, key=next(_keys), title=title, **fields)
    return Notification.objects.filter(recipient=user).latest("pk")


def _open(pk: int) -> str:
    return reverse("mentoring:notification_open", kwargs={"pk": pk})


def _settings_post(**overrides) -> dict:
    data = {
        "delivery": Delivery.BOTH,
        "quiet_from": "",
        "quiet_until": "",
        "nudges": [NotificationKind.NEXT_STEP, NotificationKind.SESSION_DUE],
        "events": [NotificationKind.PHASE_CHANGED],
    }
    return data | overrides


# --- Who may reach the pages --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST, SETTINGS])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", [READ_ALL, SNOOZE, _open(1)])
def test_an_anonymous_visitor_cannot_change_anything(client, url):
    response = client.post(url, {"snooze": "week"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [LIST, SETTINGS])
def test_the_notification_pages_carry_a_strict_csp_and_nothing_inline(client, cast, url):
    _notify(cast.mentee)
    client.force_login(cast.mentee)
    response = client.get(url)
    assert response.status_code == 200
    assert_strict_csp(response)
    assert_nothing_inline(response.content.decode())


# --- The centre ---------------------------------------------------------------------------


def test_a_person_sees_only_their_own_notifications_newest_first(client, cast):
    older = _notify(cast.mentee, "Older news", reason="Because you asked.")
    Notification.objects.filter(pk=older.pk).update(visible_from=timezone.now() - timedelta(days=3))
    _notify(cast.mentee, "Newer news", body="Read this first.")
    _notify(cast.mentor, "The mentor's own news")
    client.force_login(cast.mentee)
    html = client.get(LIST).content.decode()
    assert html.index("Newer news") < html.index("Older news")
    assert "Read this first." in html
    assert "Why you got this:</strong> Because you asked." in html
    # Named as the settings name its kind, so the right switch can be found.
    assert "ago</time> · Phase changes" in html
    assert "3\xa0days ago" in html  # kept on one line
    assert "The mentor&#x27;s own news" not in html and "mentor's own" not in html


def test_unread_notifications_are_marked_new_in_words_not_only_colour(client, cast):
    read = _notify(cast.mentee, "Seen already")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    _notify(cast.mentee, "Not seen yet")
    client.force_login(cast.mentee)
    html = client.get(LIST).content.decode()
    items = re.findall(r'<li class="notification[^"]*">.*?</li>', html, re.S)
    assert len(items) == 2
    unread, seen = items
    assert "notification--unread" in unread and ">New<" in unread and "Not seen yet" in unread
    assert "notification--unread" not in seen and ">New<" not in seen
    assert "1 unread" in html


def test_a_notification_waiting_for_quiet_hours_to_end_is_not_shown_yet(client, cast):
    later = _notify(cast.mentee, "Not before morning")
    Notification.objects.filter(pk=later.pk).update(
        visible_from=timezone.now() + timedelta(hours=6)
    )
    client.force_login(cast.mentee)
    assert "Not before morning" not in client.get(LIST).content.decode()
    assert client.post(_open(later.pk)).status_code == 404


def test_with_nothing_yet_the_centre_says_what_will_come_and_links_to_settings(client, cast):
    client.force_login(cast.mentee)
    html = client.get(LIST).content.decode()
    assert "Nothing here yet" in html
    assert f'href="{SETTINGS}"' in html
    assert "Mark all as read" not in html


def test_the_centre_shows_25_a_page(client, cast):
    for i in range(30):
        _notify(cast.mentee, f"News number {i}")
    client.force_login(cast.mentee)
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert first.count('<li class="notification') == 25
    assert second.count('<li class="notification') == 5
    assert "Page 1 of 2" in first
    assert "News number 29" in first and "News number 0" in second


@pytest.mark.django_db
def test_the_centre_runs_the_same_number_of_queries_with_3_and_30_notifications(client):
    counts = []
    for size in (3, 30):
        person = make_user()
        for i in range(size):
            _notify(person, f"News {i}")
        client.force_login(person)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(client, cast):
    note = _notify(cast.mentee, link="/programmes/?from=notification")
    client.force_login(cast.mentee)
    response = client.post(_open(note.pk))
    assert response.status_code == 302
    assert response.url == "/programmes/?from=notification"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize(
    "link", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:x", ""]
)
def test_opening_never_leaves_the_site(client, cast, link):
    note = _notify(cast.mentee, link=link)
    client.force_login(cast.mentee)
    response = client.post(_open(note.pk))
    assert response.status_code == 302
    assert response.url == LIST
    note.refresh_from_db()
    assert note.read_at is not None


def test_opening_is_a_post_so_a_prefetched_link_reads_nothing(client, cast):
    note = _notify(cast.mentee)
    client.force_login(cast.mentee)
    assert client.get(_open(note.pk)).status_code == 405
    note.refresh_from_db()
    assert note.read_at is None


def test_another_persons_notification_does_not_exist_for_you(client, cast):
    theirs = _notify(cast.mentor, "For the mentor")
    for person in (cast.mentee, cast.other_mentor, cast.lead):
        client.force_login(person)
        assert client.post(_open(theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_as_read_marks_only_your_own(client, cast):
    mine = [_notify(cast.mentee, f"Mine {i}") for i in range(3)]
    theirs = _notify(cast.mentor, "Theirs")
    client.force_login(cast.mentee)
    response = client.post(READ_ALL, follow=True)
    assert "Marked 3 as read." in response.content.decode()
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- The header ---------------------------------------------------------------------------


def test_the_header_counts_unread_notifications_in_words(client, cast):
    _notify(cast.mentee, "One")
    _notify(cast.mentee, "Two")
    read = _notify(cast.mentee, "Read")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    _notify(cast.mentor, "Someone else's")
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert f'<a class="bell bell--unread" href="{LIST}"' in html
    assert "Notifications, 2 unread" in html
    client.post(READ_ALL)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert "bell--unread" not in html and ", 2 unread" not in html
    assert f'<a class="bell" href="{LIST}"' in html


def test_the_header_count_is_one_query(client, cast):
    _notify(cast.mentee)
    client.force_login(cast.mentee)
    client.get(LIST)  # warm the session and anything cached per process
    with CaptureQueriesContext(connection) as ctx:
        client.get(LIST)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    unread = [sql for sql in counts if "read_at" in sql and "IS NULL" in sql.upper()]
    assert len(unread) == 1, unread


# --- Settings -----------------------------------------------------------------------------


def test_settings_start_from_the_defaults_everything_ticked_and_by_email(client, cast):
    client.force_login(cast.mentee)
    html = client.get(SETTINGS).content.decode()
    assert re.search(r'value="both"[^>]*checked', html)
    for kind in KINDS_BY_ROLE[Role.MENTEE]:
        assert re.search(rf'value="{kind}"[^>]*checked', html), kind
        assert NotificationKind(kind).label.replace("'", "&#x27;") in html
    assert "Nudges about pace" in html and "Things that happen" in html
    assert 'type="time"' in html and 'type="date"' in html


def test_a_person_saves_delivery_quiet_hours_and_what_to_hear_about(client, cast):
    pending = _notify(cast.mentee, kind=NotificationKind.SIGNED_OFF)
    client.force_login(cast.mentee)
    response = client.post(
        SETTINGS, _settings_post(delivery=Delivery.APP, quiet_from="21:30", quiet_until="07:00")
    )
    assert response.status_code == 302
    found = NotificationSettings.objects.get(user=cast.mentee)
    assert found.delivery == Delivery.APP
    assert (found.quiet_from, found.quiet_until) == (time(21, 30), time(7))
    assert NotificationKind.NEXT_STEP not in found.muted_kinds
    assert NotificationKind.SIGNED_OFF in found.muted_kinds  # unticked: muted
    assert NotificationKind.CHECK_IN in found.muted_kinds
    assert NotificationKind.LEAD_DIGEST not in found.muted_kinds  # not a mentee's to choose
    pending.refresh_from_db()
    assert pending.email_status == EmailStatus.NONE
    html = client.get(SETTINGS).content.decode()
    assert "Your notification settings are saved." in html
    assert 'value="21:30"' in html and 'value="07:00"' in html
    assert not re.search(r'value="signed_off"[^>]*checked', html)


def _keep(user) -> NotificationSettings:
    return update_settings(
        by=user,
        delivery=Delivery.BOTH,
        quiet_from=time(22),
        quiet_until=time(7),
        muted_kinds=[NotificationKind.CHECK_IN],
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"quiet_from": "22:00", "quiet_until": ""}, "Give quiet hours an end too"),
        ({"quiet_from": "", "quiet_until": "07:00"}, "Give quiet hours a start too"),
        ({"quiet_from": "09:00", "quiet_until": "09:00"}, "must start and end at different"),
        ({"quiet_from": "25:00", "quiet_until": "07:00"}, "Enter a valid time"),
        ({"delivery": "carrier-pigeon"}, "Select a valid choice"),
    ],
)
def test_bad_settings_are_refused_with_a_reason_and_nothing_changes(client, cast, data, error):
    before = _keep(cast.mentee)
    client.force_login(cast.mentee)
    response = client.post(SETTINGS, _settings_post(**{"delivery": Delivery.APP} | data))
    assert response.status_code == 200
    assert error in response.content.decode()
    after = NotificationSettings.objects.get(user=cast.mentee)
    assert (after.delivery, after.quiet_from, after.quiet_until, after.muted_kinds) == (
        before.delivery,
        before.quiet_from,
        before.quiet_until,
        before.muted_kinds,
    )


def test_settings_only_ever_change_the_signed_in_person(client, cast):
    client.force_login(cast.mentee)
    client.post(SETTINGS, _settings_post(delivery=Delivery.APP, user=cast.mentor.pk))
    assert not NotificationSettings.objects.filter(user=cast.mentor).exists()


# --- Snooze -------------------------------------------------------------------------------


@pytest.mark.parametrize(("choice", "days"), [("week", 7), ("fortnight", 14)])
def test_snoozing_for_a_week_or_two(client, cast, choice, days):
    client.force_login(cast.mentee)
    response = client.post(SNOOZE, {"snooze": choice}, follow=True)
    until = timezone.localdate() + timedelta(days=days)
    assert NotificationSettings.objects.get(user=cast.mentee).snoozed_until == until
    assert response.redirect_chain[-1][0] == SETTINGS + "#snooze"
    html = response.content.decode()
    assert html.count("Nudges are snoozed until the end of") == 1
    assert "Wake now" in html


def test_snoozing_until_a_chosen_day_and_waking_from_the_centre(client, cast):
    client.force_login(cast.mentee)
    day = timezone.localdate() + timedelta(days=40)
    client.post(SNOOZE, {"snooze": "until", "until": day.isoformat()})
    assert NotificationSettings.objects.get(user=cast.mentee).snoozed_until == day
    html = client.get(LIST).content.decode()
    assert "Nudges are snoozed until the end of" in html
    response = client.post(SNOOZE, {"snooze": "wake", "next": LIST})
    assert response.url == LIST
    assert NotificationSettings.objects.get(user=cast.mentee).snoozed_until is None
    assert "Nudges are back on." in client.get(LIST).content.decode()


def test_after_snoozing_only_a_page_of_this_site_is_returned_to(client, cast):
    client.force_login(cast.mentee)
    response = client.post(SNOOZE, {"snooze": "wake", "next": "https://evil.example/"})
    assert response.url == SETTINGS


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"snooze": "until", "until": ""}, "Choose a day to snooze until."),
        ({"snooze": "until", "until": "2001-01-01"}, "Choose a day from today onwards."),
        ({"snooze": "until", "until": "not-a-date"}, "Enter a valid date."),
        ({"snooze": "forever"}, "Select a valid choice"),
    ],
)
def test_a_bad_snooze_is_refused_beside_the_date_and_nothing_changes(client, cast, data, error):
    until = timezone.localdate() + timedelta(days=3)
    snooze(by=cast.mentee, until=until)
    client.force_login(cast.mentee)
    response = client.post(SNOOZE, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert NotificationSettings.objects.get(user=cast.mentee).snoozed_until == until


def test_the_snooze_date_input_renders_an_iso_date(client, cast):
    client.force_login(cast.mentee)
    response = client.post(SNOOZE, {"snooze": "until", "until": "2001-01-01"})
    assert 'value="2001-01-01"' in response.content.decode()
    assert f'min="{timezone.localdate().isoformat()}"' in response.content.decode()


# --- Unsubscribe --------------------------------------------------------------------------


def _muted(user) -> list:
    found = NotificationSettings.objects.filter(user=user).first()
    return found.muted_kinds if found else []


def test_opening_an_unsubscribe_link_only_asks(client, cast):
    pending = _notify(cast.mentee, kind=NotificationKind.CADENCE_PROPOSED)
    response = client.get(unsubscribe_path(cast.mentee.pk, NotificationKind.CADENCE_PROPOSED))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop emails about “Cadence proposals”?" in html
    assert '<form method="post"' in html
    assert _muted(cast.mentee) == []
    pending.refresh_from_db()
    assert pending.email_status == EmailStatus.PENDING


def test_one_click_unsubscribe_mutes_the_kind_and_clears_its_waiting_emails(cast):
    kind = NotificationKind.CADENCE_PROPOSED
    waiting = _notify(cast.mentee, kind=kind)
    other = _notify(cast.mentee, kind=NotificationKind.PHASE_CHANGED)
    # A mail client: no cookies, no CSRF token, RFC 8058's body.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        unsubscribe_path(cast.mentee.pk, kind),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "You won't get emails about “Cadence proposals” any more" in response.content.decode()
    assert SETTINGS in response.content.decode()
    assert _muted(cast.mentee) == [kind]
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.email_status == EmailStatus.NONE
    assert other.email_status == EmailStatus.PENDING


def test_unsubscribing_twice_is_harmless(client, cast):
    url = unsubscribe_path(cast.mentee.pk, NotificationKind.SIGNED_OFF)
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200
    assert _muted(cast.mentee) == [NotificationKind.SIGNED_OFF]


@pytest.mark.parametrize("tamper", ["signature", "garbage", "kind"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_link_is_refused_kindly_and_changes_nothing(
    client, cast, tamper, method
):
    token = {
        "signature": unsubscribe_token(cast.mentee.pk, NotificationKind.SIGNED_OFF)[:-3] + "abc",
        "garbage": "not-a-token",
        "kind": unsubscribe_token(cast.mentee.pk, "no_such_kind"),
    }[tamper]
    response = getattr(client, method)(reverse("mentoring:unsubscribe", args=[token]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was changed" in html and "This unsubscribe link is not valid" in html
    assert not NotificationSettings.objects.exists()


# --- The email ----------------------------------------------------------------------------


def test_the_email_carries_the_notification_its_reason_and_a_one_click_unsubscribe(
    cast, settings, django_capture_on_commit_callbacks
):
    note = _notify(
        cast.mentor,
        "Mia moved to Workshops",
        kind=NotificationKind.PHASE_CHANGED,
        body="She finished the research phase.",
        reason="You mentor her in Social Adoption Programme.",
        link="/programmes/social-adoption-programme/",
        about=cast.mentee_membership,
        programme=cast.programme,
    )
    assert note.email_status == EmailStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        assert email_notification(note.pk) is True
    assert email_notification(note.pk) is False  # claimed once, sent once

    [sent] = mail.outbox
    assert sent.to == [cast.mentor.email]
    assert sent.subject == "Mia moved to Workshops"
    link = settings.SITE_URL.rstrip("/") + "/programmes/social-adoption-programme/"
    html = sent.alternatives[0].content
    for body in (sent.body, html):
        assert "She finished the research phase." in body
        assert "Why you got this: You mentor her in Social Adoption Programme." in body
        assert "Unsubscribe from “Phase changes” emails" in body
        assert SETTINGS in body
        assert "Mia Mentee" not in body  # only the notification's own words
    assert link in sent.body
    assert f'href="{link}"' in html
    header = sent.extra_headers["List-Unsubscribe"]
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert OutboundEmail.objects.get().headers["List-Unsubscribe"] == header
    in_header = re.fullmatch(r"<https?://[^>]+/notifications/unsubscribe/([^/>]+)/>", header)
    in_body = re.search(r"/notifications/unsubscribe/([^/\s]+)/", sent.body)
    assert in_header and in_body
    for token in (in_header[1], in_body[1]):  # each signed on its own; both name the same
        assert read_unsubscribe_token(token) == (cast.mentor.pk, NotificationKind.PHASE_CHANGED)


NASTY = 'Ann & "Bo" O\'Neil <b>moved</b>'


def test_the_email_keeps_text_plain_and_html_escaped(cast, django_capture_on_commit_callbacks):
    note = _notify(
        cast.mentee,
        NASTY,
        body="Bolder & clearer.\nSecond line.",
        reason="Because <script> & you.",
        link="/somewhere/?a=1&b=2",
    )
    with django_capture_on_commit_callbacks(execute=True):
        email_notification(note.pk)
    [sent] = mail.outbox
    assert sent.subject == NASTY
    assert "Bolder & clearer.\nSecond line." in sent.body
    assert "Because <script> & you." in sent.body and "&amp;" not in sent.body
    html = sent.alternatives[0].content
    assert "Bolder &amp; clearer.<br>Second line." in html
    assert "Because &lt;script&gt; &amp; you." in html and "<script>" not in html
    assert "/somewhere/?a=1&amp;b=2" in html


def test_what_waits_for_quiet_hours_follows_new_quiet_hours(cast):
    from datetime import timedelta

    from programmes.models import EmailStatus, Notification, NotificationKind
    from programmes.services.notification import update_settings

    later = timezone.now() + timedelta(hours=5)
    waiting = Notification.objects.create(
        recipient=cast.mentee, kind=NotificationKind.NEXT_STEP, period="a", title="Nudge",
        visible_from=later, email_after=later, email_status=EmailStatus.PENDING,
    )  # fmt: skip
    sent = Notification.objects.create(
        recipient=cast.mentee, kind=NotificationKind.PHASE_CHANGED, period="b", title="Moved",
        email_after=timezone.now() - timedelta(hours=1), email_status=EmailStatus.SENT,
    )  # fmt: skip
    update_settings(by=cast.mentee, delivery="both", quiet_from=None, quiet_until=None,
                    muted_kinds=[])  # fmt: skip
    waiting.refresh_from_db()
    assert waiting.email_after <= timezone.now() and waiting.visible_from <= timezone.now()
    assert Notification.objects.get(pk=sent.pk).email_after == sent.email_after

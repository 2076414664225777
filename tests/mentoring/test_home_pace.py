"""The home pages say where each mentee stands: their pace, their phase's criterion counted
the way the criterion counts it, what holds it back, and the one next step."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mentoring.models import AgreedAction
from mentoring.selectors.criterion import criterion_progress
from mentoring.services.pace import sweep
from programmes.models import AuditAction, AuditEntry, Membership
from programmes.services.programme import change_programme
from programmes.services.progress import advance_phase, criterion_met
from tests.mentoring.test_session_pages import log_one


def home_html(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("mentoring:home"))
    assert response.status_code == 200
    return response.content.decode()


def into_mentoring(cast) -> Membership:
    for _ in range(3):  # Research → Workshops → Playbook → 1:1 Mentoring
        advance_phase(membership=cast.mentee_membership, by=cast.lead)
    cast.mentee_membership.refresh_from_db()
    return cast.mentee_membership


def test_the_criterion_shows_sessions_held_and_the_open_actions_holding_the_phase(client, cast):
    mentee = into_mentoring(cast)
    due = timezone.localdate() - timedelta(days=1)
    log_one(cast, actions=[{"text": "Post twice", "due_on": due}])
    log_one(cast, actions=[{"text": "Ask Sam", "due_on": due}])
    for _ in range(3):
        log_one(cast)
    phase = mentee.current_phase
    assert phase.exit_count == 4

    progress = criterion_progress(mentee)
    assert progress.summary == (
        "5 sessions held (4 needed); 2 actions agreed in this phase, yours, still open."
    )
    assert "Enough sessions are held: those actions are all that holds this phase open" in (
        progress.blocker
    )
    assert progress.met is criterion_met(mentee, phase) is False
    html = home_html(client, cast.mentee)
    assert "5 sessions held (4 needed); 2 actions agreed in this phase, yours, still open." in html
    assert f'href="{reverse("mentoring:sessions", args=[cast.programme.slug])}"' in html

    # The criterion and the page count the same way: once the actions are done, both agree.
    AgreedAction.objects.filter(mentee=mentee).update(done_at=timezone.now())
    progress = criterion_progress(mentee)
    assert progress.met is criterion_met(mentee, phase) is True
    assert progress.summary == "5 sessions held (4 needed)."


def test_each_phase_offers_its_own_next_step_with_a_button_to_it(client, cast):
    slug = cast.programme.slug
    html = home_html(client, cast.mentee)  # Research: the baseline
    assert "Baseline not started yet." in html
    assert f'<a class="button" href="{reverse("programmes:assessment", args=[slug])}">' in html
    advance_phase(membership=cast.mentee_membership, by=cast.lead)  # Workshops
    html = home_html(client, cast.mentee)
    assert "0 of 2 workshops attended." in html
    assert f'href="{reverse("programmes:workshops", args=[slug])}">Book a workshop</a>' in html
    advance_phase(membership=cast.mentee_membership, by=cast.lead)  # Playbook
    html = home_html(client, cast.mentee)
    assert "sections complete." in html
    assert "Continue “" in html


def test_the_mentee_and_their_mentor_see_the_pace_the_sweep_stored(client, cast):
    mentee = into_mentoring(cast)
    long_ago = timezone.now() - timedelta(days=60)
    Membership.objects.filter(pk=mentee.pk).update(phase_started_at=long_ago, joined_at=long_ago)
    cast.mentee_membership.current_phase.__class__.objects.filter(
        pk=mentee.current_phase_id
    ).update(expected_weeks=2)
    sweep()
    mentee.refresh_from_db()
    assert mentee.pace_status == "stalled"
    since = timezone.localdate(long_ago)
    assert mentee.pace_reason == f"Nothing done in the programme since {since:%-d %B}."

    html = home_html(client, cast.mentee)
    assert "Stalled" in html and "Things have stalled for a while" in html
    assert mentee.pace_reason in html
    html = home_html(client, cast.mentor)
    assert "Stalled" in html and mentee.pace_reason in html
    # Another mentor sees nothing of it.
    assert mentee.pace_reason not in home_html(client, cast.other_mentor)


def test_before_the_programme_starts_everyone_is_told_so_where_they_look(client, cast):
    mentee = into_mentoring(cast)
    starts_on = timezone.localdate() + timedelta(days=12)
    change_programme(programme=cast.programme, by=cast.lead, starts_on=starts_on)
    sweep()
    mentee.refresh_from_db()
    assert mentee.pace_reason.startswith("The programme starts on")

    html = home_html(client, cast.mentee)
    # The reason says it once ("The programme starts on …"), with no verdict on pace.
    assert html.count("The programme starts on") == 1
    assert "You're keeping your own pace." not in html
    # The mentor is told why, though their partner is on pace.
    assert mentee.pace_reason in home_html(client, cast.mentor)
    # The lead opening the person sees their pace and why.
    client.force_login(cast.lead)
    journey = client.get(
        reverse("programmes:member_journey", args=[cast.programme.slug, mentee.pk])
    ).content.decode()
    assert "On pace" in journey and mentee.pace_reason in journey
    # The move is in the audit trail, with both dates.
    entry = AuditEntry.objects.get(programme=cast.programme, action=AuditAction.DATES_CHANGED)
    assert f"{starts_on.day} {starts_on:%b %Y}" in entry.summary

"""The demo's mentoring: pairings, each partner's preferences and agreed cadence, the
mentors' offers, and about ten weeks of logged sessions at each pair's own rhythm."""

from datetime import timedelta

from django.utils import timezone

from mentoring.cadence import CADENCE_DAYS
from mentoring.models import (
    AgreedAction,
    CadenceAgreement,
    EngagementPreference,
    GuidelineCheck,
    MentoringSession,
    MentorProfile,
    Reflection,
    SessionFeedback,
)
from mentoring.services import tally
from mentoring.services.cadence import propose_cadence
from mentoring.services.guideline import create_default_guidelines
from mentoring.services.pairing import pair
from programmes.models import Membership, Pairing, PhaseTransition, Role
from programmes.policy import SYSTEM


def pair_once(*, mentor, mentee, by, at) -> None:
    if not Pairing.objects.filter(mentee=mentee).exists():
        pair(mentor=mentor, mentee=mentee, by=by, at=at)


# (cadence, channels, minutes, best times) for each mentee in turn: nobody is "six
# sessions over six months" unless they say so.
PREFERENCES = [
    ("weekly", ["video", "chat"], 30, "Early mornings"),
    ("fortnightly", ["in_person"], 60, "Thursday afternoons"),
    ("monthly", ["video"], 45, "After 4 pm"),
    ("weekly", ["chat", "social"], 20, "Lunchtime"),
    ("fortnightly", ["phone", "video"], 45, ""),
    ("when_needed", ["chat"], 30, "Whenever I'm stuck"),
    ("fortnightly", ["in_person", "video"], 60, "Mornings"),
    ("monthly", ["video"], 60, "Fridays"),
]
STRENGTHS = [
    ["LinkedIn", "Planning content", "Engaging with your network"],
    ["Video", "X (Twitter)", "Measuring impact"],
    ["Blogging and long-form articles", "LinkedIn"],
]


def seed_mentoring(programme, mentors):
    for mentor, strengths in zip(mentors, STRENGTHS, strict=True):
        MentorProfile.objects.get_or_create(
            membership=mentor, defaults={"capacity": 4, "strengths": strengths}
        )
    if EngagementPreference.objects.filter(membership__programme=programme).exists():
        return
    mentees = Membership.objects.filter(programme=programme, role=Role.MENTEE).order_by("pk")
    for n, (mentee, (cadence, channels, minutes, times)) in enumerate(
        zip(mentees, PREFERENCES, strict=False)
    ):
        EngagementPreference.objects.create(
            membership=mentee,
            cadence=cadence,
            channels=channels,
            session_minutes=minutes,
            best_times=times,
            best_days=["tue", "thu"] if n % 2 else ["mon", "wed", "fri"],
            time_zone=mentee.user.time_zone,
            created_at=mentee.joined_at + timedelta(days=1),
        )
        pairing = Pairing.objects.active().filter(mentee=mentee).first()
        if pairing is None:
            continue
        CadenceAgreement.objects.create(
            pairing=pairing,
            cadence=cadence,
            channel=channels[0],
            status="accepted",
            proposed_by=pairing.mentor.user,
            proposed_at=pairing.started_at + timedelta(days=1),
            answered_by=mentee.user,
            answered_at=pairing.started_at + timedelta(days=2),
        )
        if n == 2:
            # One partner has asked to meet more often; their mentor has yet to answer (and
            # was told, as the service tells anyone asked).
            propose_cadence(
                pairing=pairing,
                by=mentee.user,
                cadence="fortnightly",
                channel=channels[0],
                at=timezone.now() - timedelta(days=2),
            )


# What pairs talked about, in turn: (topics, what resonated, what the mentor shared,
# success or failure, the action agreed, who owns it).
SESSION_NOTES = [
    (
        "Your three themes; who you want to reach",
        "Writing for one reader, not for everyone",
        "My first themes were too broad and nobody engaged until I narrowed them.",
        "failure",
        "Write one sentence for each theme",
        "mentee",
    ),
    (
        "LinkedIn headline and about section",
        "A headline that says what you help people do",
        "Rewriting my headline doubled the profile views in a month.",
        "success",
        "Rewrite the headline and about section",
        "mentee",
    ),
    (
        "First post: a lesson from last quarter",
        "It is fine to post something small",
        "I sat on a draft for three weeks; posting it was the hard part.",
        "failure",
        "Publish the first post",
        "mentee",
    ),
    (
        "Replying to comments; engaging with your network",
        "Ten minutes of comments a day beats one long post",
        "Commenting on others' posts built my network faster than my own posts did.",
        "success",
        "Comment on five posts from people in your field",
        "mentee",
    ),
    (
        "A content plan for the next month",
        "Batching posts on a Friday afternoon",
        "I plan on Fridays; when I skip it, I miss the whole week.",
        "both",
        "Share my own content calendar as an example",
        "mentor",
    ),
]


def seed_sessions(programme, now):
    """About ten weeks of logged sessions for each pair at their agreed cadence, with
    actions (earlier ones done), self-checks, ratings and reflections. Recorded directly,
    as the workshops are: the phase moves they would have caused are in the history."""
    create_default_guidelines(programme=programme, by=SYSTEM)
    if MentoringSession.objects.filter(programme=programme).exists():
        return
    guidelines = list(programme.guidelines.current())
    pairings = (
        Pairing.objects.active()
        .filter(programme=programme)
        .select_related("mentee", "mentor")
        .order_by("pk")
    )
    for n, pairing in enumerate(pairings):
        agreement = CadenceAgreement.objects.filter(pairing=pairing, status="accepted").first()
        step = CADENCE_DAYS.get(agreement.cadence if agreement else "") or 21
        channel = agreement.channel if agreement and agreement.channel else "video"
        moves = list(
            PhaseTransition.objects.filter(membership=pairing.mentee)
            .order_by("at")
            .values_list("at", "to_phase_id")
        )
        at = max(pairing.started_at, now - timedelta(weeks=10)) + timedelta(days=3)
        at = at.replace(hour=9 + n % 6, minute=0, second=0, microsecond=0)
        previous_actions: list[AgreedAction] = []
        k = 0
        while at < now - timedelta(days=1):
            session = _one_session(pairing, at, step, channel, moves, n, k, guidelines)
            for action in previous_actions:
                if (n + k) % 4:  # most get done by the next session; some stay open
                    action.done_at, action.done_by = at, pairing.mentee.user
                    action.closed_in = session
                    action.save(update_fields=["done_at", "done_by", "closed_in"])
            previous_actions = list(session.actions.all())
            at += timedelta(days=step)
            k += 1
    tally.rebuild(programme)  # the sessions above were written directly, not logged


def _one_session(pairing, at, step, channel, moves, n, k, guidelines):
    topics, resonated, learning, kind, action, owner = SESSION_NOTES[(n + k) % len(SESSION_NOTES)]
    phase_id = next((to for when, to in reversed(moves) if when <= at), None)
    session = MentoringSession.objects.create(
        pairing=pairing,
        programme_id=pairing.programme_id,
        mentee=pairing.mentee,
        mentor=pairing.mentor,
        status="logged",
        held_at=at,
        minutes=(30, 45, 60)[(n + k) % 3],
        channel=channel,
        phase_id=phase_id,
        topics=topics,
        resonated=resonated,
        learning_shared=learning,
        learning_kind=kind,
        next_session_on=(at + timedelta(days=step)).date(),
        version=2,
        created_at=at,
        updated_at=at + timedelta(minutes=70),
        logged_at=at + timedelta(minutes=70),
    )
    AgreedAction.objects.create(
        session=session,
        mentee=pairing.mentee,
        text=action,
        owner=owner,
        due_on=(at + timedelta(days=step - 1)).date(),
    )
    GuidelineCheck.objects.bulk_create(
        GuidelineCheck(
            session=session,
            guideline=guideline,
            answer=("yes", "yes", "partly", "no")[(n + k + i) % 4],
            note="Moved on too fast; next time ask first." if (n + k + i) % 4 == 3 else "",
        )
        for i, guideline in enumerate(guidelines)
    )
    if (n + k) % 3:
        SessionFeedback.objects.create(
            session=session,
            rating=(5, 4, 4, 3, 5)[(n + k) % 5],
            good_way_to_meet=(n + k) % 5 != 3,
            frequency=("right", "right", "more", "right", "less")[(n + k) % 5],
            answered_at=at + timedelta(hours=5),
        )
    if k % 2 == 0:
        Reflection.objects.create(
            session=session,
            body=(
                "Narrowing to one reader makes writing much easier."
                if k % 4 == 0
                else "I am still nervous about posting; I'd like to try a smaller step."
            ),
            shared=k % 4 == 0,
            updated_at=at + timedelta(hours=5),
        )
    return session

"""The demo programme's people, phases, workshops, assessments and invitations.

`seed_demo` calls these and each app's own demo data. Each function is idempotent: it finds
what is there and adds only what is missing.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model

from programmes.models import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentResponse,
    Invitation,
    Membership,
    Programme,
    QuestionKind,
    Role,
    Workshop,
    WorkshopSeat,
)
from programmes.services.invitation import invite
from programmes.services.programme import create_programme
from programmes.services.progress import advance_phase, enrol

DEMO_PASSWORD = "mentoring-demo"
PROGRAMME_NAME = "Social Adoption Programme"

LEAD = ("lead@example.com", "Tracy Graves")
MENTORS = [
    ("mentor@example.com", "Sam Okafor"),
    ("mentor2@example.com", "Priya Raman"),
    ("mentor3@example.com", "Daniel Brooks"),
]
# (email, name, mentor index, days since joining, days spent in each phase so far).
# Each mentee moves at their own pace: the list is how long each finished phase took.
MENTEES = [
    ("mentee@example.com", "Alex Morgan", 0, 70, [6, 12, 15]),
    ("mentee2@example.com", "Jordan Lee", 0, 70, [4, 9, 10, 30]),
    ("mentee3@example.com", "Chris Adeyemi", 0, 68, [12, 20]),
    ("mentee4@example.com", "Morgan Hale", 1, 66, [5, 7, 9, 24, 14]),
    ("mentee5@example.com", "Rosa Lindqvist", 1, 63, [21]),
    ("mentee6@example.com", "Ben Carter", 1, 60, []),
    ("mentee7@example.com", "Aisha Khan", 2, 56, [7, 14, 12]),
    ("mentee8@example.com", "Tom Fischer", 2, 49, [9, 16]),
]

PHASE_NOTES = [
    "Baseline assessment submitted",
    "Attended the platform workshops",
    "Playbook draft complete",
    "Agreed actions done; ready to integrate",
    "Strategy mapped onto the business's pillars",
]


def demo_user(email: str, name: str):
    user, created = get_user_model().objects.get_or_create(email=email, defaults={"name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def seed_programme(now) -> tuple[Programme, object]:
    """The programme and its lead."""
    lead = demo_user(*LEAD)
    programme = Programme.objects.filter(name=PROGRAMME_NAME).first()
    if programme is None:
        programme = create_programme(
            name=PROGRAMME_NAME,
            by=lead,
            description=(
                "Senior leaders build a personal thought-leadership strategy for social "
                "media, mentored one to one, each at their own pace."
            ),
            status=Programme.Status.ACTIVE,
            starts_on=(now - timedelta(weeks=10)).date(),
            ends_on=(now + timedelta(weeks=16)).date(),
        )
    return programme, lead


def seed_mentors(programme, lead, now) -> list[Membership]:
    return [
        enrol(
            programme=programme,
            user=demo_user(email, name),
            role=Role.MENTOR,
            by=lead,
            at=now - timedelta(days=72),
        )
        for email, name in MENTORS
    ]


def seed_mentees(programme, lead, mentors, now, *, pair) -> None:
    for email, name, mentor_index, joined_days_ago, phase_days in MENTEES:
        seed_mentee(
            programme,
            lead,
            mentors[mentor_index],
            email,
            name,
            joined_days_ago,
            phase_days,
            now,
            pair=pair,
        )


def seed_mentee(programme, lead, mentor, email, name, joined_days_ago, phase_days, now, *, pair):
    """A mentee who joined `joined_days_ago` and moved on after each of `phase_days`.
    `pair` pairs them with their mentor first: pairings belong to the mentoring app."""
    user = demo_user(email, name)
    joined = now - timedelta(days=joined_days_ago)
    if Membership.objects.filter(programme=programme, user=user, role=Role.MENTEE).exists():
        return
    membership = enrol(programme=programme, user=user, role=Role.MENTEE, by=lead, at=joined)
    pair(mentor=mentor, mentee=membership, by=lead, at=joined + timedelta(days=2))
    at = joined
    for index, days in enumerate(phase_days):
        at += timedelta(days=days)
        advance_phase(
            membership=membership,
            by=mentor.user if index in (2, 3) else lead,
            note=PHASE_NOTES[index],
            at=min(at, now),
        )


# (title, topic, days from now, hours long, place, video)
WORKSHOPS = [
    ("LinkedIn profiles that work", "LinkedIn", -62, 2, "Board room, 4th floor", ""),
    ("Writing your first posts", "LinkedIn", -55, 2, "", "https://meet.example.com/posts"),
    ("Video in ten minutes", "Video", -48, 3, "Studio B", ""),
    (
        "Measuring what matters",
        "Measuring impact",
        6,
        2,
        "",
        "https://meet.example.com/measure",
    ),
    (
        "Long-form articles",
        "Blogging and long-form articles",
        20,
        2,
        "Board room, 4th floor",
        "",
    ),
]


def _working_day(start):
    """The first weekday from `start` that is not in the Christmas and New Year break: a
    demo seeded in December should not hold a workshop on the 25th."""
    while (
        start.weekday() >= 5
        or (start.month, start.day) >= (12, 24)
        or (start.month, start.day) == (1, 1)
    ):
        start += timedelta(days=1)
    return start


def seed_workshops(programme, lead, now):
    if programme.workshops.exists():
        return
    workshops = []
    for title, topic, days, hours, place, video in WORKSHOPS:
        start = (now + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
        start = _working_day(start)
        workshops.append(
            Workshop.objects.create(
                programme=programme,
                title=title,
                topic=topic,
                description=f"A practical session on {topic}: bring your laptop and phone.",
                starts_at=start,
                ends_at=start + timedelta(hours=hours),
                location=place,
                video_url=video,
                capacity=12,
                created_by=lead,
            )
        )
    past = workshops[:3]
    # Attendance as the history says: two workshops for everyone past the Workshops
    # phase, one so far for the mentee who is in it. Recorded directly, because the
    # moves it caused are already in the history above.
    for membership in Membership.objects.filter(programme=programme, role=Role.MENTEE):
        position = membership.current_phase.position if membership.current_phase else 99
        attended = 2 if position > 2 else (1 if position == 2 else 0)
        for workshop in past[:attended]:
            WorkshopSeat.objects.create(
                workshop=workshop,
                membership=membership,
                booked_at=workshop.starts_at - timedelta(days=3),
                attended=True,
                recorded_by=lead,
                recorded_at=workshop.ends_at,
            )


def seed_assessments(programme, now):
    questions = list(programme.assessment_questions.order_by("position"))
    if not questions or AssessmentResponse.objects.filter(membership__programme=programme).exists():
        return
    for n, membership in enumerate(
        Membership.objects.filter(programme=programme, role=Role.MENTEE).select_related(
            "current_phase"
        )
    ):
        position = membership.current_phase.position if membership.current_phase else 99
        rounds = [(AssessmentKind.BASELINE, position > 1, 0)]
        if membership.operationalised_at:
            rounds.append((AssessmentKind.FOLLOW_UP, True, 2))
        for kind, submitted, lift in rounds:
            at = membership.joined_at + timedelta(days=5 if kind == "baseline" else 60)
            response = AssessmentResponse.objects.create(
                membership=membership,
                kind=kind,
                status="submitted" if submitted else "draft",
                created_at=at,
                updated_at=at,
                submitted_at=at if submitted else None,
            )
            answers = []
            for i, question in enumerate(questions):
                if not submitted and i > 5:
                    break  # a draft, part done
                if question.kind == QuestionKind.SCALE:
                    score = min(5, 1 + (n + i) % 3 + lift + (i % 2))
                    answers.append(
                        AssessmentAnswer(response=response, question=question, score=score)
                    )
                else:
                    answers.append(
                        AssessmentAnswer(
                            response=response,
                            question=question,
                            text=(
                                "To share what our teams learn with the people we serve."
                                if i % 2
                                else "A steady habit of posting, and a network that replies."
                            )
                            if not lift
                            else (
                                "Posting weekly now; colleagues quote my articles."
                                if i % 2
                                else "I know my themes, and people come to me about them."
                            ),
                        )
                    )
            AssessmentAnswer.objects.bulk_create(answers)


def seed_invitations(programme, lead):
    if Invitation.objects.filter(programme=programme).exists():
        return
    for name, email, role, mentor_email in [
        ("Grace Liu", "grace@example.com", Role.MENTEE, "mentor@example.com"),
        ("Omar Haddad", "omar@example.com", Role.MENTOR, ""),
    ]:
        invite(
            programme=programme,
            by=lead,
            name=name,
            email=email,
            role=role,
            mentor_email=mentor_email,
            base_url=settings.SITE_URL + "/",  # `make run` sets it to where it serves
        )

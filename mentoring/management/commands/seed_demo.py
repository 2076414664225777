"""Build a realistic Social Adoption Programme to try the product with.

Idempotent: running it again finds what is there and adds only what is missing, so it is
safe on every `make run`.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from mentoring.cadence import CADENCE_DAYS
from mentoring.models import (
    AgreedAction,
    CadenceAgreement,
    EngagementPreference,
    GuidelineCheck,
    MentoringSession,
    MentorProfile,
    Pairing,
    Reflection,
    SessionFeedback,
    User,
)
from mentoring.services.guideline import create_default_guidelines
from mentoring.services.pairing import pair
from playbooks.demo import seed_completions, seed_playbooks, seed_strategy
from programmes.models import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentResponse,
    Invitation,
    Membership,
    PhaseTransition,
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


class Command(BaseCommand):
    help = "Create (or top up) the demo Social Adoption Programme and its people."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing on success.")

    @transaction.atomic
    def handle(self, *args, quiet: bool = False, **options):
        now = timezone.now()
        lead = self._user(*LEAD)
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
        mentors = []
        for email, name in MENTORS:
            mentors.append(
                enrol(
                    programme=programme,
                    user=self._user(email, name),
                    role=Role.MENTOR,
                    by=lead,
                    at=now - timedelta(days=72),
                )
            )
        for email, name, mentor_index, joined_days_ago, phase_days in MENTEES:
            self._mentee(
                programme,
                lead,
                mentors[mentor_index],
                email,
                name,
                joined_days_ago,
                phase_days,
                now,
            )
        self._workshops(programme, lead, now)
        self._assessments(programme, now)
        self._mentoring(programme, mentors)
        self._sessions(programme, now)
        seed_playbooks(programme, now)
        seed_completions(programme, now)
        seed_strategy(programme, lead)
        self._invitations(programme, lead)
        if not quiet:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo ready: {programme.name} with "
                    f"{Membership.objects.filter(programme=programme, role=Role.MENTEE).count()} "
                    f"mentees. Every demo login uses the password {DEMO_PASSWORD!r}."
                )
            )

    def _user(self, email: str, name: str) -> User:
        user, created = User.objects.get_or_create(email=email, defaults={"name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.emailaddress_set.create(email=email, primary=True, verified=True)
        return user

    def _mentee(self, programme, lead, mentor, email, name, joined_days_ago, phase_days, now):
        user = self._user(email, name)
        joined = now - timedelta(days=joined_days_ago)
        if Membership.objects.filter(programme=programme, user=user, role=Role.MENTEE).exists():
            return
        membership = enrol(programme=programme, user=user, role=Role.MENTEE, by=lead, at=joined)
        if not Pairing.objects.filter(mentee=membership).exists():
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

    def _workshops(self, programme, lead, now):
        if programme.workshops.exists():
            return
        workshops = []
        for title, topic, days, hours, place, video in self.WORKSHOPS:
            start = (now + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
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

    def _assessments(self, programme, now):
        questions = list(programme.assessment_questions.order_by("position"))
        if (
            not questions
            or AssessmentResponse.objects.filter(membership__programme=programme).exists()
        ):
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

    def _invitations(self, programme, lead):
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
                base_url="http://127.0.0.1:8000/",
            )

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

    def _mentoring(self, programme, mentors):
        for mentor, strengths in zip(mentors, self.STRENGTHS, strict=True):
            MentorProfile.objects.get_or_create(
                membership=mentor, defaults={"capacity": 4, "strengths": strengths}
            )
        if EngagementPreference.objects.filter(membership__programme=programme).exists():
            return
        mentees = Membership.objects.filter(programme=programme, role=Role.MENTEE).order_by("pk")
        for n, (mentee, (cadence, channels, minutes, times)) in enumerate(
            zip(mentees, self.PREFERENCES, strict=False)
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
                # One partner has asked to meet more often; their mentor has yet to answer.
                CadenceAgreement.objects.create(
                    pairing=pairing,
                    cadence="fortnightly",
                    channel=channels[0],
                    proposed_by=mentee.user,
                    proposed_at=timezone.now() - timedelta(days=2),
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

    def _sessions(self, programme, now):
        """About ten weeks of logged sessions for each pair at their agreed cadence, with
        actions (earlier ones done), self-checks, ratings and reflections. Recorded directly,
        as the workshops are: the phase moves they would have caused are in the history."""
        create_default_guidelines(programme=programme)
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
                session = self._one_session(pairing, at, step, channel, moves, n, k, guidelines)
                for action in previous_actions:
                    if (n + k) % 4:  # most get done by the next session; some stay open
                        action.done_at, action.done_by = at, pairing.mentee.user
                        action.closed_in = session
                        action.save(update_fields=["done_at", "done_by", "closed_in"])
                previous_actions = list(session.actions.all())
                at += timedelta(days=step)
                k += 1

    def _one_session(self, pairing, at, step, channel, moves, n, k, guidelines):
        topics, resonated, learning, kind, action, owner = self.SESSION_NOTES[
            (n + k) % len(self.SESSION_NOTES)
        ]
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

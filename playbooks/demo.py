"""Demo data for playbooks and activities, called by `manage.py seed_demo`.

Written with the models directly, backdated to fit the demo's ten weeks of history; the
services would stamp everything with today and send review emails for events long past.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from playbooks.models import (
    Activity,
    BusinessStrategy,
    Completion,
    Playbook,
    Section,
    SectionRevision,
    SectionStatus,
    StrategyPillar,
    ThemeMapping,
)
from playbooks.services.playbook import summarise
from programmes.models import Membership, Role

# A plausible first draft for each default section, by title.
DRAFTS = {
    "Purpose and vision": "I want to make our work on **inclusive design** visible beyond the "
    "business, so that the people we serve and the people we hire can see how we think.",
    "Audiences": "- Product leaders in the public sector\n- Designers early in their career\n"
    "- Our own teams, who hear little about the wider picture",
    "Themes and content pillars": "1. Designing with, not for\n2. What we learnt from getting "
    "it wrong\n3. Accessibility as a habit, not a project",
    "Platforms and presence": "LinkedIn first: that is where my audiences are. A long-form "
    "article each month; short posts in between. X later, if at all.",
    "Content plan and cadence": "One post a week (Tuesday mornings), one article a month, "
    "twenty minutes on Friday to plan the next week.",
    "Engaging with a network": "Five thoughtful comments a week on posts from people in my "
    "audiences; share a colleague's work each fortnight with my own view.",
    "Measures of success": "Replies and conversations, not likes. Invitations to speak. "
    "Colleagues quoting the articles.",
    "Fitting the business's strategy": "My themes sit under the business's pillar on "
    "*customer trust*; the accessibility theme also supports *talent*.",
}


def seed_playbooks(programme, now) -> None:
    mentees = (
        Membership.objects.filter(programme=programme, role=Role.MENTEE)
        .select_related("current_phase", "user")
        .order_by("pk")
    )
    for membership in mentees:
        playbook = Playbook.objects.filter(membership=membership).first()
        if playbook is None or Section.objects.filter(playbook=playbook).exclude(body="").exists():
            continue
        position = membership.current_phase.position if membership.current_phase else 99
        sections = list(
            Section.objects.filter(playbook=playbook)
            .select_related("template_section")
            .order_by("template_section__position")
        )
        for i, section in enumerate(sections):
            if position < 3 or (position == 3 and i >= 5):
                continue  # not yet written: their playbook phase is ahead of them
            written = membership.joined_at + timedelta(days=20 + i)
            if position > 3:
                status = SectionStatus.COMPLETE
            else:
                status = SectionStatus.READY if i == 4 else SectionStatus.DRAFTING
            section.body = DRAFTS.get(section.template_section.title, "A first draft.")
            section.version = 1
            section.status = status
            section.updated_at = section.status_changed_at = min(written, now)
            section.status_changed_by = membership.user
            section.save()
            SectionRevision.objects.create(
                section=section,
                version=1,
                body=section.body,
                by=membership.user,
                started_at=min(written, now),
                saved_at=min(written, now),
            )
    # Written straight to the rows, as history: the playbooks' summaries follow them.
    summarise(Playbook.objects.filter(membership__programme=programme))


def seed_completions(programme, now) -> None:
    """A few weeks of activities for everyone past the workshops, and the mentors' own."""
    if Completion.objects.filter(activity__programme=programme).exists():
        return
    activities = list(Activity.objects.filter(programme=programme).order_by("position"))
    if not activities:
        return
    people = Membership.objects.filter(programme=programme, role__in=[Role.MENTEE, Role.MENTOR])
    completions = []
    for n, membership in enumerate(people.select_related("current_phase").order_by("pk")):
        is_mentor = membership.role == Role.MENTOR
        position = membership.current_phase.position if membership.current_phase else 99
        if not is_mentor and position < 2:
            continue
        weeks = 8 if is_mentor else min(6, 2 * (position - 1))
        # Mentees last ticked something off a few days ago, not today: someone active today
        # is left alone by the nudges, and the demo should show whom they reach and why.
        rested = 0 if is_mentor else 3
        for week in range(weeks):
            for k, activity in enumerate(activities[:4]):
                if (week + k + n) % 3 == 0:
                    continue  # nobody is perfect, and the streaks show it
                day = (now - timedelta(weeks=week, days=rested + (k + n) % 5)).date()
                completions.append(
                    Completion(
                        activity=activity,
                        membership=membership,
                        done_on=day,
                        note="" if k else "Short and personal worked best.",
                        what_worked="Asking a question at the end got replies."
                        if is_mentor
                        else "",
                        what_failed="Posting at 6 pm: nobody saw it."
                        if is_mentor and k == 1
                        else "",
                        created_at=timezone.make_aware(datetime.combine(day, time(9))),
                    )
                )
    Completion.objects.bulk_create(completions)


PILLARS = [
    ("Customer trust", "Showing how we decide, what we learnt and what we changed."),
    ("Talent", "Making this a place good people want to work, and stay."),
    ("Innovation", "The new things we try, including the ones that did not work."),
]
THEMES = [
    ("Designing with, not for", 0, "Our research practice is a trust story."),
    ("What we learnt from getting it wrong", 2, "Honest failures, told early."),
    ("Accessibility as a habit", 1, "People choose employers who care."),
]


def seed_strategy(programme, lead) -> None:
    """The business's strategy, its pillars, and themes mapped by those far enough along."""
    if StrategyPillar.objects.filter(programme=programme).exists():
        return
    BusinessStrategy.objects.update_or_create(
        programme=programme,
        defaults={
            "summary": "Be known as the organisation that designs in the open.",
            "audiences": "Customers, future colleagues, partners in the public sector.",
            "platforms": "LinkedIn for leaders; the company blog for long form.",
            "key_messages": "We listen first. We publish what we learn. We fix what we break.",
            "updated_by": lead,
        },
    )
    pillars = StrategyPillar.objects.bulk_create(
        StrategyPillar(programme=programme, position=i, name=name, description=text)
        for i, (name, text) in enumerate(PILLARS, start=1)
    )
    mentees = Membership.objects.filter(programme=programme, role=Role.MENTEE).select_related(
        "current_phase"
    )
    for membership in mentees:
        position = membership.current_phase.position if membership.current_phase else 99
        if position < 4:
            continue
        for theme, pillar, fit in THEMES[: 3 if position > 4 else 2]:
            ThemeMapping.objects.create(
                membership=membership, theme=theme, pillar=pillars[pillar], how_it_fits=fit
            )

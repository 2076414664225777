"""What a lead and a mentor see on a programme's home: fixed query counts at any size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from programmes.models import Membership, Phase, Programme, Role


@dataclass
class FunnelRow:
    label: str
    count: int


@dataclass
class Overview:
    phases: list[Phase]
    funnel: list[FunnelRow]
    mentees: QuerySet
    mentee_count: int
    mentor_count: int
    unpaired_count: int


def lead_overview(programme: Programme) -> Overview:
    phases = list(programme.phases.order_by("position"))
    mentees = Membership.objects.active().filter(programme=programme, role=Role.MENTEE)
    by_phase = dict(
        mentees.values("current_phase_id")
        .annotate(n=Count("id"))
        .values_list("current_phase_id", "n")
    )
    figures = (
        Membership.objects.active()
        .filter(programme=programme)
        .aggregate(
            mentees=Count("id", distinct=True, filter=Q(role=Role.MENTEE)),
            mentors=Count("id", distinct=True, filter=Q(role=Role.MENTOR)),
            operationalised=Count("id", distinct=True, filter=Q(operationalised_at__isnull=False)),
            paired=Count(
                "id",
                distinct=True,
                filter=Q(role=Role.MENTEE, mentee_pairings__ended_at__isnull=True)
                & Q(mentee_pairings__isnull=False),
            ),
        )
    )
    funnel = [FunnelRow(phase.name, by_phase.get(phase.pk, 0)) for phase in phases]
    funnel.append(FunnelRow("Operationalised", figures["operationalised"]))
    return Overview(
        phases=phases,
        funnel=funnel,
        mentees=mentees.select_related("user", "current_phase").order_by("user__name", "pk"),
        mentee_count=figures["mentees"],
        mentor_count=figures["mentors"],
        unpaired_count=figures["mentees"] - figures["paired"],
    )


def mentor_partners(mentor: Membership) -> QuerySet:
    """The mentees this mentor is paired with now, in this programme."""
    return (
        Membership.objects.active()
        .filter(
            programme_id=mentor.programme_id,
            role=Role.MENTEE,
            mentee_pairings__mentor=mentor,
            mentee_pairings__ended_at__isnull=True,
        )
        .select_related("user", "current_phase")
        .order_by("user__name")
    )

"""Activities on other apps' pages: those that practise a workshop's skill."""

from collections.abc import Iterable

from django import template

from playbooks.models import Activity

register = template.Library()


@register.inclusion_tag("playbooks/activity_practising.html", takes_context=True)
def activities_practising(context, workshop) -> dict:
    """The programme's activities that practise the workshop's skill or platform."""
    activities: Iterable[Activity] = []
    if workshop.topic:
        activities = (
            Activity.objects.visible_to(context["request"].user)
            .current()
            .filter(programme=workshop.programme_id, skill__iexact=workshop.topic)
            .order_by("position")
        )
    return {"activities": activities, "slug": context["access"].programme.slug}

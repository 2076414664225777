"""Where a streak shows on a checklist, the forgiving rule behind it is explained: one missed
period is forgiven, a second ends the streak."""

from datetime import timedelta

import pytest
from django.urls import reverse

from playbooks.models import Recurrence
from playbooks.services.activity import add_activity, log_completion, today_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_the_checklist_explains_how_a_streak_forgives_one_missed_period(client, cast, who):
    activity = add_activity(
        programme=cast.programme,
        by=cast.lead,
        title="Post about a lesson",
        recurrence=Recurrence.WEEK,
        times=1,
    )
    today = today_for(cast.mentee)
    for weeks_ago in (0, 1, 3):  # two weeks ago was missed, and forgiven
        log_completion(
            membership=cast.mentee_membership,
            activity=activity,
            by=cast.mentee,
            done_on=today - timedelta(weeks=weeks_ago),
        )
    client.force_login(cast.people()[who])
    slug = cast.programme.slug
    page = (
        reverse("playbooks:checklist", args=[slug])
        if who == "mentee"
        else reverse("playbooks:member_checklist", args=[slug, cast.mentee_membership.pk])
    )
    html = client.get(page).content.decode()
    assert "3 weeks in a row" in html
    assert "One missed period is forgiven and the streak carries on; a second miss ends it." in html

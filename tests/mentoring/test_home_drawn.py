"""What the home page writes in Python rather than by a template per person (the pace badge,
the partner's links): the same markup the shared partials draw."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from mentoring.selectors.home import home_context, pace_badge
from programmes.models import Membership
from programmes.models.membership import PaceStatus


@pytest.mark.parametrize("status", ["", *PaceStatus.values])
def test_the_pace_badge_is_the_partials(cast, status):
    member = Membership.objects.get(pk=cast.mentee_membership.pk)
    member.pace_status = status
    assert str(pace_badge(member)) == render_to_string(
        "_partials/pace.html", {"member": member}
    ).strip("\n")


def test_each_partners_links_are_their_pages(cast):
    [view] = home_context(cast.mentor)["mentor_views"]
    [partner] = view.partners
    args = [cast.programme.slug, cast.mentee_membership.pk]
    assert partner.journey_url == reverse("programmes:member_journey", args=args)
    assert partner.partner_url == reverse("mentoring:partner", args=args)
    assert partner.playbook_url == reverse("playbooks:member_playbook", args=args)
    assert partner.session_start_url == reverse("mentoring:session_start", args=args)

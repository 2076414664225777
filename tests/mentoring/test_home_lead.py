"""The lead's home: each programme they lead says how many people are at risk, and leads
straight to the dashboard (filtered to them) that shows who and why."""

from django.urls import reverse

from programmes.models import Membership, PaceStatus


def test_the_leads_home_counts_who_is_at_risk_and_opens_the_dashboard(client, cast):
    Membership.objects.filter(pk=cast.mentee_membership.pk).update(pace_status=PaceStatus.STALLED)
    client.force_login(cast.lead)
    html = client.get(reverse("mentoring:home")).content.decode()
    dashboard = reverse("mentoring:dashboard", args=[cast.programme.slug])
    assert f'href="{dashboard}"' in html
    assert f'<a href="{dashboard}?pace=at_risk">1</a>' in html


def test_nobody_at_risk_is_a_plain_zero(client, cast):
    Membership.objects.filter(programme=cast.programme).update(pace_status=PaceStatus.ON_PACE)
    client.force_login(cast.lead)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert "?pace=at_risk" not in html
    assert "<dt>At risk</dt><dd>0</dd>" in html

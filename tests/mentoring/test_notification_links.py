"""Every notification the demo produces (nudges from the sweep, the leads' digest, and the
events seeding records) opens a page its recipient may see, and none carries private text."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from mentoring.models import MentoringSession, Reflection
from mentoring.services.pace import lead_digests, sweep
from programmes.models import Membership, Notification, NotificationKind


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet=True)
    # A week on, everyone is due another look and another round of nudges.
    later = timezone.now() + timedelta(days=7)
    Membership.objects.update(pace_due_at=later)
    sweep(now=later)
    lead_digests(now=later)


def test_every_notification_links_to_a_page_its_recipient_may_see(client, demo):
    notifications = list(Notification.objects.select_related("recipient"))
    kinds = {n.kind for n in notifications}
    assert {NotificationKind.LEAD_DIGEST, NotificationKind.CHECK_IN} <= kinds
    assert len(kinds) >= 4, kinds
    for n in notifications:
        assert n.link.startswith("/"), n
        client.force_login(n.recipient)
        response = client.get(n.link)
        assert response.status_code == 200, (n.kind, n.recipient.email, n.link)


def test_no_notification_carries_what_a_pair_said(demo):
    private = [
        text
        for session in MentoringSession.objects.all()
        for text in (session.topics, session.resonated, session.learning_shared)
        if len(text) > 20
    ] + [r.body for r in Reflection.objects.all() if len(r.body) > 20]
    assert private, "the demo should hold private text to check against"
    for n in Notification.objects.all():
        said = f"{n.title}\n{n.body}\n{n.reason}"
        for text in private:
            assert text[:40] not in said, (n.kind, text[:40])

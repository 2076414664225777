"""`manage.py sweep_pace` runs the sweep now, as beat does."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from programmes.models import Membership


def test_the_command_judges_everyone_due_and_says_what_it_did(cast):
    Membership.objects.filter(pk=cast.mentee_membership.pk).update(pace_due_at=timezone.now())
    out = StringIO()
    call_command("sweep_pace", stdout=out)
    assert out.getvalue().startswith("Judged ")
    assert Membership.objects.get(pk=cast.mentee_membership.pk).pace_status
    again = StringIO()
    call_command("sweep_pace", stdout=again)  # nobody is due now
    assert again.getvalue().startswith("Judged 0 mentee(s);")

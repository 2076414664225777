"""Build a realistic Social Adoption Programme to try the product with.

Idempotent: running it again finds what is there and adds only what is missing, so it is
safe on every `make run`. The data itself lives in each app's `demo.py`.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from mentoring import demo as mentoring_demo
from mentoring.services import pace
from playbooks import demo as playbooks_demo
from programmes import demo as programmes_demo
from programmes.models import Membership, Role


class Command(BaseCommand):
    help = "Create (or top up) the demo Social Adoption Programme and its people."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing on success.")

    @transaction.atomic
    def handle(self, *args, quiet: bool = False, **options):
        now = timezone.now()
        programme, lead = programmes_demo.seed_programme(now)
        mentors = programmes_demo.seed_mentors(programme, lead, now)
        programmes_demo.seed_mentees(programme, lead, mentors, now, pair=mentoring_demo.pair_once)
        programmes_demo.seed_workshops(programme, lead, now)
        programmes_demo.seed_assessments(programme, now)
        mentoring_demo.seed_mentoring(programme, mentors)
        mentoring_demo.seed_sessions(programme, now)
        playbooks_demo.seed_playbooks(programme, now)
        playbooks_demo.seed_completions(programme, now)
        playbooks_demo.seed_strategy(programme, lead)
        programmes_demo.seed_invitations(programme, lead)
        # The pace check looks at everyone now rather than at the worker's first sweep, so
        # the demo opens with each person's pace and the worker emails their first nudges.
        # (At the time it runs, not `now`: the people were made after the seed began.)
        pace.sweep()
        pace.lead_digests()
        if not quiet:
            mentees = Membership.objects.filter(programme=programme, role=Role.MENTEE).count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo ready: {programme.name} with {mentees} mentees. Every demo login "
                    f"uses the password {programmes_demo.DEMO_PASSWORD!r}."
                )
            )

"""Count the dashboard's monthly tallies of feedback and self-checks again, from the
sessions (`mentoring.services.tally`). The services keep them as people answer; run this
after changing `TIME_ZONE` (a tally's month is the site's) or writing sessions directly."""

from django.core.management.base import BaseCommand

from mentoring.services import tally
from programmes.models import Programme


class Command(BaseCommand):
    help = "Count the dashboard's monthly tallies of feedback and self-checks again."

    def handle(self, *args, **options):
        programmes = Programme.objects.order_by("pk")
        for programme in programmes:
            tally.rebuild(programme)
        self.stdout.write(f"Counted again for {programmes.count()} programme(s).")

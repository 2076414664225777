"""Run the pace sweep now, as beat does every 15 minutes (`mentoring.tasks.sweep_pace`):
judge everyone whose check is due, record their nudges, then the leads' weekly digests.
It sends nothing itself; the worker emails what is due within the minute."""

from django.core.management.base import BaseCommand

from mentoring.services import pace


class Command(BaseCommand):
    help = "Judge everyone whose pace check is due now and record their nudges."

    def handle(self, *args, **options):
        result = pace.sweep()
        digests = pace.lead_digests()
        statuses = ", ".join(f"{n} {status}" for status, n in sorted(result.by_status.items()))
        self.stdout.write(
            f"Judged {result.judged} mentee(s){f' ({statuses})' if statuses else ''}; "
            f"recorded {result.nudges} nudge(s) and {digests} lead digest(s)."
        )

"""How long a CSV import of N people takes, end to end through the outbox.

Run: DEBUG=1 VAR_DIR=/tmp/bench .venv/bin/python bench/import_invitations.py
Prints seconds for 50 and 500 rows and their ratio (close to 10 means linear, no per-row
query blow-up). Times on this shared machine are noisy; compare ratios within one run.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)

from mentoring.models import User  # noqa: E402
from programmes.models import Role  # noqa: E402
from programmes.services.invitation import import_invitations  # noqa: E402
from programmes.services.programme import create_programme  # noqa: E402
from programmes.services.progress import enrol  # noqa: E402


def run(rows: int) -> float:
    stamp = time.time_ns()
    lead = User.objects.create_user(email=f"lead-{stamp}@bench.test", password="x")
    programme = create_programme(name=f"Bench {stamp}", by=lead)
    mentor = User.objects.create_user(email=f"mentor-{stamp}@bench.test", password="x")
    enrol(programme=programme, user=mentor, role=Role.MENTOR, by=lead)
    lines = ["name,email,role,mentor_email"] + [
        f"Person {i},p{i}-{stamp}@bench.test,mentee,{mentor.email}" for i in range(rows)
    ]
    started = time.perf_counter()
    report = import_invitations(
        programme=programme, by=lead, text="\n".join(lines), base_url="http://bench/"
    )
    elapsed = time.perf_counter() - started
    assert report.ok, report.errors[:3]
    return elapsed


if __name__ == "__main__":
    small, large = run(50), run(500)
    print(f"50 rows: {small:.2f}s  500 rows: {large:.2f}s  ratio: {large / small:.1f}")

"""How long one pace sweep over everyone takes on PostgreSQL, and how much memory it needs.

Run: make bench-sweep   (or .venv/bin/python bench/pace_sweep.py [--sizes 10000 100000]
     [--rebuild] [--database-url postgres://root@127.0.0.1:5432/mentoring_bench_sweep])

For each size it builds (once; `--rebuild` to build again) a database named
`<database>_<size>` holding that many mentees with the demo's density of history, written
with set-based INSERT ... SELECT on the server (`data.py`, shared with `make bench`): an
agreed cadence each, about 10 logged sessions (an agreed action and often the mentee's
answers with each), about 40 activity completions, a playbook, a phase history, a past
nudge, and pairings with about 200 mentors per 2,000 mentees in cohorts of 2,000; then
VACUUM ANALYZE, as autovacuum would leave settled tables. Before each timing it undoes the
last one (its nudges and verdicts), makes everyone due at the same moment (as the sweep's
"look again at 06:00" makes whole groups due together), runs ANALYZE, and times one full
`sweep()` in a fresh process, so that building the data does not count towards its peak
memory. It prints one line per size:

    sweep 10,000 mentees: 1.2 s, peak 85 MB

followed by where the time went: each stage on the sweep's own thread, and `gather ahead`
and `judge ahead`, the next batch's facts read on a second connection and judged while
those stages run (so the stages add up to more than the whole); then the CPU time Python
used and, when the server runs on this machine, the CPU time of the sweep's PostgreSQL
connections: a busy machine inflates neither, so they compare runs on a shared machine.
The site's URLs are loaded before the clock starts, as a worker has them after its first
sweep.

The goal (issue 9): 100,000 mentees in 10 s or less on a 2-core machine, peak under 300 MB.
Times on a shared machine are noisy; run it twice before believing a change.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "b" * 60)
os.environ.setdefault("VAR_DIR", "/tmp/mentoring-bench")  # nosec B108 # a local benchmark's scratch files
os.environ.pop("REDIS_URL", None)  # the sweep needs no broker and no cache

from bench.data import build, ensure_database  # noqa: E402

DEFAULT_DATABASE = "postgres://root@127.0.0.1:5432/mentoring_bench_sweep"
GOAL_SECONDS, GOAL_MB = 10.0, 300


def database_url(base: str, size: int) -> str:
    return f"{base}_{size}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()


def counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "mentees": "programmes_membership WHERE role = 'mentee'",
        "sessions": "mentoring_mentoringsession",
        "completions": "playbooks_completion",
        "phase moves": "programmes_phasetransition",
    }
    found = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # nosec B608 # names from a literal dict
            found[label] = cursor.fetchone()[0]
    return found


def make_everyone_due() -> datetime:
    """Undo the last timed sweep: nudges it recorded gone, verdicts cleared, all due."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT anchor FROM bench_meta")
        anchor = cursor.fetchone()[0]
        cursor.execute("DELETE FROM programmes_notification WHERE created_at >= %s", [anchor])
        # The sweep records a derived last activity where none was kept: forget it again.
        cursor.execute(
            "UPDATE programmes_membership mm SET pace_due_at = %s, pace_status = '', "
            "pace_reason = '', pace_behind = 0, pace_checked_at = NULL, "
            "last_active_at = CASE WHEN b.keeps_last_active THEN mm.last_active_at END "
            "FROM bench_mentee b WHERE b.membership_id = mm.id",
            [anchor],
        )
    for table in ("programmes_membership", "programmes_notification"):
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return anchor


# --- Timing --------------------------------------------------------------------------------


def measure() -> None:
    """In a fresh process: one sweep over everyone due, its time and this process's peak."""
    from django.db import connection
    from django.urls import get_resolver

    from mentoring.services import pace
    from mentoring.services.pace import sweep

    # A worker loads the site's URLs (every app's views) once, at its first sweep, and then
    # runs one sweep every 15 minutes: the loading (most of a second here) is not a sweep's.
    get_resolver().url_patterns  # noqa: B018
    backends: dict[int, float] = {}
    stages = _timed_stages(pace, backends)
    with connection.cursor() as cursor:
        cursor.execute("SELECT anchor FROM bench_meta")
        anchor = cursor.fetchone()[0]
        cursor.execute("SELECT pg_backend_pid()")  # connect first
        main_backend = cursor.fetchone()[0]
    main_before = _backend_cpu(main_backend)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = sweep(now=anchor)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    main_after = _backend_cpu(main_backend)
    if main_before is not None and main_after is not None:
        backends[main_backend] = main_after - main_before
    peak = after.ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak / 1024,
                "before_mb": before.ru_maxrss / 1024,
                # Python's own work, whatever else the machine is doing (PostgreSQL's is apart).
                "cpu_seconds": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
                "judged": result.judged,
                "nudges": result.nudges,
                "by_status": dict(result.by_status),
                "stages": stages,
                # PostgreSQL's, on the sweep's connections, when the server runs here.
                "pg_cpu_seconds": sum(backends.values()) if backends else None,
            }
        )
    )


def _backend_cpu(pid: int) -> float | None:
    """The CPU seconds a PostgreSQL backend has used, if it runs on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed_stages(module, backends: dict[int, float]) -> dict[str, float]:
    """Wrap the sweep's stages in `module` with timers: where the seconds go. The CPU time
    of the connection that reads ahead goes into `backends` (it closes with the sweep)."""
    stages: dict[str, float] = {}
    ahead: dict[str, float | int] = {}

    def timer(original, label: str):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            # The next batch's facts are read ahead on a thread, alongside the other stages.
            on_main = threading.current_thread() is threading.main_thread()
            name = label if on_main else f"{label} ahead"
            try:
                return original(*args, **kwargs)
            finally:
                stages[name] = stages.get(name, 0.0) + time.perf_counter() - started
                if not on_main:
                    _note_ahead_backend(ahead, backends)

        return timed

    labels = {"judge_batch": "judge", "_store": "store", "_record": "record"}
    for name in ("due_ids", "gather", "judge_batch", "plan", "_store", "_record"):
        if hasattr(module, name):  # an older sweep may have fewer stages
            setattr(module, name, timer(getattr(module, name), labels.get(name, name)))
    return stages


def _note_ahead_backend(ahead: dict[str, float | int], backends: dict[int, float]) -> None:
    from django.db import connection

    if "pid" not in ahead:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            ahead["pid"] = cursor.fetchone()[0]
        # Its first batch counts from zero: the connection was opened for it.
    used = _backend_cpu(int(ahead["pid"]))
    if used is not None:
        backends[int(ahead["pid"])] = used


def run(size: int, base: str, rebuild: bool) -> dict:
    url = database_url(base, size)
    built = ensure_database(url, rebuild=rebuild)
    child = [sys.executable, __file__, "--database-url", base]
    steps = [] if built else [[*child, "--build", str(size)]]
    steps.append([*child, "--reset", str(size)])
    for step in steps:
        subprocess.run(step, check=True)
    output = subprocess.run(
        [*child, "--measure", str(size)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--rebuild", action="store_true", help="build the data again")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reset", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    for step in ("build", "reset", "measure"):
        size = getattr(args, step)
        if size:
            setup_django(database_url(args.database_url, size))
            if step == "build":
                build(size)
            elif step == "reset":
                make_everyone_due()
                found = counts()
                print("  " + ", ".join(f"{n:,} {label}" for label, n in found.items()))
            else:
                measure()
            return
    lines = []
    for size in args.sizes:
        figures = run(size, args.database_url, args.rebuild)
        line = (
            f"sweep {size:,} mentees: {figures['seconds']:.1f} s, peak {figures['peak_mb']:.0f} MB"
        )
        print(line)
        print(
            f"  judged {figures['judged']:,}, {figures['nudges']:,} nudges recorded; "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(figures["by_status"].items()))
            + f"; {figures['before_mb']:.0f} MB before the sweep began"
        )
        print(
            "  where the time went: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in figures["stages"].items())
            + f"; Python's CPU {figures['cpu_seconds']:.1f} s"
            + (
                f", PostgreSQL's {figures['pg_cpu_seconds']:.1f} s"
                if figures.get("pg_cpu_seconds") is not None
                else ""
            )
        )
        lines.append((size, figures))
    for size, figures in lines:
        if size >= 100_000:
            ok = figures["seconds"] <= GOAL_SECONDS and figures["peak_mb"] < GOAL_MB
            verdict = "meets" if ok else "MISSES"
            print(f"{verdict} the goal: 100,000 mentees in ≤ {GOAL_SECONDS:.0f} s, < {GOAL_MB} MB")


if __name__ == "__main__":
    main()

"""How long one pace sweep over everyone takes on PostgreSQL, and how much memory it needs.

Run: make bench-sweep   (or .venv/bin/python bench/pace_sweep.py [--sizes 10000 100000]
     [--rebuild] [--database-url postgres://root@127.0.0.1:5432/mentoring_bench_sweep])

For each size it builds (once; `--rebuild` to build again) a database named
`<database>_<size>` holding that many mentees with the demo's density of history, written
with set-based INSERT ... SELECT on the server: an agreed cadence each, about 10 logged
sessions (an agreed action and often the mentee's answers with each), about 40 activity
completions, a playbook, a phase history, a past nudge, and pairings with about 200 mentors
per 2,000 mentees in cohorts of 2,000; then VACUUM ANALYZE, as autovacuum would leave
settled tables. Before each timing it undoes the last one (its nudges and verdicts), makes
everyone due at the same moment (as the sweep's "look again at 06:00" makes whole groups
due together), runs ANALYZE, and times one full `sweep()` in a fresh process, so that
building the data does not count towards its peak memory. It prints one line per size:

    sweep 10,000 mentees: 1.2 s, peak 85 MB

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
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "b" * 60)
os.environ.setdefault("VAR_DIR", "/tmp/mentoring-bench")
os.environ.pop("REDIS_URL", None)  # the sweep needs no broker and no cache

DEFAULT_DATABASE = "postgres://root@127.0.0.1:5432/mentoring_bench_sweep"
COHORT = 2000  # mentees per programme
MENTORS_PER_COHORT = 200
CHUNK = 5000  # mentees written per transaction, between progress reports
GOAL_SECONDS, GOAL_MB = 10.0, 300


def database_url(base: str, size: int) -> str:
    return f"{base}_{size}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()


def ensure_database(url: str, *, rebuild: bool) -> bool:
    """True if the database holds a finished build to reuse; otherwise (re)create it empty."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists and not rebuild and _finished(url):
        return True
    with psycopg.connect(server, autocommit=True) as conn:
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


def _finished(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT to_regclass('bench_meta') IS NOT NULL").fetchone()
        if not (found and found[0]):
            return False
        done = conn.execute("SELECT bool_and(finished) FROM bench_meta").fetchone()
        return bool(done and done[0])


# --- Building ----------------------------------------------------------------------------


def insert_select(model, columns: dict[str, str], source: str, params: Iterable = ()) -> int:
    """INSERT INTO model's table SELECT ... FROM `source`: `columns` maps column names to SQL
    expressions (with no placeholders: `params` are the source's); every other column gets
    the model field's default, so a field added later with a default needs no change here."""
    from django.db import connection

    names, expressions, values = [], [], []
    for f in model._meta.concrete_fields:
        if f.column in columns:
            names.append(f.column)
            expressions.append(columns[f.column])
            continue
        if f.primary_key:
            continue
        default = f.get_default()
        if default is None:
            if not f.null:
                raise ValueError(f"{model.__name__}.{f.name} needs a value")
            continue
        names.append(f.column)
        expressions.append("%s")
        values.append(f.get_db_prep_save(default, connection))
    unknown = set(columns) - set(names)
    if unknown:
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(names)}) '
        f"SELECT {', '.join(expressions)} {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *params])
        return cursor.rowcount


def sql(statement: str, params: Iterable = ()) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def progress(label: str, done: int, total: int) -> None:
    print(f"\r  {label}: {done:,} of {total:,} ({100 * done // total}%)", end="", flush=True)
    if done >= total:
        print()


def build(size: int) -> None:
    """Everything a sweep reads, for `size` mentees."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from mentoring.models import (
        AgreedAction,
        CadenceAgreement,
        MentoringSession,
        MentorProfile,
        SessionFeedback,
    )
    from playbooks.models import Activity, Completion, PersonalTarget, Playbook, Section
    from playbooks.models.playbook import TemplateSection
    from programmes.models import (
        Membership,
        Notification,
        NotificationSettings,
        Pairing,
        Phase,
        PhaseProgress,
        PhaseTransition,
        Programme,
    )
    from programmes.services.programme import create_programme

    User = get_user_model()
    started = time.perf_counter()
    print(f"building {size:,} mentees")
    call_command("migrate", verbosity=0)
    sql("DROP TABLE IF EXISTS bench_meta")
    sql("CREATE TABLE bench_meta (anchor timestamptz NOT NULL, finished boolean NOT NULL)")
    anchor = timezone.now().replace(minute=0, second=0, microsecond=0)
    sql("INSERT INTO bench_meta VALUES (%s, false)", [anchor])
    at = f"'{anchor.isoformat()}'::timestamptz"  # written into the SQL: see insert_select
    sent = f"{at} - (3 + mod(bench_h(m.i, 17), 25)) * interval '1 day'"
    # A repeatable spread of 0..999 for mentee `i` and a salt, instead of random().
    sql(
        """CREATE OR REPLACE FUNCTION bench_h(i bigint, salt int) RETURNS int
           LANGUAGE sql IMMUTABLE PARALLEL SAFE
           AS $$ SELECT mod(mod(i * 2654435761 + salt * 97531, 2147483647), 1000)::int $$"""
    )

    cohorts = -(-size // COHORT)
    for n in range(cohorts):
        lead = User.objects.create_user(email=f"lead{n}@bench.test", name=f"Lead {n}")
        create_programme(name=f"Cohort {n}", by=lead, status=Programme.Status.ACTIVE)
    programmes = list(Programme.objects.order_by("pk").values_list("pk", flat=True))
    sql("DROP TABLE IF EXISTS bench_programme, bench_phase, bench_activity, bench_section")
    sql("CREATE UNLOGGED TABLE bench_programme (n int PRIMARY KEY, id bigint, slug text)")
    for n, pk in enumerate(programmes):
        sql("INSERT INTO bench_programme SELECT %s, id, slug FROM programmes_programme "
            "WHERE id = %s", [n, pk])  # fmt: skip
    sql(
        """CREATE UNLOGGED TABLE bench_phase AS
           SELECT p.n, (row_number() OVER (PARTITION BY p.n ORDER BY ph.position) - 1)::int AS k,
                  ph.id, ph.name, coalesce(ph.expected_weeks, 8) AS weeks
           FROM bench_programme p JOIN programmes_phase ph ON ph.programme_id = p.id"""
    )
    sql(
        """CREATE UNLOGGED TABLE bench_activity AS
           SELECT p.n, (row_number() OVER (PARTITION BY p.n ORDER BY a.position) - 1)::int AS k,
                  a.id
           FROM bench_programme p JOIN playbooks_activity a ON a.programme_id = p.id"""
    )
    sql(
        """CREATE UNLOGGED TABLE bench_section AS
           SELECT p.n, (row_number() OVER (PARTITION BY p.n ORDER BY t.position) - 1)::int AS k,
                  t.id
           FROM bench_programme p JOIN playbooks_templatesection t ON t.programme_id = p.id"""
    )
    phases = Phase.objects.filter(programme_id=programmes[0]).count()
    activities = Activity.objects.filter(programme_id=programmes[0]).count()
    sections = TemplateSection.objects.filter(programme_id=programmes[0]).count()
    assert phases == 5 and activities and sections, (phases, activities, sections)

    # Mentors: MENTORS_PER_COHORT per programme, with ids fixed ahead so that every later
    # row can name its mentee's mentor by arithmetic.
    u0, m0 = next_id(User), next_id(Membership)
    mentors = cohorts * MENTORS_PER_COHORT
    source = "FROM generate_series(0, %s) AS g(i) JOIN bench_programme p ON p.n = g.i / " + str(
        MENTORS_PER_COHORT
    )
    with transaction.atomic():
        insert_select(
            User,
            {
                "id": f"{u0} + i",
                "email": "'mentor' || i || '@bench.test'",
                "name": "'Mentor ' || i",
                "password": "'!'",
                "date_joined": f"{at} - interval '400 days'",
            },
            source,
            [mentors - 1],
        )
        insert_select(
            Membership,
            {
                "id": f"{m0} + i",
                "user_id": f"{u0} + i",
                "programme_id": "p.id",
                "role": "'mentor'",
                "joined_at": f"{at} - interval '400 days'",
            },
            source,
            [mentors - 1],
        )
        insert_select(
            MentorProfile,
            {"membership_id": f"{m0} + i", "capacity": "50"},
            source,
            [mentors - 1],
        )

    # Each mentee's shape, decided once: the rows below read it.
    u1, m1 = u0 + mentors, m0 + mentors
    ids = {
        "user": u1,
        "membership": m1,
        "pairing": next_id(Pairing),
        "agreement": next_id(CadenceAgreement),
        "playbook": next_id(Playbook),
    }
    sql("DROP TABLE IF EXISTS bench_mentee")
    sql(
        f"""CREATE UNLOGGED TABLE bench_mentee AS
        SELECT i, p.n AS programme_n, p.id AS programme_id,
            {ids["user"]} + i AS user_id,
            {ids["membership"]} + i AS membership_id,
            {ids["pairing"]} + i AS pairing_id,
            {ids["agreement"]} + i AS agreement_id,
            {ids["playbook"]} + i AS playbook_id,
            {m0} + p.n * {MENTORS_PER_COHORT} + mod(i, {MENTORS_PER_COHORT}) AS mentor_id,
            {u0} + p.n * {MENTORS_PER_COHORT} + mod(i, {MENTORS_PER_COHORT}) AS mentor_user_id,
            c.cadence, c.gap,
            ph.k AS phase_k,
            bench_h(i, 1) < 50 AS operationalised,
            bench_h(i, 2) < 20 AS paused,
            bench_h(i, 3) >= 100 AS keeps_last_active,
            5 + mod(bench_h(i, 4), 11) AS sessions,
            20 + mod(bench_h(i, 5), 41) AS completions,
            -- How far behind their own rhythm they are: most on pace, a tail far behind.
            (c.gap * (0.1 + power(bench_h(i, 6) / 1000.0, 3) * 4))::int AS silent_days,
            {at} - (150 + mod(bench_h(i, 7), 200)) * interval '1 day' AS joined_at,
            (ARRAY['Europe/London', 'Europe/London', 'Asia/Tokyo', 'America/New_York'])
                [1 + mod(i, 4)] AS time_zone
        FROM generate_series(0, %s) AS g(i)
        JOIN bench_programme p ON p.n = g.i / {COHORT}
        CROSS JOIN LATERAL (
            SELECT (ARRAY['weekly', 'fortnightly', 'monthly', 'weekly', 'fortnightly',
                          'when_needed', 'fortnightly', 'monthly'])[1 + mod(i, 8)] AS cadence
        ) AS raw
        CROSS JOIN LATERAL (
            SELECT raw.cadence,
                   CASE raw.cadence WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14
                                    WHEN 'monthly' THEN 30 ELSE 21 END AS gap
        ) AS c
        CROSS JOIN LATERAL (
            SELECT CASE WHEN bench_h(i, 8) < 100 THEN 0 WHEN bench_h(i, 8) < 250 THEN 1
                        WHEN bench_h(i, 8) < 450 THEN 2 WHEN bench_h(i, 8) < 850 THEN 3
                        ELSE 4 END AS k
        ) AS ph""",
        [size - 1],
    )
    sql("CREATE UNIQUE INDEX ON bench_mentee (i)")
    sql("ANALYZE bench_mentee")
    s0, a0 = next_id(MentoringSession), next_id(AgreedAction)
    # A session's id is s0 + i * 16 + k, its k-th most recent; so is its agreed action's.
    session_source = (
        "FROM bench_mentee m JOIN generate_series(0, 15) AS s(k) ON s.k < m.sessions "
        "JOIN bench_phase ph ON ph.n = m.programme_n AND ph.k = m.phase_k "
        f"CROSS JOIN LATERAL (SELECT {at} - (m.silent_days + s.k * m.gap "
        "  + mod(bench_h(m.i * 16 + s.k, 9), 5) - 2) * interval '1 day' AS held_at) AS h "
        "WHERE m.i BETWEEN %s AND %s"
    )
    day = f"{at}::date"

    def chunk(a: int, b: int) -> None:
        window = "FROM bench_mentee m WHERE m.i BETWEEN %s AND %s"
        insert_select(
            User,
            {
                "id": "m.user_id",
                "email": "'mentee' || m.i || '@bench.test'",
                "name": "'Mentee ' || m.i",
                "password": "'!'",
                "time_zone": "m.time_zone",
                "date_joined": "m.joined_at",
            },
            window,
            [a, b],
        )
        insert_select(
            Membership,
            {
                "id": "m.membership_id",
                "user_id": "m.user_id",
                "programme_id": "m.programme_id",
                "role": "'mentee'",
                "joined_at": "m.joined_at",
                "current_phase_id": "CASE WHEN m.operationalised THEN NULL ELSE ph.id END",
                # Most are within their phase's planned length; some are well over it.
                "phase_started_at": "CASE WHEN m.operationalised THEN NULL ELSE "
                f"{at} - (3 + mod(bench_h(m.i, 10), ph.weeks * 9)) * interval '1 day' END",
                "operationalised_at": "CASE WHEN m.operationalised THEN "
                f"{at} - (5 + mod(bench_h(m.i, 10), 60)) * interval '1 day' END",
                "paused_until": f"CASE WHEN m.paused THEN {day} + 10 END",
                "last_active_at": "CASE WHEN m.keeps_last_active THEN "
                f"{at} - m.silent_days * interval '1 day' END",
                "pace_due_at": at,
            },
            "FROM bench_mentee m JOIN bench_phase ph ON ph.n = m.programme_n AND ph.k = m.phase_k "
            "WHERE m.i BETWEEN %s AND %s",
            [a, b],
        )
        insert_select(
            PhaseProgress,
            {
                "membership_id": "m.membership_id",
                "phase_id": "ph.id",
                "status": "CASE WHEN ph.k < m.phase_k OR m.operationalised THEN 'complete' "
                "WHEN ph.k = m.phase_k THEN 'in_progress' ELSE 'not_started' END",
                "started_at": "CASE WHEN ph.k <= m.phase_k OR m.operationalised "
                "THEN m.joined_at + ph.k * interval '20 days' END",
                "completed_at": "CASE WHEN ph.k < m.phase_k OR m.operationalised "
                "THEN m.joined_at + (ph.k + 1) * interval '20 days' END",
            },
            "FROM bench_mentee m JOIN bench_phase ph ON ph.n = m.programme_n "
            "WHERE m.i BETWEEN %s AND %s",
            [a, b],
        )
        insert_select(
            PhaseTransition,
            {
                "membership_id": "m.membership_id",
                "kind": "CASE WHEN ph.k = 0 THEN 'joined' ELSE 'advanced' END",
                "from_phase_id": "prev.id",
                "from_name": "coalesce(prev.name, '')",
                "to_phase_id": "ph.id",
                "to_name": "ph.name",
                "note": "''",
                "at": "m.joined_at + ph.k * interval '20 days'",
            },
            "FROM bench_mentee m JOIN bench_phase ph ON ph.n = m.programme_n "
            "AND (ph.k <= m.phase_k OR m.operationalised) "
            "LEFT JOIN bench_phase prev ON prev.n = m.programme_n AND prev.k = ph.k - 1 "
            "WHERE m.i BETWEEN %s AND %s",
            [a, b],
        )
        insert_select(
            Pairing,
            {
                "id": "m.pairing_id",
                "programme_id": "m.programme_id",
                "mentor_id": "m.mentor_id",
                "mentee_id": "m.membership_id",
                "started_at": "m.joined_at + interval '3 days'",
                "end_reason": "''",
            },
            window,
            [a, b],
        )
        insert_select(
            CadenceAgreement,
            {
                "id": "m.agreement_id",
                "pairing_id": "m.pairing_id",
                "cadence": "m.cadence",
                "channel": "'video'",
                "status": "'accepted'",
                "proposed_by_id": "m.mentor_user_id",
                "proposed_at": "m.joined_at + interval '4 days'",
                "answered_by_id": "m.user_id",
                "answered_at": "m.joined_at + interval '5 days'",
            },
            window,
            [a, b],
        )
        insert_select(
            MentoringSession,
            {
                "id": f"{s0} + m.i * 16 + s.k",
                "pairing_id": "m.pairing_id",
                "programme_id": "m.programme_id",
                "mentee_id": "m.membership_id",
                "mentor_id": "m.mentor_id",
                "status": "'logged'",
                "held_at": "h.held_at",
                "minutes": "45",
                "channel": "'video'",
                "phase_id": "ph.id",
                "topics": "'What we talked about'",
                "next_session_on": "(h.held_at + m.gap * interval '1 day')::date",
                "created_at": "h.held_at",
                "updated_at": "h.held_at",
                "logged_at": "h.held_at",
                "version": "1",
            },
            session_source,
            [a, b],
        )
        insert_select(
            AgreedAction,
            {
                "id": f"{a0} + m.i * 16 + s.k",
                "session_id": f"{s0} + m.i * 16 + s.k",
                "mentee_id": "m.membership_id",
                "text": "'Do the thing we agreed'",
                "owner": "'mentee'",
                "due_on": "(h.held_at + m.gap * interval '1 day')::date",
                # The newest session's action is still open (often overdue); the rest done.
                "done_at": "CASE WHEN s.k > 0 THEN h.held_at + interval '3 days' END",
            },
            session_source,
            [a, b],
        )
        insert_select(
            SessionFeedback,
            {
                "session_id": f"{s0} + m.i * 16 + s.k",
                "rating": "4",
                "frequency": "(ARRAY['', 'right', 'right', 'more', 'less'])"
                "[1 + mod(bench_h(m.i * 16 + s.k, 11), 5)]",
                "answered_at": "h.held_at + interval '1 day'",
            },
            session_source + " AND bench_h(m.i * 16 + s.k, 12) < 600",
            [a, b],
        )
        insert_select(
            Completion,
            {
                "activity_id": "act.id",
                "membership_id": "m.membership_id",
                "done_on": f"{day} - (m.silent_days + c.k * 2 "
                "+ mod(bench_h(m.i * 64 + c.k, 13), 2))",
                "created_at": f"{at} - (m.silent_days + c.k * 2) * interval '1 day'",
            },
            "FROM bench_mentee m JOIN generate_series(0, 63) AS c(k) ON c.k < m.completions "
            "JOIN bench_activity act ON act.n = m.programme_n "
            f"AND act.k = mod(c.k, {activities}) "
            "WHERE m.i BETWEEN %s AND %s",
            [a, b],
        )
        insert_select(
            PersonalTarget,
            {"membership_id": "m.membership_id", "per_week": "1 + mod(bench_h(m.i, 14), 3)"},
            window + " AND bench_h(m.i, 15) < 500",
            [a, b],
        )
        insert_select(
            Playbook,
            {
                "id": "m.playbook_id",
                "membership_id": "m.membership_id",
                "created_at": "m.joined_at",
            },
            window,
            [a, b],
        )
        insert_select(
            Section,
            {
                "playbook_id": "m.playbook_id",
                "template_section_id": "t.id",
                "body": "''",
                # Mentees past the playbook phase wrote everything; those in it, some of it.
                "status": "CASE WHEN m.phase_k > 2 OR m.operationalised THEN 'complete' "
                "WHEN m.phase_k < 2 THEN 'not_started' "
                "WHEN t.k < mod(bench_h(m.i, 16), 4) THEN 'ready' "
                "WHEN t.k = mod(bench_h(m.i, 16), 4) THEN 'drafting' ELSE 'not_started' END",
                "updated_at": "CASE WHEN m.phase_k >= 2 OR m.operationalised "
                f"THEN {at} - (m.silent_days + t.k * 4) * interval '1 day' END",
                "status_changed_at": "CASE WHEN m.phase_k >= 2 OR m.operationalised "
                f"THEN {at} - (m.silent_days + t.k * 4) * interval '1 day' END",
            },
            "FROM bench_mentee m JOIN bench_section t ON t.n = m.programme_n "
            "WHERE m.i BETWEEN %s AND %s",
            [a, b],
        )
        # One nudge in the past few weeks each, some acted on: caps and back-off have
        # history to read.
        insert_select(
            Notification,
            {
                "recipient_id": "m.user_id",
                "kind": "'session_due'",
                "period": "m.membership_id || ':' || "
                f"({day} - 3 - mod(bench_h(m.i, 17), 25))::text",
                "programme_id": "m.programme_id",
                "about_id": "m.membership_id",
                "title": "'Time to meet your mentor again'",
                "body": "''",
                "reason": "''",
                "link": "''",
                "created_at": sent,
                "visible_from": sent,
                "email_after": sent,
                "email_status": "'sent'",
                "acted_at": f"CASE WHEN bench_h(m.i, 18) < 400 THEN {sent} + interval '1 day' END",
            },
            window + " AND bench_h(m.i, 19) < 700",
            [a, b],
        )
        insert_select(
            NotificationSettings,
            {
                "user_id": "m.user_id",
                "delivery": "'both'",
                "quiet_from": "time '22:00'",
                "quiet_until": "time '07:00'",
                "snoozed_until": f"CASE WHEN bench_h(m.i, 20) < 200 THEN {day} + 5 END",
                "muted_kinds": "CASE WHEN bench_h(m.i, 21) < 300 "
                "THEN '[\"next_step\"]'::jsonb ELSE '[]'::jsonb END",
                "updated_at": "m.joined_at",
            },
            window + " AND bench_h(m.i, 22) < 100",
            [a, b],
        )

    # Rows are written in the right order with ids that exist; checking each foreign key
    # row by row would only make building slower.
    sql("SET session_replication_role = replica")
    for a in range(0, size, CHUNK):
        b = min(a + CHUNK, size) - 1
        with transaction.atomic():
            chunk(a, b)
        progress("mentees written", b + 1, size)
    sql("SET session_replication_role = DEFAULT")
    for model in (
        User,
        Membership,
        Pairing,
        CadenceAgreement,
        MentoringSession,
        AgreedAction,
        Playbook,
    ):
        table = model._meta.db_table
        sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    print("  VACUUM ANALYZE (what autovacuum does to settled tables)", flush=True)
    sql("VACUUM ANALYZE")
    sql("UPDATE bench_meta SET finished = true")
    connection.close()
    print(f"  built in {time.perf_counter() - started:.0f} s")


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
            cursor.execute(f"SELECT count(*) FROM {table}")
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

    from mentoring.services import pace
    from mentoring.services.pace import sweep

    stages = _timed_stages(pace)
    with connection.cursor() as cursor:
        cursor.execute("SELECT anchor FROM bench_meta")
        anchor = cursor.fetchone()[0]
        cursor.execute("SELECT 1 FROM programmes_membership LIMIT 1")  # connect first
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = sweep(now=anchor)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak / 1024,
                "before_mb": before / 1024,
                "judged": result.judged,
                "nudges": result.nudges,
                "by_status": dict(result.by_status),
                "stages": stages,
            }
        )
    )


def _timed_stages(module) -> dict[str, float]:
    """Wrap the sweep's stages in `module` with timers: where the seconds go."""
    stages: dict[str, float] = {}

    def timer(original, label: str):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                stages[label] = stages.get(label, 0.0) + time.perf_counter() - started

        return timed

    for name in ("due_ids", "gather", "plan", "_store", "record"):
        setattr(module, name, timer(getattr(module, name), name.strip("_")))
    return stages


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
        )
        lines.append((size, figures))
    for size, figures in lines:
        if size >= 100_000:
            ok = figures["seconds"] <= GOAL_SECONDS and figures["peak_mb"] < GOAL_MB
            verdict = "meets" if ok else "MISSES"
            print(f"{verdict} the goal: 100,000 mentees in ≤ {GOAL_SECONDS:.0f} s, < {GOAL_MB} MB")


if __name__ == "__main__":
    main()

"""Large PostgreSQL datasets for the benchmarks, written fast with set-based SQL.

`build(size)` fills an empty, migrated database with `size` mentees in programmes of
`COHORT` (programme n holds mentees i with i // COHORT == n; the last one may be smaller),
with the demo's density of history: an agreed cadence each, about 10 logged sessions (an
agreed action and often the mentee's answers with each), about 40 activity completions, a
playbook, a phase history, a past nudge, and pairings with `MENTORS_PER_COHORT` mentors per
full programme (fewer in a smaller last one, so that every mentor has about ten partners).
Every row is written with INSERT ... SELECT on the server from a few helper tables
(`bench_mentee`, `bench_programme`, ...) that stay in the database for later steps to read.

`ensure_database(url, rebuild=...)` says whether a finished build is there to reuse.
Used by `pace_sweep.py` (`make bench-sweep`) and `pages.py` (`make bench`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

COHORT = 2000  # mentees per programme
MENTORS_PER_COHORT = 200
CHUNK = 5000  # mentees written per transaction, between progress reports


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
        if not (done and done[0]):
            return False
        # Built before the code's latest migration: built again, rather than failing on a
        # column the build did not have.
        applied = set(conn.execute("SELECT app, name FROM django_migrations").fetchall())
    here = Path(__file__).resolve().parents[1]
    return {(m.parent.parent.name, m.stem) for m in here.glob("*/migrations/0*.py")} <= applied


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


def build(size: int, *, then: Callable[[], None] | None = None) -> None:
    """Everything a sweep reads, for `size` mentees. `then` adds more (in the same build,
    before the final VACUUM ANALYZE and before the build counts as finished)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models.expressions import RawSQL
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
    from playbooks.services.playbook import summarise
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
    sql(
        "CREATE UNLOGGED TABLE bench_programme "
        "(n int PRIMARY KEY, id bigint, slug text, mentors int)"
    )
    for n, pk in enumerate(programmes):
        # A smaller last programme gets fewer mentors: about ten partners each everywhere.
        mentees = min(COHORT, size - n * COHORT)
        mentors = max(1, -(-mentees * MENTORS_PER_COHORT // COHORT))
        sql("INSERT INTO bench_programme SELECT %s, id, slug, %s FROM programmes_programme "
            "WHERE id = %s", [n, mentors, pk])  # fmt: skip
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

    # Mentors: MENTORS_PER_COHORT ids per programme (bench_programme.mentors of them used),
    # fixed ahead so that every later row can name its mentee's mentor by arithmetic.
    u0, m0 = next_id(User), next_id(Membership)
    mentors = cohorts * MENTORS_PER_COHORT
    source = (
        "FROM generate_series(0, %s) AS g(i) "
        f"JOIN bench_programme p ON p.n = g.i / {MENTORS_PER_COHORT} "
        f"WHERE mod(g.i, {MENTORS_PER_COHORT}) < p.mentors"
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
            {m0} + p.n * {MENTORS_PER_COHORT} + mod(i, p.mentors) AS mentor_id,
            {u0} + p.n * {MENTORS_PER_COHORT} + mod(i, p.mentors) AS mentor_user_id,
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
        ) AS ph""",  # nosec B608 # ids, constants and a timestamp we made, no input
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
        # Where each playbook's sections stand, as the services keep it.
        chunk_playbooks = RawSQL(
            "SELECT playbook_id FROM bench_mentee WHERE i BETWEEN %s AND %s", [a, b]
        )
        summarise(Playbook.objects.filter(pk__in=chunk_playbooks))
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
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # nosec B608 # a model's table name
        )
    if then is not None:
        then()
    print("  VACUUM ANALYZE (what autovacuum does to settled tables)", flush=True)
    sql("VACUUM ANALYZE")
    sql("UPDATE bench_meta SET finished = true")
    connection.close()
    print(f"  built in {time.perf_counter() - started:.0f} s")


def add_page_history() -> None:
    """What the pages show beyond what a sweep reads, for `build(size, then=...)`: the
    mentor's guideline self-checks in every logged session, written playbook sections, an
    engagement preference each, the business strategy with pillars and the mentees' themes
    mapped onto them, baseline and follow-up self-assessments, the mentee's answer to "a good
    way to meet?", and one pace sweep (the verdicts the dashboard and People page rank by,
    and its nudges)."""
    from django.db import connection, transaction

    from mentoring.models import EngagementPreference, GuidelineCheck
    from mentoring.services import tally
    from mentoring.services.pace import sweep
    from playbooks.models import BusinessStrategy, StrategyPillar, ThemeMapping
    from programmes.models import AssessmentAnswer, AssessmentResponse, Programme

    with connection.cursor() as cursor:
        cursor.execute("SELECT anchor FROM bench_meta")
        anchor = cursor.fetchone()[0]
    at = f"'{anchor.isoformat()}'::timestamptz"
    print("  adding what the pages show", flush=True)
    with transaction.atomic():
        insert_select(
            GuidelineCheck,
            {
                "session_id": "s.id",
                "guideline_id": "g.id",
                "answer": "(ARRAY['yes', 'yes', 'yes', 'partly', 'partly', 'no', ''])"
                "[1 + mod(bench_h(s.id, g.position), 7)]",
                "note": "CASE WHEN bench_h(s.id, 30 + g.position) < 100 "
                "THEN 'Could have listened more' ELSE '' END",
            },
            "FROM mentoring_mentoringsession s JOIN mentoring_guideline g "
            "ON g.programme_id = s.programme_id AND g.archived_at IS NULL "
            "WHERE s.status = 'logged'",
        )
        sql(
            "UPDATE playbooks_section SET version = 3, body = repeat("
            "'What I want to be known for, who I write for and how often I post. ', 8) "
            "|| E'\\n\\n- one thing I tried\\n- what happened\\n- what I do next' "
            "WHERE status <> 'not_started'"
        )
        sql(
            "UPDATE mentoring_sessionfeedback SET good_way_to_meet = "
            "bench_h(session_id, 23) < 850 WHERE frequency <> ''"
        )
        insert_select(
            EngagementPreference,
            {
                "membership_id": "m.membership_id",
                "channels": '(ARRAY[\'["video"]\', \'["video", "chat"]\', \'["in_person"]\'])'
                "[1 + mod(m.i, 3)]::jsonb",
                "cadence": "m.cadence",
                "time_zone": "m.time_zone",
                "created_at": "m.joined_at + interval '2 days'",
            },
            "FROM bench_mentee m",
        )
        insert_select(
            BusinessStrategy,
            {
                "programme_id": "p.id",
                "summary": "'Be the firm people think of first for practical advice.'",
                "audiences": "'Owners of small firms; people who might join us.'",
                "platforms": "'LinkedIn weekly; a newsletter monthly.'",
                "key_messages": "'We explain; we do not sell.'",
                "updated_at": at,
            },
            "FROM bench_programme p",
        )
        insert_select(
            StrategyPillar,
            {
                "programme_id": "p.id",
                "position": "k",
                "name": "(ARRAY['Expertise', 'People', 'Clients', 'Community'])[k]",
                "description": "''",
                "created_at": at,
            },
            "FROM bench_programme p CROSS JOIN generate_series(1, 4) AS k",
        )
        # Mentees from the integration phase on have mapped two themes each, most onto a
        # pillar, a few onto none yet.
        insert_select(
            ThemeMapping,
            {
                "membership_id": "m.membership_id",
                "theme": "(ARRAY['What I know', 'How I help'])[t]",
                "pillar_id": "CASE WHEN bench_h(m.i, 24 + t) < 900 THEN sp.id END",
                "how_it_fits": "'It is what clients ask us about.'",
                "created_at": "m.joined_at + interval '60 days'",
                "updated_at": "m.joined_at + interval '60 days'",
            },
            "FROM bench_mentee m CROSS JOIN generate_series(1, 2) AS t "
            "JOIN playbooks_strategypillar sp ON sp.programme_id = m.programme_id "
            "AND sp.position = 1 + mod(bench_h(m.i, 26) + t, 4) "
            "WHERE m.phase_k >= 3 OR m.operationalised",
        )
        # Everyone answered the baseline; those from the integration phase on, the follow-up.
        insert_select(
            AssessmentResponse,
            {
                "membership_id": "m.membership_id",
                "kind": "r.kind",
                "status": "'submitted'",
                "created_at": "m.joined_at + r.days * interval '1 day'",
                "updated_at": "m.joined_at + r.days * interval '1 day'",
                "submitted_at": "m.joined_at + r.days * interval '1 day'",
            },
            "FROM bench_mentee m CROSS JOIN (VALUES ('baseline', 4), ('follow_up', 120)) "
            "AS r(kind, days) WHERE r.kind = 'baseline' OR m.phase_k >= 3 OR m.operationalised",
        )
        insert_select(
            AssessmentAnswer,
            {
                "response_id": "r.id",
                "question_id": "q.id",
                "score": "least(5, 1 + mod(bench_h(r.id, q.position), 3) "
                "+ CASE WHEN r.kind = 'follow_up' THEN 2 ELSE 0 END)",
                "text": "''",
            },
            "FROM programmes_assessmentresponse r "
            "JOIN programmes_membership mm ON mm.id = r.membership_id "
            "JOIN programmes_assessmentquestion q ON q.programme_id = mm.programme_id "
            "AND q.kind = 'scale'",
        )
        # The dashboard's monthly tallies of the feedback and self-checks written above
        # (the services keep them as people answer; these rows were inserted directly).
        for programme in Programme.objects.all():
            tally.rebuild(programme)
    sql("ANALYZE")
    started = time.perf_counter()
    result = sweep(now=anchor)
    print(
        f"  one pace sweep: {result.judged:,} judged, {result.nudges:,} nudges "
        f"in {time.perf_counter() - started:.1f} s"
    )

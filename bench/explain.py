"""Which queries read rows of the other programme: every page's SQL under EXPLAIN ANALYZE.

Run: make bench-explain   (or .venv/bin/python -m bench.explain [--pages dashboard,csv])

Issues 10 and 13 ask that, on the bench data, the 200-mentee programme's pages do not scan
the 2,000-mentee programme's rows: an index that matches the query reads the small
programme's rows only, and its cost does not grow with the size of the installation.

For each page of `make bench` (bench/pages.py, same data in `mentoring_bench_pages`, built
by `make bench` first), this loads the page in this process as its role, once for each
programme, with the figures' cache off (a cold page), captures its queries, and runs each
SELECT again under `EXPLAIN (ANALYZE, FORMAT JSON)`. It sums the rows each query reads from
tables: every scan node's rows returned plus the rows its filter removed, times its loops.

A query is flagged when, for the 200-mentee programme, it reads more than `--floor` rows
(a constant handful is fine) and more than a fifth of what the same query reads for the
2,000-mentee one: a query scoped to its programme reads about a tenth. Each flagged query
is printed with its plan's scans, so the missing index shows. Nothing is written, except
the sessions of the people it signs in (cleared as in `make bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages import (  # noqa: E402
    DEFAULT_DATABASE,
    Cast,
    Page,
    _client,
    _exports,
    _pages,
    _selected,
    typical_people,
)
from bench.server import collectstatic, environment  # noqa: E402

SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan"}
SHARE = 0.2  # a query scoped to its programme reads about 0.1 of the larger one's rows


@dataclass
class Read:
    """One query's rows read, in all and per table, and its scans as lines of text."""

    sql: str
    rows: int = 0
    ms: float = 0.0  # its execution time under EXPLAIN ANALYZE
    tables: dict[str, int] = field(default_factory=dict)
    scans: list[str] = field(default_factory=list)


def _walk(node: dict[str, Any], read: Read) -> None:
    if node.get("Node Type") in SCANS:
        loops = node.get("Actual Loops", 1) or 1
        rows = (
            node.get("Actual Rows", 0)
            + node.get("Rows Removed by Filter", 0)
            + node.get("Rows Removed by Index Recheck", 0)
        ) * loops
        table = node.get("Relation Name", "?")
        read.rows += int(rows)
        read.tables[table] = read.tables.get(table, 0) + int(rows)
        how = node["Node Type"] + (f" using {node['Index Name']}" if "Index Name" in node else "")
        read.scans.append(f"{how} on {table}: {int(rows):,} rows read")
    for child in node.get("Plans", []):
        _walk(child, read)


def explain(sql: str, params: Any) -> Read:
    from django.db import connection

    read = Read(sql=sql)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    read.ms = float(plan[0].get("Execution Time", 0.0))
    _walk(plan[0]["Plan"], read)
    for sub in plan[0].get("Plans", []):
        _walk(sub, read)
    return read


def page_reads(client, url: str) -> tuple[int, list[Read]]:
    """Loads `url` with the figures' cache off and explains each SELECT it ran."""
    from django.db import DatabaseError, connection, transaction
    from django.test.utils import CaptureQueriesContext, override_settings

    cold = override_settings(DASHBOARD_CACHE_SECONDS=0)
    with cold, CaptureQueriesContext(connection) as captured:
        response = client.get(url, secure=True)
        if response.streaming:
            b"".join(response.streaming_content)
    reads = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        # The captured SQL has its parameters inlined: it runs again as it was sent.
        try:
            with transaction.atomic():
                reads.append(explain(sql, None))
        except DatabaseError as error:  # a query that can't be replayed is shown, not hidden
            reads.append(Read(sql=sql, scans=[f"could not explain: {error}"]))
    return response.status_code, reads


def _casts() -> list[Cast]:
    """The people of each programme, as `make bench` picks them, without writing a draft:
    the log form's page uses a draft the mentor already has, if any."""
    from mentoring.models import MentoringSession, SessionStatus
    from playbooks.models import Section

    casts = []
    for n in (1, 0):  # 200 mentees, then 2,000
        mentee, mentor, lead, size, slug = typical_people(n)
        section = (
            Section.objects.filter(playbook__membership=mentee)
            .exclude(body="")
            .order_by("pk")
            .first()
        )
        draft = MentoringSession.objects.filter(
            pairing__mentor=mentor, status=SessionStatus.DRAFT
        ).first()
        casts.append(
            Cast(
                size=size,
                slug=slug,
                emails={"mentee": mentee.user.email, "mentor": mentor.user.email}
                | {"lead": lead.user.email},
                mentee=mentee.pk,
                mentor=mentor.pk,
                phase=mentee.current_phase_id or 0,
                section=section.pk if section else 0,
                draft=draft.pk if draft else 0,
                partners=[],
            )
        )
    return casts


def _flagged(small: Read, large: Read | None, floor: int) -> bool:
    if small.rows <= floor:
        return False
    return large is None or small.rows > SHARE * max(large.rows, 1)


def report(page: Page, casts: list[Cast], floor: int, top: int = 0) -> list[str]:
    found: list[tuple[int, list[Read]]] = []
    for cast in casts:
        client = _client(cast.emails[page.role])
        try:
            url = page.url(cast)
        except Exception as error:
            return [f"{page.name}: no address ({error})"]
        found.append(page_reads(client, url))
    (status_small, small), (status_large, large) = found
    total_small, total_large = sum(r.rows for r in small), sum(r.rows for r in large)
    ratio = total_small / total_large if total_large else 0.0
    ms_small, ms_large = sum(r.ms for r in small), sum(r.ms for r in large)
    lines = [
        f"{page.name}: {len(small)} SELECTs; rows read {total_small:,} at {casts[0].size:,}"
        f" and {total_large:,} at {casts[1].size:,} (ratio {ratio:.2f});"
        f" SQL {ms_small:.1f} ms and {ms_large:.1f} ms"
        + ("" if status_small == status_large == 200 else f"; status {status_small}")
    ]
    for i, read in enumerate(small):
        other = large[i] if i < len(large) else None
        if _flagged(read, other, floor):
            lines.append(
                f"  FLAG query {i + 1}: {read.rows:,} rows at {casts[0].size:,}"
                f" against {other.rows if other else 0:,} at {casts[1].size:,}"
                f" ({read.ms:.1f} ms)"
            )
            lines.append(f"    {read.sql[:300]}")
            lines.extend(f"    {scan}" for scan in read.scans)
    for read in sorted(large, key=lambda r: -r.ms)[:top]:  # the slowest at the larger size
        lines.append(f"  SLOW at {casts[1].size:,}: {read.ms:.1f} ms, {read.rows:,} rows read")
        lines.append(f"    {read.sql[:300]}")
        lines.extend(f"    {scan}" for scan in read.scans)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="", help="only pages whose name has one of these")
    parser.add_argument("--floor", type=int, default=1000, help="rows a query may always read")
    parser.add_argument("--top", type=int, default=0, help="show each page's N slowest queries")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--var-dir", default="/tmp/mentoring-bench-explain")  # nosec B108 # local bench
    args = parser.parse_args()
    env = environment(database_url=args.database_url, redis_url="", var_dir=args.var_dir)
    os.environ.clear()
    os.environ.update(env)
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    collectstatic(env)  # production settings serve hashed names: the pages need the manifest
    import django

    django.setup()
    terms = [t.strip().lower() for t in args.pages.split(",") if t.strip()]
    casts = _casts()
    flagged = 0
    for page in _selected([*_pages(), *_exports()], terms):
        lines = report(page, casts, args.floor, args.top)
        flagged += sum(1 for line in lines if line.lstrip().startswith("FLAG"))
        print("\n".join(lines), flush=True)
    print(f"\n{flagged} queries read more of the installation than their programme")


if __name__ == "__main__":
    main()

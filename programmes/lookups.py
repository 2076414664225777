"""`among(field, ids)`: a filter for "one of these many ids" that stays cheap at thousands.

On PostgreSQL the ids travel as one array parameter (`field = ANY(%s::bigint[])`), which
the planner matches against an index in one scan, rather than as thousands of placeholders,
which cost more to build, adapt and parse than the query takes to run. Elsewhere it is a
plain `IN`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import F
from django.db.models.lookups import In, Lookup

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType


class _AnyOf(Lookup):
    """`field = ANY(%s)` with the ids as one array parameter (PostgreSQL)."""

    prepare_rhs = False

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> _AsSqlType:
        lhs, params = self.process_lhs(compiler, connection)
        # Written as an array literal: a third of the time psycopg takes to adapt a list.
        ids = "{" + ",".join(str(int(pk)) for pk in self.rhs) + "}"
        return f"{lhs} = ANY(%s::bigint[])", (*params, ids)


def among(field: str, ids: Iterable[int]) -> Lookup:
    """A filter: `field` is one of `ids`."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return _AnyOf(F(field), ids)
    return In(F(field), ids)


def array_literal(values: Iterable[Any]) -> str:
    """A PostgreSQL array literal (`{1,"two",NULL}`) to pass as one parameter and cast, e.g.
    `%s::text[]`: a third of the time psycopg takes to adapt a list, or less. Strings are
    quoted and escaped as the array syntax asks (the literal is a parameter, never SQL);
    times are written in ISO 8601 with their offset; None is NULL."""
    values = values if isinstance(values, list | tuple) else list(values)
    # A sweep writes a column of one kind at a time, thousands of values each: written
    # whole, with the joins and replaces in C, rather than value by value in Python (which
    # was most of a sweep's own CPU time). Any mix falls back to one value at a time.
    kinds = set(map(type, values))
    nulls = type(None) in kinds
    kinds.discard(type(None))
    if len(kinds) == 1:
        (kind,) = kinds
        if kind is int and not nulls:
            return "{" + ",".join(map(str, values)) + "}"
        if kind is float and not nulls:  # not through a dict: 0.0 and -0.0 are equal keys
            return "{" + ",".join(map(repr, values)) + "}"
        if issubclass(kind, str):
            if not nulls:
                written = _strings(values)
                if written is not None:
                    return written
        else:
            # Few distinct values (when it ran, when each quiet hour ends, a status): each
            # written once. One kind only, so that True and 1, equal as keys, never meet.
            distinct = {value: _element(value) for value in set(values)}
            return "{" + ",".join(map(distinct.__getitem__, values)) + "}"
    return "{" + ",".join(map(_element, values)) + "}"


def _strings(values: list[str] | tuple[str, ...]) -> str | None:
    """Strings as one literal, escaped in one pass over them all; None when one of them
    holds the separator (a NUL, which PostgreSQL's text refuses anyway)."""
    joined = "\x00".join(values)
    if joined.count("\x00") != len(values) - 1:
        return None
    escaped = joined.replace("\\", "\\\\").replace('"', '\\"')
    return '{"' + escaped.replace("\x00", '","') + '"}'


def _element(value: Any) -> str:
    # The commonest kinds first: this runs for every value of a sweep's batch.
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "NULL"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a naive datetime has no place in a timestamptz array")
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(int(value))  # int(): an IntEnum's repr is not its number
    if isinstance(value, float):
        return repr(float(value))
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no array literal for {type(value).__name__}")

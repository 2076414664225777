"""CSV downloads: cells a spreadsheet will not run as formulas, streamed in chunks.

Every table a lead downloads goes through `csv_response`, so none can forget the formula
guard, and none is sent as thousands of one-row chunks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse

# A cell starting with one of these runs as a formula in Excel, Sheets or LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 1000


def safe_cell(value: Any) -> Any:
    """`value`, with text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(cell) for cell in row])
        if n % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

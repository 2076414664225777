"""Ordered rows (phases, questions) kept as positions 1..n within their programme."""

from django.db import models


def swap_with_neighbour(siblings: models.QuerySet, item: models.Model, *, up: bool) -> bool:
    """Swap `item` with the sibling above or below it and renumber 1..n.

    `siblings` are the rows ordered together (locked by the caller). Returns False when
    there is no neighbour on that side.
    """
    rows = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            type(row).objects.filter(pk=row.pk).update(position=position)
    item.refresh_from_db()
    return True

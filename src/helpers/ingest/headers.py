"""Finding a table's header row under title rows, and naming each column's field.

A header is matched on its folded text (case, diacritics and separators ignored) against
the spec's headers, field names and synonyms, or a source system's mapping. A two-row
header with a merged parent ("Ngày" over "Tiếp nhận") is read as parent + child.
"""

from __future__ import annotations

from ..text import fold
from . import cells
from .mappings import Mapping
from .spec import Field, Table

HEADER_SCAN_ROWS = 40


def field_for(table: Table, header: object, mapping: Mapping | None) -> Field | None:
    if mapping is not None and (name := mapping.field_for(table.code, header)):
        return next((f for f in table.fields if f.name == name), None)
    key = fold(header)
    if not key:
        return None
    return next((f for f in table.fields if key in f.keys()), None)


def _headers_at(rows: list[list[object]], r: int, two_rows: bool, table: Table,
                mapping: Mapping | None) -> list[object]:
    """Header texts at row r. With ``two_rows`` the cell below names the column under a
    merged parent: the child alone ("Ngày tiếp nhận"), or parent and child together
    ("Ngày" over "Tiếp nhận"), whichever names a field; else the upper cell."""
    top = list(rows[r])
    if not two_rows:
        return top
    below = rows[r + 1] if r + 1 < len(rows) else []
    out: list[object] = []
    last = None
    for j in range(max(len(top), len(below))):
        upper = top[j] if j < len(top) else None
        lower = below[j] if j < len(below) else None
        last = upper if not cells.is_blank(upper) else last
        if cells.is_blank(lower):
            out.append(None if cells.is_blank(upper) else upper)
            continue
        combined = f"{last} {lower}" if not cells.is_blank(last) else lower
        candidates = (lower, combined)
        out.append(next((c for c in candidates if field_for(table, c, mapping)), lower))
    return out


def find_header(rows: list[list[object]], table: Table, mapping: Mapping | None
                ) -> tuple[int, bool, list[object]] | None:
    """(row index, two-row header?, header texts) of the best header row, or None."""
    best: tuple[int, int, bool, list[object]] | None = None
    for r in range(min(HEADER_SCAN_ROWS, len(rows))):
        for two in (False, True):
            if two and r + 1 >= len(rows):
                continue
            headers = _headers_at(rows, r, two, table, mapping)
            fields = {f.name for h in headers if (f := field_for(table, h, mapping))}
            score = len(fields) * 2 + len({f.name for f in table.required} & fields) * 3
            # on a tie a one-row header wins: else the blank or title row above a header,
            # read as the upper row of a two-row header, would be reported as the header row
            if fields and (best is None or score > best[0]
                           or (score == best[0] and best[2] and not two)):
                best = (score, r, two, headers)
    if best is None or best[0] < 10:
        return None
    return best[1], best[2], best[3]

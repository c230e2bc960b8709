"""Finding a table's header row under title rows, and naming each column's field.

A header is matched on its folded text (case, diacritics and separators ignored) against
the spec's headers, field names and synonyms, or a source system's mapping. A header of
two or three rows with merged parents ("Ngày" over "Tiếp nhận", or "Thời gian" over
"Ngày" over "Hẹn trả") is read as parent + child. A personal-data header never names a
field, whatever a mapping says.

``recognise`` tells which table a sheet holds from its header row alone, for exports
named by their system (``DanhSachHoSo_20251016.xlsx``, sheet ``Sheet1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import fold
from . import cells
from .mappings import Mapping
from .spec import TABLES, Field, Table, is_personal

HEADER_SCAN_ROWS = 40
MAX_HEADER_ROWS = 3
MIN_SCORE = 10


def field_for(table: Table, header: object, mapping: Mapping | None) -> Field | None:
    if cells.is_blank(header) or is_personal(header):
        return None
    if mapping is not None and (name := mapping.field_for(table.code, header)):
        return next((f for f in table.fields if f.name == name), None)
    key = fold(header)
    if not key:
        return None
    return next((f for f in table.fields if key in f.keys()), None)


def _cell(rows: list[list[object]], r: int, j: int) -> object:
    row = rows[r] if r < len(rows) else []
    return row[j] if j < len(row) else None


def _headers_at(rows: list[list[object]], r: int, depth: int, table: Table,
                mapping: Mapping | None) -> list[object]:
    """Header texts of a header starting at row r and ``depth`` rows deep. A column is
    named by its lowest cell, alone or joined with the cells above it, where a blank
    upper cell stands under the merged parent to its left; the first of these that names
    a field wins, else the lowest non-blank cell."""
    if depth == 1:
        return list(rows[r])
    width = max(len(rows[i]) for i in range(r, min(r + depth, len(rows))))
    parents: list[object] = [None] * (depth - 1)
    out: list[object] = []
    for j in range(width):
        stack = [_cell(rows, r + k, j) for k in range(depth)]
        for k in range(depth - 1):  # a merged parent runs on to the right over blanks
            if not cells.is_blank(stack[k]):
                parents[k] = stack[k]
                for deeper in range(k + 1, depth - 1):
                    parents[deeper] = None
        filled = [k for k, v in enumerate(stack) if not cells.is_blank(v)]
        if not filled:
            out.append(None)
            continue
        low = filled[-1]
        chain = [parents[k] if cells.is_blank(stack[k]) else stack[k] for k in range(low)]
        chain = [c for c in chain if not cells.is_blank(c)]
        candidates = [stack[low]] + [" ".join(str(c) for c in (*chain[i:], stack[low]))
                                     for i in range(len(chain) - 1, -1, -1)]
        out.append(next((c for c in candidates if field_for(table, c, mapping)), stack[low]))
    return out


@dataclass
class Header:
    row: int  # 0-based index of the header's first row
    depth: int  # 1 to 3 rows
    headers: list[object]
    fields: int  # distinct fields named
    required: int  # of which required
    score: int

    @property
    def first_data_row(self) -> int:
        return self.row + self.depth


def find_header(rows: list[list[object]], table: Table, mapping: Mapping | None
                ) -> Header | None:
    """The best header row of ``table`` in the first rows, or None."""
    best: Header | None = None
    required = {f.name for f in table.required}
    for r in range(min(HEADER_SCAN_ROWS, len(rows))):
        if not any(not cells.is_blank(v) for v in rows[r]):
            continue
        for depth in range(1, MAX_HEADER_ROWS + 1):
            if r + depth > len(rows):
                break
            headers = _headers_at(rows, r, depth, table, mapping)
            fields = {f.name for h in headers if (f := field_for(table, h, mapping))}
            n_req = len(required & fields)
            score = len(fields) * 2 + n_req * 3
            # on a tie the shallower header ending on the same row wins: else the title
            # row above a header, read as its upper row, would be reported as the header
            if fields and (best is None or score > best.score or (
                    score == best.score and depth < best.depth
                    and r + depth <= best.first_data_row)):
                best = Header(r, depth, headers, len(fields), n_req, score)
    if best is None or best.score < MIN_SCORE:
        return None
    return best


@dataclass
class Recognised:
    table: Table
    header: Header

    @property
    def complete(self) -> bool:
        return self.header.required == len(self.table.required)


class Ambiguous(Exception):
    def __init__(self, candidates: list[Recognised]) -> None:
        super().__init__(", ".join(c.table.code for c in candidates))
        self.candidates = candidates


def recognise(rows: list[list[object]], mapping: Mapping | None) -> Recognised | None:
    """The table whose header the sheet holds: one whose required columns are all there
    (the one naming the most columns), else the one scoring best; two alike are
    ``Ambiguous``."""
    found = [Recognised(t, h) for t in TABLES.values()
             if (h := find_header(rows, t, mapping)) is not None]
    if not found:
        return None
    complete = [c for c in found if c.complete]
    pool, key = (complete, lambda c: c.header.fields) if complete else \
        (found, lambda c: c.header.score)
    top = max(key(c) for c in pool)
    best = [c for c in pool if key(c) == top]
    if len(best) > 1:
        raise Ambiguous(best)
    return best[0]


_NUMBER = re.compile(r"^\(?\s*(\d{1,3})\s*\)?$")


def numbering_row(row: list[object]) -> bool:
    """A row "(1) (2) (3) …" or "1 2 3 …" under a header, as official forms number their
    columns: at least three cells, consecutive whole numbers, nothing else."""
    numbers = []
    for v in row:
        if cells.is_blank(v):
            continue
        if isinstance(v, bool):
            return False
        if isinstance(v, int | float):
            if not float(v).is_integer():
                return False
            numbers.append(int(v))
            continue
        m = _NUMBER.match(str(v).strip())
        if not m:
            return False
        numbers.append(int(m[1]))
    return len(numbers) >= 3 and all(b == a + 1 for a, b in zip(numbers, numbers[1:],
                                                                strict=False))

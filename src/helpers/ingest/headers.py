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
    if not isinstance(header, str) or cells.is_blank(header):
        return None
    return _lookup(table, mapping).get(fold(header))


class _Lookup(dict):
    """Folded header → field of one table (and mapping); personal headers name none."""

    def get(self, key: str) -> Field | None:  # type: ignore[override]
        if not key or is_personal(key):
            return None
        return super().get(key)


_LOOKUPS: dict[tuple[str, int], tuple[Mapping | None, _Lookup]] = {}


def _lookup(table: Table, mapping: Mapping | None) -> _Lookup:
    cached = _LOOKUPS.get((table.code, id(mapping)))
    if cached is not None and cached[0] is mapping:
        return cached[1]
    out = _Lookup()
    for f in table.fields:
        for k in f.keys():
            out.setdefault(k, f)
    if mapping is not None:  # a mapping's headers come first
        by_name = {f.name: f for f in table.fields}
        for h, name in mapping.columns.get(table.code, {}).items():
            if name in by_name:
                out[fold(h)] = by_name[name]
    _LOOKUPS[(table.code, id(mapping))] = (mapping, out)
    return out


def _keys(rows: list[list[object]], r: int) -> list[str]:
    """Folded text of each cell of row r; "" for blanks and for values that are not text
    (dates and numbers are never headers)."""
    return [fold(v) if isinstance(v, str) else "" for v in (rows[r] if r < len(rows) else [])]


def _headers_at(rows: list[list[object]], keys: list[list[str]], r: int, depth: int,
                lookup: _Lookup) -> tuple[list[object], set[str]]:
    """Header texts of a header starting at row r and ``depth`` rows deep, and the fields
    they name. A column is named by its lowest cell, alone or joined with the cells above
    it, where a blank upper cell stands under the merged parent to its left; the first of
    these that names a field wins, else the lowest non-blank cell."""
    if depth == 1:
        named = {f.name for k in keys[r] if (f := lookup.get(k))}
        return list(rows[r]), named
    width = max(len(rows[i]) for i in range(r, min(r + depth, len(rows))))
    parents: list[tuple[object, str] | None] = [None] * (depth - 1)
    out: list[object] = []
    named: set[str] = set()
    for j in range(width):
        stack = [(_cell(rows, r + k, j), _at(keys[r + k], j)) for k in range(depth)]
        for k in range(depth - 1):  # a merged parent runs on to the right over blanks
            if not cells.is_blank(stack[k][0]):
                parents[k] = stack[k]
                for deeper in range(k + 1, depth - 1):
                    parents[deeper] = None
        filled = [k for k, (v, _) in enumerate(stack) if not cells.is_blank(v)]
        if not filled:
            out.append(None)
            continue
        low = filled[-1]
        chain = [parents[k] if cells.is_blank(stack[k][0]) else stack[k] for k in range(low)]
        chain = [c for c in chain if c is not None and not cells.is_blank(c[0])]
        candidates = [stack[low]] + [
            (" ".join(str(c[0]) for c in (*chain[i:], stack[low])),
             " ".join(c[1] for c in (*chain[i:], stack[low])).strip())
            for i in range(len(chain) - 1, -1, -1)]
        hit = next(((text, f) for text, key in candidates if (f := lookup.get(key))), None)
        if hit is None:
            out.append(stack[low][0])
        else:
            out.append(hit[0])
            named.add(hit[1].name)
    return out, named


def _cell(rows: list[list[object]], r: int, j: int) -> object:
    row = rows[r] if r < len(rows) else []
    return row[j] if j < len(row) else None


def _at(row: list[str], j: int) -> str:
    return row[j] if j < len(row) else ""


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


def find_header(rows: list[list[object]], table: Table, mapping: Mapping | None,
                keys: list[list[str]] | None = None) -> Header | None:
    """The best header row of ``table`` in the first rows, or None. ``keys``: the folded
    cells of those rows, when the caller has them (``scan_keys``)."""
    best: Header | None = None
    required = {f.name for f in table.required}
    lookup = _lookup(table, mapping)
    keys = keys if keys is not None else scan_keys(rows)
    for r in range(min(HEADER_SCAN_ROWS, len(rows))):
        if not any(keys[r]):  # a header row holds text
            continue
        for depth in range(1, MAX_HEADER_ROWS + 1):
            if r + depth > len(rows):
                break
            headers, fields = _headers_at(rows, keys, r, depth, lookup)
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


def scan_keys(rows: list[list[object]]) -> list[list[str]]:
    """The folded cells of the rows a header may be in, computed once per sheet."""
    return [_keys(rows, r) for r in range(min(HEADER_SCAN_ROWS + MAX_HEADER_ROWS, len(rows)))]


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
    keys = scan_keys(rows)
    found = [Recognised(t, h) for t in TABLES.values()
             if (h := find_header(rows, t, mapping, keys)) is not None]
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

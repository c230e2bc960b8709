"""Reading one sheet as one table: header, columns, cells, row rules, row accounting.

Personal-data columns are recognised by their header and never read. Blank rows, total
rows, the signature block under a table and a row numbering the columns "(1) (2) (3)" are
skipped and counted; every other row is read and either accepted or rejected with its
reasons.

The work is done column by column: each distinct value of a column is parsed once
(``cells.parse_column``) and rows are classified with array operations, so a sheet of
200 000 rows costs about as much as reading it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..text import fold
from . import cells
from .accounting import Issue, TableRead
from .headers import HEADER_SCAN_ROWS, Header, field_for, find_header, numbering_row
from .mappings import Mapping
from .readers import RawSheet
from .spec import Field, Table, is_personal
from .validation import validate

TOTAL_ROW = re.compile(r"^(tong cong|tong so)\b|^(cong|tong)$")
# the signature block under a table: "Người lập biểu", "Thủ trưởng đơn vị", "Đồng Nai, ngày…"
FOOTER_ROW = re.compile(r"^(nguoi lap|thu truong|giam doc|pho giam doc|ke toan|xac nhan|"
                        r"noi nhan|ky ten|ky ghi ro)\b|\bngay\b.*\bthang\b.*\bnam\b")
# dates a datetime64[ns] column cannot hold (e.g. the placeholder 31/12/9999): rejected per cell
_DATE_MIN, _DATE_MAX = pd.Timestamp.min.date(), pd.Timestamp.max.date()


@dataclass
class _Where:
    file: str
    sheet: str | None
    issues: list[Issue]

    def add(self, row: int | None, column: str | None, fld: str | None, severity: str,
            message: str) -> None:
        self.issues.append(Issue(self.file, self.sheet, row, column, fld, severity, message))


def read_sheet(sheet: RawSheet, table: Table, file: str, mapping: Mapping | None,
               issues: list[Issue], found: Header | None = None, how: str = ""
               ) -> TableRead | None:
    rows = sheet.rows
    at = _Where(file, sheet.name, issues)
    found = found or find_header(rows, table, mapping)
    if found is None:
        empty = not any(not cells.is_blank(v) for r in rows[:HEADER_SCAN_ROWS] for v in r)
        at.add(None, None, None, "error",
               f"không tìm thấy dòng tiêu đề của bảng {table.code} ({table.title}) trong "
               f"{HEADER_SCAN_ROWS} dòng đầu; cần các cột: "
               f"{', '.join(f.header for f in table.required)}"
               + ("; sheet/tệp trống" if empty else ""))
        return None
    hr = found.row + 1  # the header's first row, as Excel numbers it
    colmap, dropped = _columns(found.headers, table, mapping, hr, at)
    missing = [f for f in table.required if f not in colmap.values()]
    if missing:
        present = ", ".join(str(h) for h in found.headers if not cells.is_blank(h)
                            and not is_personal(h))
        for f in missing:
            at.add(hr, f.header, f.name, "error",
                   f"thiếu cột bắt buộc “{f.header}” ({f.name}) ở dòng tiêu đề (dòng {hr}); "
                   f"các cột tìm thấy: {present}")
        return None
    read = TableRead(table, file, sheet.name, pd.DataFrame(), header_row=hr,
                     dropped_personal=dropped, header_rows=found.depth, rows_total=len(rows),
                     recognised_by=how, hidden=sheet.hidden,
                     columns=tuple(f.name for f in colmap.values()),
                     skipped={"blank": 0, "total": 0, "footer": 0, "numbering": 0})
    start = found.first_data_row
    if start < len(rows) and numbering_row(rows[start]):
        read.skipped["numbering"] += 1
        start += 1
    _read_rows(read, rows[start:], start, colmap, found.headers, mapping, at)
    return read


def _columns(headers: list[object], table: Table, mapping: Mapping | None, hr: int,
             at: _Where) -> tuple[dict[int, Field], list[str]]:
    """Column index → field; personal-data headers dropped (whatever a mapping says),
    unknown ones warned about, a field named twice an error."""
    colmap: dict[int, Field] = {}
    dropped: list[str] = []
    for j, h in enumerate(headers):
        if cells.is_blank(h):
            continue
        if is_personal(h):
            dropped.append(str(h))
            continue
        f = field_for(table, h, mapping)
        if f is None:
            at.add(hr, str(h), None, "warning", "cột không có trong đặc tả, bỏ qua")
        elif f in colmap.values():
            at.add(hr, str(h), f.name, "error", f"cột “{f.header}” xuất hiện hai lần")
        else:
            colmap[j] = f
    return colmap, dropped


def _grid(rows: list[list[object]], columns: list[int]) -> np.ndarray:
    """The data rows' cells of the given columns as a 2-D object array."""
    if not rows:
        return np.empty((0, len(columns)), dtype=object)
    width = max(max(columns) + 1, max(len(r) for r in rows))
    if any(len(r) != width for r in rows):  # CSV lines differ in length
        rows = [r if len(r) == width else [*r, *([None] * (width - len(r)))] for r in rows]
    grid = np.empty((len(rows), width), dtype=object)
    grid[:] = rows
    return grid[:, columns]


def _parser(f: Field, table: Table, mapping: Mapping | None):
    """The function parsing one distinct value of the field, and the mapping's remap."""
    remap = None
    if mapping is not None and mapping.values.get(table.code, {}).get(f.name):
        def remap(raw: object, _t=table.code, _f=f.name) -> object:
            return mapping.value_for(_t, _f, raw)
    if f.kind == "enum":
        lookup = cells.enum_lookup(f.values, f.synonyms)

        def parse(raw: object) -> object:
            return cells.parse_enum(raw, f.values, lookup)
    elif f.kind == "date":
        def parse(raw: object) -> object:
            val = cells.parse_date(raw)
            if val is not None and not _DATE_MIN < val < _DATE_MAX:
                raise cells.CellError(_implausible())
            return val
    else:
        parse = cells.PARSERS[f.kind]
    return parse, remap


def _implausible() -> str:
    from .validation import EARLIEST, latest

    return f"ngày không hợp lý (ngoài khoảng {EARLIEST:%Y}–{latest():%Y})"


def _enum_hint(f: Field, table: Table, mapping: Mapping | None) -> str:
    where = (f"params/mappings/{mapping.name}.yml" if mapping is not None else
             "params/mappings/<hệ-thống>.yml (rồi ghi source_system của cơ quan)")
    return (f"; nếu phần mềm ghi như vậy, thêm giá trị này vào {where}, mục "
            f"values → {table.code} → {f.name}")


def _read_rows(read: TableRead, data: list[list[object]], offset: int,
               colmap: dict[int, Field], headers: list[object], mapping: Mapping | None,
               at: _Where) -> None:
    """Classify, parse and validate the rows under the header."""
    table = read.table
    js = list(colmap)
    grid = _grid(data, js)
    parsed = {}
    for k, j in enumerate(js):
        f = colmap[j]
        parse, remap = _parser(f, table, mapping)
        parsed[j] = cells.parse_column(grid[:, k], parse, remap, f.blank)
    n = len(data)
    filled = np.zeros(n, dtype=np.int64)
    for p in parsed.values():
        filled += ~p.row_blank()
    skip = np.zeros(n, dtype=bool)
    blank = filled == 0
    read.skipped["blank"] += int(blank.sum())
    skip |= blank
    first_text = next((k for k, j in enumerate(js) if colmap[j].kind == "text"), None)
    if first_text is not None:  # "Tổng cộng" in the first text column of a sparse row
        for i in np.flatnonzero(~skip & (filled <= 3)):
            v = grid[i, first_text]
            if isinstance(v, str) and TOTAL_ROW.match(fold(v)):
                read.skipped["total"] += 1
                skip[i] = True
    for i in np.flatnonzero(~skip & (filled <= 2)):  # perhaps the signature block
        full = [v for v in data[i] if not cells.is_blank(v)]
        if len(full) <= 2 and isinstance(full[0], str) and FOOTER_ROW.search(fold(full[0])):
            read.skipped["footer"] += 1
            skip[i] = True
    keep = np.flatnonzero(~skip)
    read.rows_read = len(keep)
    excel_rows = keep + offset + 1
    bad = _cell_errors(read, keep, excel_rows, colmap, parsed, headers, mapping, at)
    ok = keep[~bad]
    frame = _frame(table, colmap, parsed, ok, ok + offset + 1)
    accepted, failures = validate(frame, table)
    for excel_row, col, message in failures:
        header = next((str(headers[j]) for j, f in colmap.items() if f.name == col), col)
        at.add(excel_row, header, col, "error", message)
    for r in sorted({r for r, _, _ in failures}):
        read.rejected.append((r, "; ".join(m for rr, _, m in failures if rr == r)))
    read.frame = accepted.reset_index(drop=True)


def _cell_errors(read: TableRead, keep: np.ndarray, excel_rows: np.ndarray,
                 colmap: dict[int, Field], parsed: dict[int, cells.Parsed],
                 headers: list[object], mapping: Mapping | None, at: _Where) -> np.ndarray:
    """Issues for cells that do not parse and required cells left empty, in row order;
    the rejected rows with their reasons. Returns the mask of rejected rows of ``keep``."""
    found: list[tuple[int, int, str, Field]] = []
    for j, f in colmap.items():
        p = parsed[j]
        err = p.error[p.codes[keep]]
        for i in np.flatnonzero(err != None):  # noqa: E711 (elementwise on objects)
            message = str(err[i]) + (_enum_hint(f, read.table, mapping) if f.kind == "enum"
                                     else "")
            found.append((int(i), j, message, f))
        if f.must_fill:
            empty = (p.value[p.codes[keep]] == None) & (err == None)  # noqa: E711
            found += [(int(i), j, "ô bắt buộc bị bỏ trống", f) for i in np.flatnonzero(empty)]
    found.sort(key=lambda x: (x[0], x[1]))
    bad = np.zeros(len(keep), dtype=bool)
    reasons: dict[int, list[str]] = {}
    for i, j, message, f in found:
        row = int(excel_rows[i])
        at.add(row, str(headers[j]), f.name, "error", message)
        reasons.setdefault(i, []).append(f"{headers[j]}: {message}")
        bad[i] = True
    for i, why in reasons.items():
        read.rejected.append((int(excel_rows[i]), "; ".join(why)))
    return bad


def _frame(table: Table, colmap: dict[int, Field], parsed: dict[int, cells.Parsed],
           rows: np.ndarray, excel_rows: np.ndarray) -> pd.DataFrame:
    """The accepted rows, typed: each column the dtype of its field kind (so validation
    and Parquet agree); optional fields absent from the file are present and empty."""
    data: dict[str, object] = {"_row": pd.Series(excel_rows, dtype="int64")}
    for j, f in colmap.items():
        p = parsed[j]
        data[f.name] = _typed(f.kind, p.value, p.codes[rows])
    for f in table.fields:
        if f.name not in data:
            data[f.name] = _typed(f.kind, np.array([None], dtype=object),
                                  np.zeros(len(rows), dtype=np.int64))
    return pd.DataFrame(data)


def _typed(kind: str, values: np.ndarray, codes: np.ndarray) -> pd.Series:
    """A typed column from a column's distinct parsed values and each row's code: the
    distinct values are converted, then taken, so the rows cost an array index each."""
    missing = np.array([v is None for v in values], dtype=bool)
    if kind == "date":
        stamps = np.array([np.datetime64("NaT", "ns") if v is None else
                           np.datetime64(date.isoformat(v), "ns") for v in values],
                          dtype="datetime64[ns]")
        return pd.Series(stamps[codes], dtype="datetime64[ns]")
    if kind == "bool":
        flags = np.array([bool(v) for v in values], dtype=bool)
        return pd.Series(pd.arrays.BooleanArray(flags[codes], missing[codes]))
    if kind in ("money", "int"):
        ints = np.array([0 if v is None else int(v) for v in values], dtype=np.int64)
        return pd.Series(pd.arrays.IntegerArray(ints[codes], missing[codes]))
    if kind == "float":
        nums = np.array([0.0 if v is None else float(v) for v in values], dtype=np.float64)
        return pd.Series(pd.arrays.FloatingArray(nums[codes], missing[codes]))
    return pd.Series(pd.array(values, dtype="string").take(codes))

"""Ingestion: from an agency's raw exports to validated tables, with every row accounted for.

For each file and visible sheet: recognise the table (by sheet or file name), find the
header row under title rows, map headers to fields (spec headers, field names, or a
source-system mapping from ``params/mappings``), drop personal-data columns unread, parse
each cell, then validate the whole table with pandera. Every problem becomes an ``Issue``
naming file, sheet, Excel row and column header. Rows read = rows accepted + rows rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import cells
from .mapping import Mapping
from .readers import RawSheet, ReadError, input_files, read_file, year_from_path
from .spec import TABLES, Field, Table, is_personal, table_for
from .text import fold

HEADER_SCAN_ROWS = 40
SUPERSEDED = "bản cũ của"
# sheets that accompany data but are not data: instructions, notes, code lists
NOTES_SHEET = re.compile(r"^(huong dan|ghi chu|chu thich|instructions?|readme|notes?)\b")
TOTAL_ROW = re.compile(r"^(tong cong|tong so)\b|^(cong|tong)$")
# the signature block under a table: "Người lập biểu", "Thủ trưởng đơn vị", "Đồng Nai, ngày…"
FOOTER_ROW = re.compile(r"^(nguoi lap|thu truong|giam doc|pho giam doc|ke toan|xac nhan|"
                        r"noi nhan|ky ten|ky ghi ro)\b|\bngay\b.*\bthang\b.*\bnam\b")
# dates a datetime64[ns] column cannot hold (e.g. the placeholder 31/12/9999): rejected per cell
_DATE_MIN, _DATE_MAX = pd.Timestamp.min.date(), pd.Timestamp.max.date()


@dataclass
class Issue:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    field: str | None
    severity: str  # "error" | "warning"
    message: str

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet “{self.sheet}”")
        if self.row:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột “{self.column}”" + (f" ({self.field})" if self.field else ""))
        return ", ".join(parts)

    def __str__(self) -> str:
        tag = "LỖI" if self.severity == "error" else "CẢNH BÁO"
        return f"{tag} {self.where()}: {self.message}"


@dataclass
class TableRead:
    """One table read from one file (and sheet), with its accounting."""

    table: Table
    file: str
    sheet: str | None
    frame: pd.DataFrame  # accepted rows; ``_row`` holds the Excel row number
    rows_read: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (excel row, reasons)
    skipped: dict[str, int] = field(default_factory=dict)  # blank / total rows, not data
    header_row: int | None = None
    dropped_personal: list[str] = field(default_factory=list)

    @property
    def rows_accepted(self) -> int:
        return len(self.frame)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)


@dataclass
class AgencyInputs:
    agency: str
    reads: list[TableRead] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # relative path → sha256

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Accepted rows per table, all files together, with their source recorded."""
        out: dict[str, pd.DataFrame] = {}
        for code in TABLES:
            parts = [r.frame.assign(_file=r.file, _sheet=r.sheet or "")
                     for r in self.reads if r.table.code == code and len(r.frame)]
            if parts:
                out[code] = pd.concat(parts, ignore_index=True)
        return out

    def accounting(self) -> list[dict[str, object]]:
        return [{"file": r.file, "sheet": r.sheet, "table": r.table.code,
                 "rows_read": r.rows_read, "rows_accepted": r.rows_accepted,
                 "rows_rejected": r.rows_rejected, **{f"skipped_{k}": v for k, v in
                                                      r.skipped.items()}}
                for r in self.reads]


# ---------------------------------------------------------------- header detection

def _field_for(table: Table, header: object, mapping: Mapping | None) -> Field | None:
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
        out.append(next((c for c in candidates if _field_for(table, c, mapping)), lower))
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
            fields = {f.name for h in headers if (f := _field_for(table, h, mapping))}
            score = len(fields) * 2 + len({f.name for f in table.required} & fields) * 3
            # on a tie a one-row header wins: else the blank or title row above a header,
            # read as the upper row of a two-row header, would be reported as the header row
            if fields and (best is None or score > best[0]
                           or (score == best[0] and best[2] and not two)):
                best = (score, r, two, headers)
    if best is None or best[0] < 10:
        return None
    return best[1], best[2], best[3]


# ---------------------------------------------------------------- reading one sheet

def read_sheet(sheet: RawSheet, table: Table, file: str, mapping: Mapping | None,
               issues: list[Issue]) -> TableRead | None:
    sname = sheet.name
    rows = sheet.rows
    found = find_header(rows, table, mapping)
    if found is None:
        headers = [h for r in rows[:HEADER_SCAN_ROWS] for h in r if not cells.is_blank(h)][:20]
        issues.append(Issue(file, sname, None, None, None, "error",
                            f"không tìm thấy dòng tiêu đề của bảng {table.code} ({table.title}); "
                            f"cần các cột: {', '.join(f.header for f in table.required)}; "
                            f"đã thấy: {', '.join(str(h) for h in headers) or '(trống)'}"))
        return None
    hr, two, headers = found
    colmap: dict[int, Field] = {}
    dropped: list[str] = []
    for j, h in enumerate(headers):
        if cells.is_blank(h):
            continue
        if is_personal(h):
            dropped.append(str(h))
            continue
        f = _field_for(table, h, mapping)
        if f is None:
            issues.append(Issue(file, sname, hr + 1, str(h), None, "warning",
                                "cột không có trong đặc tả, bỏ qua"))
        elif f in colmap.values():
            issues.append(Issue(file, sname, hr + 1, str(h), f.name, "error",
                                f"cột “{f.header}” xuất hiện hai lần"))
        else:
            colmap[j] = f
    missing = [f for f in table.required if f not in colmap.values()]
    if missing:
        found_h = ", ".join(str(h) for h in headers if not cells.is_blank(h))
        issues.append(Issue(file, sname, hr + 1, None, None, "error",
                            "thiếu cột bắt buộc: " + ", ".join(f"“{f.header}” ({f.name})"
                                                                for f in missing)
                            + f"; các cột tìm thấy: {found_h}"))
        return None
    read = TableRead(table, file, sname, pd.DataFrame(), header_row=hr + 1,
                     dropped_personal=dropped, skipped={"blank": 0, "total": 0, "footer": 0})
    records: list[dict[str, object]] = []
    first_text = next((j for j, f in colmap.items() if f.kind == "text"), None)
    for i in range(hr + (2 if two else 1), len(rows)):
        row = rows[i]
        excel_row = i + 1
        values = {j: (row[j] if j < len(row) else None) for j in colmap}
        n_filled = sum(not cells.is_blank(v) for v in values.values())
        if n_filled == 0:
            read.skipped["blank"] += 1
            continue
        if n_filled <= 3 and first_text is not None and TOTAL_ROW.match(fold(values[first_text])):
            read.skipped["total"] += 1
            continue
        if n_filled <= 2:  # perhaps the signature block under the table
            filled = [v for v in row if not cells.is_blank(v)]
            if len(filled) <= 2 and isinstance(filled[0], str) and \
                    FOOTER_ROW.search(fold(filled[0])):
                read.skipped["footer"] += 1
                continue
        read.rows_read += 1
        rec: dict[str, object] = {"_row": excel_row}
        reasons: list[str] = []
        for j, f in colmap.items():
            raw = values[j]
            if mapping is not None:
                raw = mapping.value_for(table.code, f.name, raw)
            try:
                if f.kind == "enum":
                    val = cells.parse_enum(raw, f.values)
                else:
                    val = cells.PARSERS[f.kind](raw)
                if f.kind == "date" and val is not None and not _DATE_MIN < val < _DATE_MAX:
                    raise cells.CellError(f"ngày {val:%d/%m/%Y} không hợp lý")
            except cells.CellError as exc:
                issues.append(Issue(file, sname, excel_row, str(headers[j]), f.name, "error",
                                    str(exc)))
                reasons.append(f"{headers[j]}: {exc}")
                continue
            if val is None and f.required:
                issues.append(Issue(file, sname, excel_row, str(headers[j]), f.name, "error",
                                    "ô bắt buộc bị bỏ trống"))
                reasons.append(f"{headers[j]}: ô bắt buộc bị bỏ trống")
            rec[f.name] = val
        if reasons:
            read.rejected.append((excel_row, "; ".join(reasons)))
        else:
            records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=["_row", *[f.name for f in colmap.values()]])
    for f in table.fields:  # optional fields absent from the file are present and empty
        if f.name not in frame.columns:
            frame[f.name] = None
    frame = _typed(frame, table)
    from .validation import validate  # pandera loads only when a sheet is read

    accepted, bad = validate(frame, table)
    for excel_row, col, message in bad:
        header = next((str(headers[j]) for j, f in colmap.items() if f.name == col), col)
        issues.append(Issue(file, sname, excel_row, header, col, "error", message))
    bad_rows = sorted({r for r, _, _ in bad})
    for r in bad_rows:
        read.rejected.append((r, "; ".join(m for rr, _, m in bad if rr == r)))
    read.frame = accepted.reset_index(drop=True)
    return read


def _typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Give each column the dtype of its field kind, so pandera and Parquet agree."""
    for f in table.fields:
        col = frame[f.name]
        if f.kind == "date":
            frame[f.name] = pd.to_datetime(col, errors="coerce").astype("datetime64[ns]")
        elif f.kind == "bool":
            frame[f.name] = col.astype("boolean")
        elif f.kind == "money":
            frame[f.name] = pd.array(col.tolist(), dtype="Int64")
        elif f.kind == "float":
            frame[f.name] = pd.to_numeric(col, errors="coerce").astype("Float64")
        else:
            frame[f.name] = col.astype("string")
    frame["_row"] = frame["_row"].astype("int64")
    return frame


# ---------------------------------------------------------------- files and agencies

def read_agency(agency: str, agency_dir: Path, mapping: Mapping | None = None,
                root: Path | None = None) -> AgencyInputs:
    """Read every input file of one agency; never raises for a bad file."""
    from .manifest import sha256_file

    root = root or agency_dir.parent
    result = AgencyInputs(agency)
    if not agency_dir.is_dir():
        return result
    for path in input_files(agency_dir):
        rel = path.relative_to(root).as_posix()
        result.files[rel] = sha256_file(path)
        try:
            sheets = read_file(path)
        except ReadError as exc:
            result.issues.append(Issue(rel, None, None, None, None, "error", str(exc)))
            continue
        visible = [sh for sh in sheets if not sh.hidden
                   and not (sh.name and NOTES_SHEET.match(fold(sh.name)))]
        by_name = {id(sh): table_for(sh.name) if sh.name else None for sh in visible}
        # the file's name names the table of its sheets only when no sheet names one itself
        file_table = None if any(by_name.values()) else table_for(path.stem)
        recognised = 0
        for sheet in visible:
            table = by_name[id(sheet)] or file_table
            if table is None:
                if any(not cells.is_blank(c) for r in sheet.rows[:5] for c in r):
                    result.issues.append(Issue(rel, sheet.name, None, None, None, "warning",
                                               "không nhận ra bảng (tên tệp/sheet không khớp "
                                               "mã bảng nào), bỏ qua"))
                continue
            recognised += 1
            read = read_sheet(sheet, table, rel, mapping, result.issues)
            if read is not None:
                result.reads.append(read)
        if recognised == 0 and not any(i.file == rel for i in result.issues):
            result.issues.append(Issue(rel, None, None, None, None, "warning",
                                       "tệp không chứa bảng nào được nhận ra"))
    _check_across(result)
    return result


def _check_across(inputs: AgencyInputs) -> None:
    """Checks that need more than one table or file: duplicate ids, unknown procedures,
    a plan table whose year cannot be told from its path."""
    for code, table in TABLES.items():
        reads = [r for r in inputs.reads if r.table.code == code]
        if table.key:
            seen: dict[tuple[object, str], tuple[TableRead, int, object]] = {}
            for r in reads:
                scope = "" if table.year_from else str(year_from_path(r.file))
                dates = r.frame[table.year_from] if table.year_from else [None] * len(r.frame)
                for key, row, on in zip(r.frame[table.key], r.frame["_row"], dates, strict=True):
                    if pd.isna(key):
                        continue
                    if (key, scope) in seen:
                        other, orow, oon = seen[(key, scope)]
                        if other is not r and table.year_from and on == oon:
                            # the same record in two exports (a dossier carried over into
                            # the next year's export): the later file's version is newer
                            other.rejected.append((orow, f"{SUPERSEDED} {key}: bản mới hơn ở "
                                                         f"{r.file} dòng {int(row)}"))
                            inputs.issues.append(Issue(
                                other.file, other.sheet, orow, table.field(table.key).header,
                                table.key, "warning", f"“{key}” có lại ở {r.file} dòng "
                                f"{int(row)} (cùng ngày): dùng bản ở tệp sau, mới hơn"))
                            seen[(key, scope)] = (r, int(row), on)
                            continue
                        inputs.issues.append(Issue(
                            r.file, r.sheet, int(row), table.field(table.key).header, table.key,
                            "error", f"“{key}” trùng với dòng {orow} của {other.file}"
                            + (f" sheet “{other.sheet}”" if other.sheet else "")))
                        r.rejected.append((int(row), f"trùng mã {key}"))
                    else:
                        seen[(key, scope)] = (r, int(row), on)
        if not table.year_from:
            for r in reads:
                if year_from_path(r.file) is None:
                    inputs.issues.append(Issue(r.file, r.sheet, None, None, None, "error",
                                               "không xác định được năm của bảng: đặt tệp trong "
                                               "thư mục năm (vd. 2019/) hoặc ghi năm vào tên tệp"))
    # a duplicate rejected above must leave the accepted frame
    for r in inputs.reads:
        dup_rows = {row for row, why in r.rejected if why.startswith(("trùng mã", SUPERSEDED))}
        if dup_rows:
            r.frame = r.frame[~r.frame["_row"].isin(dup_rows)].reset_index(drop=True)
    known = {c for r in inputs.reads if r.table.code == "thu_tuc"
             for c in r.frame["procedure_code"].dropna()}
    if known:
        for r in (r for r in inputs.reads if r.table.code == "ho_so"):
            unknown = r.frame[~r.frame["procedure_code"].isin(known)]
            for code, rows in unknown.groupby("procedure_code")["_row"]:
                first = rows.tolist()[:5]
                inputs.issues.append(Issue(
                    r.file, r.sheet, int(first[0]), "Mã thủ tục", "procedure_code", "warning",
                    f"mã thủ tục “{code}” không có trong danh mục TTHC ({len(rows)} hồ sơ, "
                    f"các dòng {', '.join(map(str, first))}{'…' if len(rows) > 5 else ''})"))


def group_by_file(issues: Iterable[Issue]) -> dict[str, list[Issue]]:
    out: dict[str, list[Issue]] = {}
    for i in issues:
        out.setdefault(i.file, []).append(i)
    return out


"""Reading an agency's exports: every file and sheet recognised, read and accounted for,
then the checks that need more than one file (duplicate ids, unknown procedures).

A sheet is taken for a table by its own name, else by its file's name, else by its header
row (``headers.recognise``): exports named by their system ("DanhSachHoSo_20251016.xlsx",
sheet "Sheet1") are read as they come. Every sheet of a recognised file is read or
refused with a message that says why; a hidden sheet holding a table is read, and said
so; a file from which nothing could be read is an error. Never raises for a bad file:
every problem becomes an ``Issue``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..params import Limits
from ..text import fold
from . import cells
from .accounting import AgencyInputs, Issue, TableRead
from .headers import HEADER_SCAN_ROWS, Ambiguous, Header, find_header, recognise
from .mappings import Mapping
from .readers import RawSheet, ReadError, confined_files, read_file, year_from_path
from .sheet import read_sheet
from .spec import TABLES, Table, shown, table_for

SUPERSEDED = "bản cũ"
DUPLICATE = "trùng mã"
# sheets that accompany data but are not data: instructions, notes, code lists
NOTES_SHEET = re.compile(r"^(huong dan|ghi chu|chu thich|instructions?|readme|notes?)\b")
EVERY_YEAR = ("không ghi năm (tên tệp hay thư mục): dùng cho mọi năm báo cáo; một bản có "
              "năm (thư mục 2019/ hoặc năm trong tên tệp) được dùng thay cho năm đó")


def read_agency(agency: str, agency_dir: Path, mapping: Mapping | None = None,
                root: Path | None = None, limits: Limits | None = None) -> AgencyInputs:
    """Read every input file of one agency; never raises for a bad file. ``root`` is the
    folder paths are named relative to in messages (``data/raw``); nothing outside
    ``agency_dir`` is read."""
    root = root or agency_dir.parent
    result = AgencyInputs(agency)
    if not agency_dir.is_dir():
        return result
    files, refused = confined_files(agency_dir, root)
    for path, why in refused:
        result.issues.append(Issue(_rel(path, root), None, None, None, None, "error", why))
    for path in files:
        rel = _rel(path, root)
        result.files.append(rel)
        try:
            got = read_file(path, limits)
        except ReadError as exc:
            result.issues.append(Issue(rel, None, None, None, None, "error", str(exc)))
            continue
        for r in got.refused:
            result.issues.append(Issue(rel, r.sheet, None, None, None, "error", r.why))
        _read_workbook(result, rel, path, got.sheets, mapping, refused=bool(got.refused))
    _check_across(result)
    return result


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _has_content(sheet: RawSheet) -> bool:
    return any(not cells.is_blank(v) for r in sheet.rows[:HEADER_SCAN_ROWS] for v in r)


def _read_workbook(result: AgencyInputs, rel: str, path: Path, sheets: list[RawSheet],
                   mapping: Mapping | None, refused: bool) -> None:
    """Every sheet of one file: read, or said why not."""
    sheets = [sh for sh in sheets if not (sh.name and NOTES_SHEET.match(fold(sh.name)))]
    by_name = {id(sh): table_for(sh.name) if sh.name else None for sh in sheets}
    # the file's name names the table of its sheets only when no sheet names one itself
    file_table = None if any(by_name.values()) else table_for(path.stem)
    # Excel's default empty "Sheet2", "Sheet3" beside the data are no loss
    any_content = any(_has_content(sh) for sh in sheets)
    claimed = refused or bool(file_table) or any(by_name.values())
    n_reads = len(result.reads)
    for sheet in sheets:
        if any_content and not _has_content(sheet):
            continue
        named = by_name[id(sheet)] or file_table
        how = ("tên sheet" if by_name[id(sheet)] else "tên tệp") if named else ""
        found: Header | None = None
        table: Table | None = named
        if table is None:
            try:
                rec = recognise(sheet.rows, mapping)
            except Ambiguous as exc:
                claimed = True
                result.issues.append(Issue(rel, sheet.name, exc.candidates[0].header.row + 1,
                                           None, None, "error", _ambiguous(exc)))
                continue
            if rec is not None:
                table, found = rec.table, rec.header
                how = f"dòng tiêu đề ({found.fields}/{len(table.fields)} cột khớp)"
        if table is None:
            _unrecognised(result, rel, sheet)
            continue
        claimed = True
        if sheet.hidden and not _hidden_table(result, rel, sheet, table, mapping, found):
            continue
        read = read_sheet(sheet, table, rel, mapping, result.issues, found=found, how=how)
        if read is not None:
            result.reads.append(read)
    if claimed and len(result.reads) == n_reads and not any(
            i.file == rel and i.severity == "error" for i in result.issues):
        result.issues.append(Issue(rel, None, None, None, None, "error",
                                   "không đọc được bảng nào từ tệp: không sheet nào chứa dòng "
                                   "tiêu đề của bảng (xem các cảnh báo của tệp)"))


def _ambiguous(exc: Ambiguous) -> str:
    names = "; ".join(f"{c.table.code} ({c.table.title}, {c.header.fields} cột khớp)"
                      for c in exc.candidates)
    return (f"dòng tiêu đề khớp với nhiều bảng như nhau: {names}; đặt tên sheet hoặc tên tệp "
            "theo mã bảng (vd. ho_so_2019.xlsx) để chọn")


def _unrecognised(result: AgencyInputs, rel: str, sheet: RawSheet) -> None:
    if not _has_content(sheet):
        return
    if sheet.hidden:
        message = "sheet ẩn không chứa bảng dữ liệu nào, bỏ qua"
    else:
        message = ("không nhận ra bảng (tên tệp, tên sheet và dòng tiêu đề không khớp bảng "
                   "nào), bỏ qua; nếu đây là tệp xuất từ phần mềm, tạo ánh xạ cột bằng "
                   "`cchc map`")
    result.issues.append(Issue(rel, sheet.name, None, None, None, "warning", message))


def _hidden_table(result: AgencyInputs, rel: str, sheet: RawSheet, table: Table,
                  mapping: Mapping | None, found: Header | None) -> bool:
    """A hidden sheet is read when it holds the whole header of its table (and a warning
    says so); otherwise it is the author's scratch and is skipped, with a warning."""
    found = found or find_header(sheet.rows, table, mapping)
    whole = found is not None and found.required == len(table.required)
    message = (f"sheet đang bị ẩn nhưng chứa bảng {table.code} ({table.title}): đã đọc; bỏ ẩn "
               "sheet, hoặc xóa nó nếu không phải số liệu chính thức"
               if whole else f"sheet ẩn không chứa đủ tiêu đề của bảng {table.code}, bỏ qua")
    result.issues.append(Issue(rel, sheet.name, None, None, None, "warning", message))
    return whole


def _check_across(inputs: AgencyInputs) -> None:
    """Checks that need more than one table or file: duplicate ids, unknown procedures,
    a plan table whose year cannot be told from its path."""
    for code, table in TABLES.items():
        reads = [r for r in inputs.reads if r.table.code == code]
        if table.key:
            _duplicates(inputs, table, reads)
        if not table.year_from:
            for r in reads:
                if year_from_path(r.file) is None:
                    inputs.issues.append(Issue(r.file, r.sheet, None, None, None, "warning",
                                               f"bảng {code} {EVERY_YEAR}"))
    # a duplicate rejected above must leave the accepted frame
    for r in inputs.reads:
        dup_rows = {row for row, why in r.rejected if why.startswith((DUPLICATE, SUPERSEDED))}
        if dup_rows:
            r.frame = r.frame[~r.frame["_row"].isin(dup_rows)].reset_index(drop=True)
    _unknown_procedures(inputs)


def _duplicates(inputs: AgencyInputs, table: Table, reads: list[TableRead]) -> None:
    """A key twice in a year (dated tables: anywhere) is an error, except the same record
    in two exports (a dossier carried over into the next year's export): the later
    file's version is newer and the older one is accounted as superseded. Only keys seen
    more than once are walked through, in file and row order."""
    key_field = table.field(table.key)
    parts = [pd.DataFrame({"key": r.frame[table.key].astype(object), "row": r.frame["_row"],
                           "on": r.frame[table.year_from] if table.year_from else None,
                           "read": i,
                           "scope": "" if table.year_from else str(year_from_path(r.file))})
             for i, r in enumerate(reads)]
    if not parts:
        return
    df = pd.concat(parts, ignore_index=True)
    df = df[df["key"].notna()]
    df = df[df.duplicated(["key", "scope"], keep=False)]
    seen: dict[tuple[object, str], tuple[TableRead, int, object]] = {}
    for key, row, on, i, scope in zip(df["key"], df["row"], df["on"], df["read"], df["scope"],
                                      strict=True):
        r, row = reads[i], int(row)
        if (key, scope) not in seen:
            seen[(key, scope)] = (r, row, on)
            continue
        quoted = shown(key) if key_field.may_quote else ""
        other, orow, oon = seen[(key, scope)]
        if other is not r and table.year_from and on == oon:
            other.rejected.append((orow, f"{SUPERSEDED}: bản mới hơn ở {r.file} dòng {row}"))
            inputs.issues.append(Issue(
                other.file, other.sheet, orow, key_field.header, table.key, "warning",
                f"{key_field.header.lower()} {quoted}có lại ở {r.file} dòng {row} (cùng "
                "ngày): dùng bản ở tệp sau, mới hơn"))
            seen[(key, scope)] = (r, row, on)
            continue
        inputs.issues.append(Issue(
            r.file, r.sheet, row, key_field.header, table.key, "error",
            f"{key_field.header.lower()} {quoted}trùng với dòng {orow} của {other.file}"
            + (f" sheet “{other.sheet}”" if other.sheet else "")))
        r.rejected.append((row, f"{DUPLICATE} với dòng {orow} của {other.file}"))


def _unknown_procedures(inputs: AgencyInputs) -> None:
    known = {c for r in inputs.reads if r.table.code == "thu_tuc"
             for c in r.frame["procedure_code"].dropna()}
    if not known:
        return
    for r in (r for r in inputs.reads if r.table.code == "ho_so"):
        unknown = r.frame[~r.frame["procedure_code"].isin(known)]
        for code, rows in unknown.groupby("procedure_code")["_row"]:
            first = rows.tolist()[:5]
            inputs.issues.append(Issue(
                r.file, r.sheet, int(first[0]), "Mã thủ tục", "procedure_code", "warning",
                f"mã thủ tục {shown(code)}không có trong danh mục TTHC ({len(rows)} hồ sơ, "
                f"các dòng {', '.join(map(str, first))}{'…' if len(rows) > 5 else ''})"))

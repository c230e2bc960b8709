"""Reading an agency's exports: every file and sheet recognised, read and accounted for,
then the checks that need more than one file (duplicate ids, unknown procedures).

Never raises for a bad file: every problem becomes an ``Issue``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..text import fold
from . import cells
from .accounting import AgencyInputs, Issue, TableRead
from .mappings import Mapping
from .readers import ReadError, input_files, read_file, year_from_path
from .sheet import read_sheet
from .spec import TABLES, table_for

SUPERSEDED = "bản cũ của"
# sheets that accompany data but are not data: instructions, notes, code lists
NOTES_SHEET = re.compile(r"^(huong dan|ghi chu|chu thich|instructions?|readme|notes?)\b")


def read_agency(agency: str, agency_dir: Path, mapping: Mapping | None = None,
                root: Path | None = None) -> AgencyInputs:
    """Read every input file of one agency; never raises for a bad file. ``root`` is the
    folder paths are named relative to in messages (``data/raw``)."""
    root = root or agency_dir.parent
    result = AgencyInputs(agency)
    if not agency_dir.is_dir():
        return result
    for path in input_files(agency_dir):
        rel = path.relative_to(root).as_posix()
        result.files.append(rel)
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

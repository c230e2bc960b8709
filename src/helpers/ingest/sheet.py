"""Reading one sheet as one table: header, columns, cells, row rules, row accounting.

Personal-data columns are recognised by their header and never read. Blank rows, total
rows and the signature block under a table are skipped and counted; every other row is
read and either accepted or rejected with its reasons.
"""

from __future__ import annotations

import re

import pandas as pd

from ..text import fold
from . import cells
from .accounting import Issue, TableRead
from .headers import HEADER_SCAN_ROWS, field_for, find_header
from .mappings import Mapping
from .readers import RawSheet
from .spec import Field, Table, is_personal

TOTAL_ROW = re.compile(r"^(tong cong|tong so)\b|^(cong|tong)$")
# the signature block under a table: "Người lập biểu", "Thủ trưởng đơn vị", "Đồng Nai, ngày…"
FOOTER_ROW = re.compile(r"^(nguoi lap|thu truong|giam doc|pho giam doc|ke toan|xac nhan|"
                        r"noi nhan|ky ten|ky ghi ro)\b|\bngay\b.*\bthang\b.*\bnam\b")
# dates a datetime64[ns] column cannot hold (e.g. the placeholder 31/12/9999): rejected per cell
_DATE_MIN, _DATE_MAX = pd.Timestamp.min.date(), pd.Timestamp.max.date()


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
        f = field_for(table, h, mapping)
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

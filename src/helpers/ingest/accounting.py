"""Row accounting: every problem as an ``Issue`` that names its place, and every row read
counted as accepted or rejected (rows read = accepted + rejected, per file and sheet)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from .spec import TABLES, Table


class InputError(Exception):
    """Inputs with errors: no report is made from part of the data."""


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
    header_rows: int = 1  # a header may be two or three rows deep
    rows_total: int = 0  # rows of the sheet, from row 1 to its last row
    recognised_by: str = ""  # why the sheet was taken for this table, for `cchc check`
    hidden: bool = False
    columns: tuple[str, ...] = ()  # the fields the file has a column for

    @property
    def rows_accepted(self) -> int:
        return len(self.frame)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def unaccounted(self) -> str | None:
        """Why the rows of this read do not add up, or None when they do: every row of
        the sheet is a title row, a header row, a skipped row (blank, total, signature,
        column numbers) or a data row, and every data row is accepted or rejected."""
        if self.rows_read != self.rows_accepted + self.rows_rejected:
            return (f"{self.rows_read} dòng dữ liệu ≠ {self.rows_accepted} nhận + "
                    f"{self.rows_rejected} loại")
        if self.rows_total and self.header_row is not None:
            parts = self.header_row - 1 + self.header_rows + sum(self.skipped.values()) \
                + self.rows_read
            if parts != self.rows_total:
                return (f"sheet có {self.rows_total} dòng nhưng chỉ tính được {parts} "
                        "(tiêu đề, dòng bỏ qua, dòng dữ liệu)")
        return None


@dataclass
class AgencyInputs:
    agency: str
    reads: list[TableRead] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # relative paths read

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
                 "recognised_by": r.recognised_by, "header_row": r.header_row,
                 "rows_total": r.rows_total,
                 "rows_read": r.rows_read, "rows_accepted": r.rows_accepted,
                 "rows_rejected": r.rows_rejected, **{f"skipped_{k}": v for k, v in
                                                      r.skipped.items()}}
                for r in self.reads]

    def absent_columns(self) -> dict[str, list[str]]:
        """Per table read, the optional fields no file of it had a column for: their
        figures are "không có dữ liệu", not zero."""
        out: dict[str, list[str]] = {}
        for code, table in TABLES.items():
            reads = [r for r in self.reads if r.table.code == code]
            if reads:
                seen = {c for r in reads for c in r.columns}
                out[code] = [f.name for f in table.fields if f.name not in seen]
        return out

    def unaccounted(self) -> list[Issue]:
        """Reads whose rows do not add up, and an agency total that differs from the sum
        of its files: each an error, so no report is made from them."""
        out = [Issue(r.file, r.sheet, None, None, None, "error",
                     f"đối soát dòng không khớp: {why}")
               for r in self.reads if (why := r.unaccounted())]
        tables = self.tables()
        for code in TABLES:
            accepted = sum(r.rows_accepted for r in self.reads if r.table.code == code)
            stored = len(tables[code]) if code in tables else 0
            if accepted != stored:
                out.append(Issue("(toàn cơ quan)", None, None, None, None, "error",
                                 f"đối soát dòng không khớp: bảng {code} có {accepted} dòng "
                                 f"nhận từ các tệp nhưng {stored} dòng để lưu"))
        return out


def group_by_file(issues: Iterable[Issue]) -> dict[str, list[Issue]]:
    out: dict[str, list[Issue]] = {}
    for i in issues:
        out.setdefault(i.file, []).append(i)
    return out

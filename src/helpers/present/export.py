"""Excel workbooks of the official tables, safe to open.

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` would run as a formula in
Excel or LibreOffice (CSV/formula injection); such cells are written with a leading
apostrophe so they stay text. Workbooks are written to a temporary file and moved into
place whole.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..atomic import stable_zip, write_bytes_atomic

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's ILLEGAL_CHARACTERS_RE
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; control
    characters, which a workbook's XML cannot hold (openpyxl refuses the cell), become
    spaces."""
    if isinstance(value, str):
        value = ILLEGAL.sub(" ", value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def _cell_value(value: object) -> object:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if hasattr(value, "item") and not isinstance(value, str):
        try:
            return value.item()
        except (AttributeError, ValueError):
            pass
    return neutralise(value)


def add_sheet(wb: Workbook, title: str, frame: pd.DataFrame, headers: Sequence[str] | None = None,
              heading: str | None = None, number_formats: dict[str, str] | None = None) -> None:
    ws = wb.create_sheet(title[:31])
    row0 = 1
    if heading:
        ws.cell(1, 1, neutralise(heading)).font = Font(bold=True, size=12)
        row0 = 3
    heads = list(headers or frame.columns)
    for j, h in enumerate(heads, start=1):
        c = ws.cell(row0, j, neutralise(str(h)))
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center")
    for i, row in enumerate(frame.itertuples(index=False), start=row0 + 1):
        for j, v in enumerate(row, start=1):
            cell = ws.cell(i, j, _cell_value(v))
            col = frame.columns[j - 1]
            if number_formats and col in number_formats:
                cell.number_format = number_formats[col]
            elif hasattr(cell.value, "year"):
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = ws.cell(row0 + 1, 1)
    for j, col in enumerate(frame.columns, start=1):
        width = max([len(str(heads[j - 1]))] + [len(str(v)) for v in frame[col].head(200)])
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, width + 2), 60)


def save(wb: Workbook, path: Path) -> None:
    if "Sheet" in wb.sheetnames and len(wb.sheetnames) > 1:
        del wb["Sheet"]
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes_atomic(path, stable_zip(buf.getvalue()))


def new_workbook() -> Workbook:
    return Workbook()

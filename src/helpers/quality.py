"""The data-quality workbook of an agency: row accounting per file, every rejected row
with its reasons, every error and warning (file, sheet, Excel row, column)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from . import export


def write_quality(path: Path, ingest: dict[str, Any]) -> None:
    """Row accounting, rejected rows with reasons, and every issue."""
    wb = export.new_workbook()
    export.add_sheet(wb, "Đối soát dòng", pd.DataFrame(ingest["accounting"]))
    export.add_sheet(wb, "Dòng bị loại", pd.DataFrame(
        ingest["rejected"], columns=["file", "sheet", "table", "row", "reason"]),
        ["Tệp", "Sheet", "Bảng", "Dòng", "Lý do"])
    export.add_sheet(wb, "Lỗi và cảnh báo", pd.DataFrame(
        ingest["issues"], columns=["file", "sheet", "row", "column", "field", "severity",
                                   "message"]),
        ["Tệp", "Sheet", "Dòng", "Cột", "Trường", "Mức", "Nội dung"])
    export.save(wb, path)

"""Biểu số 06/VPCP/KSTT as the form itself: on the page (a pandoc grid table with the
form's grouped heads and numbered columns) and as the "Biểu 06" sheet of ``tables.xlsx``,
printable on A4 landscape.

The form is made by ``indicators.official_form`` (identities checked); this module only
lays it out. Names of units and lĩnh vực come from files and ``params/``: escaped for
Markdown, neutralised for spreadsheets.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from ..indicators.official_form import NUMBERS
from ..indicators.periods import Window
from . import vnformat as vn
from .export import HEADER_FILL, neutralise
from .markdown import Cell, Md, cell_text, escape, grid_table

FORM_ID = "Biểu số 06/VPCP/KSTT"
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
SOURCE = f"{FORM_ID} ban hành kèm theo Thông tư số 01/2020/TT-VPCP của Văn phòng Chính phủ"
UNIT = "Đơn vị tính: Số hồ sơ TTHC"
SHEET = "Biểu 06"
# a body at the top of the tree (UBND cấp tỉnh) sends the form to the Văn phòng Chính phủ
TOP_RECEIVER = "Văn phòng Chính phủ"
GROUPS = (("Số hồ sơ nhận giải quyết", 4), ("Số hồ sơ đã giải quyết", 4),
          ("Số hồ sơ đang giải quyết", 3))
HEADS = ("Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
         "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn")
FIRST = ("STT", "Lĩnh vực, công việc giải quyết theo cấp")
# columns' text widths in the Markdown: they set the relative widths on the page and the
# PDF (portrait A4): the lĩnh vực wraps, the channel heads (4), (5) get room to be read
WIDTHS = (3, 22, 6, 7, 8, 6, 6, 6, 6, 6, 6, 6, 6)


def receiving_unit(parent_name: str | None) -> str:
    """The unit the form goes to: the agency's parent, else the Văn phòng Chính phủ."""
    return parent_name or TOP_RECEIVER


def period_line(window: Window) -> str:
    return f"Kỳ báo cáo: từ ngày {vn.day(window.start)} đến ngày {vn.day(window.end)}"


def markdown(form: pd.DataFrame, unit: str, receiver: str, window: Window) -> Md:
    """The form as the page, the PDF and the DOCX show it: its title, the reporting and
    receiving units, the period, the unit of count, and the table with its numbered
    columns (1)–(13)."""
    head = [f"**{TITLE}**", "", f"Đơn vị báo cáo: **{escape(unit)}**", "",
            f"Đơn vị nhận báo cáo: **{escape(receiver)}**", "", period_line(window), "",
            UNIT, ""]
    rows: list[list[Cell]] = [
        [Cell(FIRST[0], rowspan=2), Cell(FIRST[1], rowspan=2),
         *[Cell(name, colspan=n) for name, n in GROUPS]],
        [Cell(h) for h in HEADS],
        [Cell(cell_text(f"({i})")) for i in range(1, 14)],
    ]
    for _, r in form.iterrows():
        strong = r["kind"] != "row"
        label = cell_text(r["label"])
        nums = [vn.integer(r[n]) for n in NUMBERS]
        if strong:
            label, nums = f"**{label}**", [f"**{x}**" for x in nums]
        stt = cell_text(r["stt"]) if r["stt"] else ""
        rows.append([Cell(f"**{stt}**" if strong and stt else stt), Cell(label),
                     *[Cell(x) for x in nums]])
    table = grid_table(rows, list(WIDTHS), header_rows=3,
                       align=["c", "l", *["c"] * len(NUMBERS)])
    return Md("\n".join(head) + "\n" + table + f"\n\n_{SOURCE}._")


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEAD_ROW = 7  # the form's heads take rows 7–8, the column numbers row 9


def add_sheet(wb: Workbook, form: pd.DataFrame, unit: str, receiver: str, window: Window
              ) -> None:
    """The "Biểu 06" sheet: the form's heading, grouped heads over rows 7–8, the column
    numbers (1)–(13) on row 9, one row per form row; A4 landscape, fitted to the page's
    width, heads repeated on every printed page."""
    ws = wb.create_sheet(SHEET)
    ws["A1"] = FORM_ID
    ws["A1"].font = Font(bold=True)
    for row, text, bold in ((2, TITLE, True), (3, period_line(window), False)):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=13)
        ws.cell(row, 1, text).font = Font(bold=bold, size=12 if bold else 11)
        ws.cell(row, 1).alignment = _CENTER
    ws["A4"] = neutralise(f"Đơn vị báo cáo: {unit}")
    ws["A5"] = neutralise(f"Đơn vị nhận báo cáo: {receiver}")
    ws.merge_cells(start_row=6, start_column=1, end_row=6, end_column=13)
    ws["A6"] = UNIT
    ws["A6"].alignment = Alignment(horizontal="right")
    _heads(ws)
    for i, (_, r) in enumerate(form.iterrows(), start=HEAD_ROW + 3):
        values: list[Any] = [r["stt"] or None, neutralise(str(r["label"])),
                             *[int(r[n]) for n in NUMBERS]]
        for j, v in enumerate(values, start=1):
            c = ws.cell(i, j, v)
            c.border = _BOX
            c.font = Font(bold=r["kind"] != "row")
            c.alignment = (Alignment(wrap_text=True, vertical="center") if j == 2 else
                           Alignment(horizontal="center", vertical="center"))
            if j > 2:
                c.number_format = "#,##0"
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for j in range(3, 14):
        ws.column_dimensions[get_column_letter(j)].width = 11
    _print_setup(ws)


def _heads(ws) -> None:
    top, sub, nums = HEAD_ROW, HEAD_ROW + 1, HEAD_ROW + 2
    for j, text in enumerate(FIRST, start=1):
        ws.merge_cells(start_row=top, start_column=j, end_row=sub, end_column=j)
        ws.cell(top, j, text)
    col = 3
    for name, n in GROUPS:
        ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + n - 1)
        ws.cell(top, col, name)
        col += n
    for j, text in enumerate(HEADS, start=3):
        ws.cell(sub, j, text)
    for j in range(1, 14):
        ws.cell(nums, j, f"({j})")
        for r in (top, sub, nums):
            c = ws.cell(r, j)
            c.font = Font(bold=r != nums, italic=r == nums)
            c.fill = HEADER_FILL
            c.alignment = _CENTER
            c.border = _BOX
    ws.row_dimensions[sub].height = 45
    ws.freeze_panes = ws.cell(nums + 1, 3)


def _print_setup(ws) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW + 2}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5

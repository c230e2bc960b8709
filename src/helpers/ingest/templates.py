"""Blank Excel input templates, one per table of ``spec.TABLES``.

Each template has the table's data sheet (named with the table code, so ingestion
recognises it) with the spec's Vietnamese headers, drop-down lists for enumerated and
yes/no fields, date formats, and a "Hướng dẫn" sheet that explains every column. The
files are built from the spec alone, so a field added to the spec appears in its template.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .spec import TABLES, Field, Table

DATA_ROWS = 1000  # rows 2..1001 carry formats and drop-down lists
LAST_ROW = DATA_ROWS + 1
DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"  # codes such as "1.000123" or "012" must stay text
BOOL_VALUES = ("Có", "Không")
GUIDE_SHEET = "Hướng dẫn"
PERSONAL_EXAMPLES = ("Họ tên người nộp", "Số CCCD/CMND", "Địa chỉ", "Số điện thoại", "Email",
                     "Ngày sinh")

KIND_LABELS = {
    "text": "văn bản",
    "date": "ngày (dd/mm/yyyy)",
    "bool": "Có/Không",
    "int": "số nguyên",
    "money": "số tiền (đồng)",
    "enum": "chọn trong danh sách",
    "float": "số",
}

DESCRIPTIONS = {
    "ho_so": "Mỗi dòng là một hồ sơ thủ tục hành chính tiếp nhận tại bộ phận một cửa "
             "(xuất từ phần mềm một cửa). Mã hồ sơ không được trùng trong cùng cơ quan.",
    "thu_tuc": "Danh mục thủ tục hành chính của cơ quan, mỗi dòng một thủ tục, với mức độ "
               "dịch vụ công trực tuyến. Mã thủ tục không được trùng.",
    "danh_gia": "Mỗi dòng là một lượt đánh giá sự hài lòng (cổng/trang thông tin, quầy/kiosk, "
                "phiếu khảo sát, Zalo/SMS…).",
    "pakn": "Sổ theo dõi phản ánh, kiến nghị: mỗi dòng một phản ánh. Để trống “Ngày xử lý "
            "xong” nếu chưa xử lý xong.",
    "nhiem_vu": "Phụ lục nhiệm vụ của kế hoạch CCHC, mỗi dòng một nhiệm vụ, kèm tiến độ. "
                "“Thời gian hoàn thành” ghi như trong kế hoạch (vd. “Tháng 01/2019”, “Quý II”, "
                "“Thường xuyên”).",
    "kinh_phi": "Dự toán kinh phí thực hiện kế hoạch CCHC: mỗi dòng một nhiệm vụ cụ thể, số "
                "tiền là số nguyên đồng (vd. 1.800.000).",
    "chi_so": "Các chỉ số tự đánh giá không có nguồn dữ liệu chi tiết (vd. tỷ lệ văn bản điện "
              "tử, lãnh đạo dùng chữ ký số), mỗi dòng một chỉ số.",
}

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def field_values(f: Field) -> tuple[str, ...]:
    """The values a drop-down list offers for a field (empty: no list)."""
    if f.kind == "enum":
        return f.values
    if f.kind == "bool":
        return BOOL_VALUES
    return ()


def _comment_text(f: Field) -> str:
    parts = [f.name, KIND_LABELS.get(f.kind, f.kind), "bắt buộc" if f.required else "không bắt buộc"]
    text = " · ".join(parts)
    if f.help:
        text += f"\n{f.help}"
    if values := field_values(f):
        text += "\nGiá trị: " + " / ".join(values)
    return text


def _width(f: Field) -> float:
    base = {"date": 14, "bool": 12, "money": 18, "float": 12, "int": 10}.get(f.kind, 18)
    if f.name in ("procedure_name", "task", "product", "requirement", "evidence", "topic",
                  "item", "area", "group", "name", "note"):
        base = 40
    longest = max([len(f.header), *(len(v) for v in field_values(f))])
    return min(max(base, longest + 4), 60)


def _validation(f: Field) -> DataValidation:
    values = field_values(f)
    formula = '"' + ",".join(values) + '"'
    if len(formula) > 257 or any("," in v or '"' in v for v in values):
        raise ValueError(f"the values of {f.name} cannot make an Excel list: {values}")
    return DataValidation(
        type="list", formula1=formula, allow_blank=True, showDropDown=False,
        showErrorMessage=True, errorStyle="stop", errorTitle="Giá trị không hợp lệ",
        error=(f"“{f.header}” chỉ nhận một trong các giá trị: {', '.join(values)}. "
               "Hãy chọn trong danh sách thả xuống.")[:225],  # Excel's limit
        showInputMessage=True, promptTitle=f.header[:32],
        prompt=("Chọn trong danh sách" + ("" if f.required else " (có thể để trống)"))[:255],
    )


def _data_sheet(ws: Worksheet, table: Table) -> None:
    ws.title = table.code
    for j, f in enumerate(table.fields, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j, value=f.header)
        cell.font = _BOLD if f.required else Font(bold=False)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        comment = Comment(_comment_text(f), "cchc-reports")
        comment.width, comment.height = 300, 110
        cell.comment = comment
        ws.column_dimensions[letter].width = _width(f)
        fmt = DATE_FORMAT if f.kind == "date" else TEXT_FORMAT if f.kind == "text" else None
        if fmt:
            for r in range(2, LAST_ROW + 1):
                ws.cell(row=r, column=j).number_format = fmt
        if field_values(f):
            dv = _validation(f)
            dv.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(dv)
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def _guide_sheet(ws: Worksheet, table: Table) -> None:
    ws.title = GUIDE_SHEET
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 22
    ws.column_dimensions["D"].width = 16
    ws.column_dimensions["E"].width = 70

    def line(*values: object, bold: bool = False) -> None:
        ws.append(list(values))
        for c in ws[ws.max_row]:
            c.alignment = _WRAP
            if bold:
                c.font = _BOLD

    line(f"MẪU NHẬP LIỆU: {table.title.upper()} (bảng “{table.code}”)", bold=True)
    ws["A1"].font = Font(bold=True, size=13)
    line(DESCRIPTIONS.get(table.code, table.title))
    line(f"Nhập dữ liệu vào sheet “{table.code}”, bắt đầu từ dòng 2, mỗi dòng một bản ghi. "
         "Không đổi tên sheet và không sửa dòng tiêu đề; cột in đậm là cột bắt buộc.")
    line()
    line("Tiêu đề cột", "Tên trường", "Kiểu dữ liệu", "Bắt buộc", "Giá trị cho phép / ghi chú",
         bold=True)
    for c in ws[ws.max_row]:
        c.fill = _HEADER_FILL
    for f in table.fields:
        values = field_values(f)
        note = "; ".join(x for x in (" / ".join(values), f.help) if x)
        line(f.header, f.name, KIND_LABELS.get(f.kind, f.kind), "Có" if f.required else "Không",
             note)
    line()
    line("Cách ghi dữ liệu", bold=True)
    line("Ngày: nhập ngày của Excel (ô đã định dạng dd/mm/yyyy) hoặc văn bản dạng dd/mm/yyyy, "
         "vd. 05/03/2019; cũng đọc được d/m/yy, yyyy-mm-dd và “ngày 05 tháng 3 năm 2019”. "
         "Luôn ghi ngày trước, tháng sau.")
    line("Có/Không: chọn “Có” hoặc “Không” trong danh sách; khi dán từ tệp khác cũng đọc được "
         "“x” (= Có) và 1/0. Ô để trống nghĩa là không có thông tin"
         + (" (với “Thanh toán trực tuyến”: hồ sơ không mất phí)" if table.code == "ho_so" else "")
         + ".")
    if any(f.kind == "money" for f in table.fields):
        line("Số tiền: số nguyên đồng, có thể ghi 1800000 hoặc 1.800.000 (dấu chấm phân cách "
             "hàng nghìn).")
    if any(f.kind == "float" for f in table.fields):
        line("Số: dấu phẩy là dấu thập phân (12,5) hoặc nhập số của Excel.")
    line("Các dòng tiêu đề, dòng trống và dòng “Tổng cộng” không được tính là dữ liệu.")
    line()
    line("Dữ liệu cá nhân", bold=True)
    line("Không thêm các cột dữ liệu cá nhân (" + ", ".join(PERSONAL_EXAMPLES) + "…). Nếu có, "
         "các cột này bị loại bỏ ngay khi nhập, không được đọc và không xuất hiện trong bất kỳ "
         "báo cáo, nhật ký hay trang công bố nào.")
    line()
    line("Nơi đặt tệp", bold=True)
    line(f"Lưu tệp vào thư mục data/raw/<mã-cơ-quan>/<năm>/, vd. "
         f"data/raw/so-vhttdl-dong-nai/2019/{table.code}.xlsx. Mã cơ quan là mã trong "
         "params/agencies.yml (chữ thường, không dấu). Tên tệp hoặc tên sheet phải bắt đầu bằng "
         f"“{table.code}”" + ("" if table.year_from else "; năm của bảng được lấy từ thư mục "
                                "năm hoặc năm ghi trong tên tệp") + ".")
    line("Kiểm tra trước khi chạy báo cáo: cchc check --agency <mã-cơ-quan>.")
    ws.sheet_view.showGridLines = False


def build_template(table: Table) -> Workbook:
    wb = Workbook()
    _data_sheet(wb.active, table)
    _guide_sheet(wb.create_sheet(GUIDE_SHEET), table)
    wb.active = 0
    return wb


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _save_atomic(wb: Workbook, path: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx.tmp", dir=path.parent)
    os.close(fd)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual mode
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_templates(out: Path) -> list[Path]:
    """Write ``<code>.xlsx`` for every table into ``out``; returns the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for code, table in TABLES.items():
        path = out / f"{code}.xlsx"
        _save_atomic(build_template(table), path)
        written.append(path)
    return written

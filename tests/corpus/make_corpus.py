"""Build the ingestion corpus: bad and awkward input files, one small data root per case.

Each case ``tests/corpus/<case>/raw/corpus-agency/...`` is read by ``tests/test_corpus.py`` with
``helpers.ingest.read_agency``; the expected outcome of every case is in ``cases.yml``
(written by hand, not by this script). The generated files are committed: the tests never
run this script. Run it again only to change the corpus:

    .venv/bin/python tests/corpus/make_corpus.py

The output is deterministic: workbooks are re-zipped with fixed timestamps, random bytes
come from a seeded generator.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
import struct
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
AGENCY = "corpus-agency"
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
CORE_TIME = "2020-01-01T00:00:00Z"

Builder = Callable[[Path], None]
CASES: dict[str, Builder] = {}


def case(name: str) -> Callable[[Builder], Builder]:
    def deco(fn: Builder) -> Builder:
        assert name not in CASES, name
        CASES[name] = fn
        return fn
    return deco


# ---------------------------------------------------------------- writers

def write_xlsx(path: Path, sheets: list[dict], cached: dict[tuple[int, str], object] | None = None
               ) -> None:
    """One workbook. Each sheet: ``name``, ``rows`` (lists of cell values from A1), optional
    ``merges`` ("A1:F1"), ``state`` ("hidden"/"veryHidden"), ``bold_rows`` (1-based).
    ``cached`` gives formula cells (sheet index, "E6") the cached value Excel would have
    stored, which openpyxl cannot write itself."""
    wb = Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec["name"])
        for row in spec["rows"]:
            ws.append(list(row))
        for rng in spec.get("merges", ()):
            ws.merge_cells(rng)
        for r in spec.get("bold_rows", ()):
            for c in ws[r]:
                c.font = Font(bold=True)
                c.alignment = Alignment(wrap_text=True, horizontal="center")
        for ref in spec.get("bordered", ()):  # empty but formatted cells, as real exports have
            ws[ref].border = Border(bottom=Side(style="thin"))
        if "state" in spec:
            ws.sheet_state = spec["state"]
    wb.properties.creator = "corpus"
    wb.properties.created = datetime(2020, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    _write_zip(path, buf.getvalue(), cached or {})


def _write_zip(path: Path, data: bytes, cached: dict[tuple[int, str], object]) -> None:
    """Re-zip with fixed timestamps (deterministic bytes) and inject formula cached values."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            content = zin.read(name)
            if name == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", CORE_TIME.encode(), content)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
            if m:
                index = int(m[1]) - 1
                for (si, ref), value in cached.items():
                    if si != index:
                        continue
                    pattern = rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?'
                    content, n = re.subn(pattern.encode(),
                                         rb"\1<v>" + str(value).encode() + b"</v>", content)
                    assert n == 1, (path, ref)
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, content)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def write_csv(path: Path, rows: list[list[object]], delimiter: str = ";",
              encoding: str = "utf-8-sig") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in r] for r in rows])
    text = buf.getvalue()
    if encoding == "cp1258":
        data = to_cp1258(text)
    else:
        data = text.encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters (ă, â, ê, ô, ơ, ư, đ)
    precomposed, tone marks as combining characters after them."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        tones = "".join(c for c in parts if c in _TONES)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def write_xls(path: Path, sheet_name: str, rows: list[list[object]]) -> None:
    """A real Excel 97–2003 (BIFF8) workbook with one sheet, written by hand since no xls
    writer is installed: an OLE2 compound file holding a "Workbook" stream of BIFF records.
    Strings become LABEL records, numbers NUMBER, dates NUMBER with a date format (XF 16)."""
    def rec(typ: int, data: bytes) -> bytes:
        return struct.pack("<HH", typ, len(data)) + data

    def ustr(text: str, width: str) -> bytes:  # XLUnicodeString, UTF-16LE ("high byte")
        return struct.pack(width, len(text)) + b"\x01" + text.encode("utf-16-le")

    def bof(kind: int) -> bytes:
        return rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))

    font = rec(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0)
               + ustr("Arial", "<B"))
    style_xf = rec(0x00E0, struct.pack("<HHH", 0, 0, 0xFFF5) + bytes(14))
    cell_xf = rec(0x00E0, struct.pack("<HHH", 0, 0, 0x0001) + bytes(14))
    date_xf = rec(0x00E0, struct.pack("<HHH", 0, 14, 0x0001) + bytes(14))
    globals_head = (bof(0x0005) + rec(0x0042, struct.pack("<H", 1200))
                    + rec(0x0022, struct.pack("<H", 0)) + font * 5 + style_xf * 15 + cell_xf
                    + date_xf)

    def sheet_rec(pos: int) -> bytes:  # BoundSheet8: where the sheet's BOF is in the stream
        return rec(0x0085, struct.pack("<IBB", pos, 0, 0) + ustr(sheet_name, "<B"))

    eof = rec(0x000A, b"")
    cells = []
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, date):
                serial = (v - date(1899, 12, 30)).days
                cells.append(rec(0x0203, struct.pack("<HHHd", r, c, 16, float(serial))))
            elif isinstance(v, int | float) and not isinstance(v, bool):
                cells.append(rec(0x0203, struct.pack("<HHHd", r, c, 15, float(v))))
            else:
                cells.append(rec(0x0204, struct.pack("<HHH", r, c, 15) + ustr(str(v), "<H")))
    width = max(len(r) for r in rows)
    sheet = (bof(0x0010) + rec(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
             + b"".join(cells) + eof)
    pos = len(globals_head) + len(sheet_rec(0)) + len(eof)
    stream = globals_head + sheet_rec(pos) + eof + sheet
    stream += bytes(max(0, 4096 - len(stream)))  # below 4096 bytes it would go to the mini stream

    n = -(-len(stream) // 512)
    assert n + 2 <= 128
    end, free, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    fat = [0xFFFFFFFD, end] + [s + 1 for s in range(2, n + 1)] + [end]
    fat += [free] * (128 - len(fat))

    def entry(name: str, typ: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), typ, 1 if name else 0)
                + struct.pack("<III", nostream, nostream, child) + bytes(16)
                + struct.pack("<IQQIQ", 0, 0, 0, start, size))

    directory = (entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, nostream, 2,
                                                           len(stream))
                 + entry("", 0, nostream, 0, 0) * 2)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))
    data = (header + struct.pack("<128I", *fat) + directory
            + stream.ljust(n * 512, b"\x00"))
    write_bytes(path, data)


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# ---------------------------------------------------------------- sample content

HO_SO_HEAD = ["Mã hồ sơ", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Hình thức nộp",
              "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Thư xin lỗi",
              "Số hóa hồ sơ", "Kết quả điện tử"]
PROCS = [
    ("1.000954", "Cấp giấy phép tổ chức biểu diễn nghệ thuật", "Nghệ thuật biểu diễn"),
    ("1.001029", "Cấp giấy phép kinh doanh karaoke", "Văn hóa cơ sở"),
    ("2.000794", "Công nhận hạng cơ sở lưu trú du lịch", "Du lịch"),
]
CHANNELS = ["Trực tiếp", "Trực tuyến", "Bưu chính công ích"]
TITLE_1 = "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
TITLE_2 = "DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH NĂM 2019"


def dossier(i: int, text_dates: bool = False) -> list[object]:
    """Dossier i (1-based): received 2019-03-04 + i days, due 7 days later, resolved after 5
    days except every fourth dossier (still being processed)."""
    code, name, fld = PROCS[(i - 1) % len(PROCS)]
    received = date(2019, 3, 4) + timedelta(days=i)
    due = received + timedelta(days=7)
    resolved = None if i % 4 == 0 else received + timedelta(days=5)
    dates: list[object] = [received, due, resolved]
    if text_dates:
        dates = [None if d is None else f"{d:%d/%m/%Y}" for d in dates]
    return [f"HS-2019-{i:04d}", code, name, fld, CHANNELS[(i - 1) % 3], *dates,
            "Không", "Có", "Có" if i % 2 else "Không"]


def dossiers(n: int, text_dates: bool = False, first: int = 1) -> list[list[object]]:
    return [dossier(i, text_dates) for i in range(first, first + n)]


def ho_so_sheet(rows: list[list[object]], head: list[object] | None = None,
                name: str = "ho_so") -> dict:
    """The one-stop-shop export layout: two merged title rows, a blank row, the header."""
    head = head or HO_SO_HEAD
    width = len(head)
    last = chr(ord("A") + width - 1)
    return {"name": name, "rows": [[TITLE_1], [TITLE_2], [], head, *rows],
            "merges": [f"A1:{last}1", f"A2:{last}2"], "bold_rows": [4]}


def year_dir(agency_dir: Path, year: int = 2019) -> Path:
    return agency_dir / str(year)


KINH_PHI_HEAD = ["Nhiệm vụ chung", "Nhiệm vụ cụ thể", "Sản phẩm", "Thời gian",
                 "Dự kiến kinh phí", "Đã thực hiện", "Ghi chú"]
BUDGET_ITEMS = [
    ("Cải cách thủ tục hành chính", "Rà soát, đánh giá thủ tục hành chính",
     "Báo cáo rà soát", "Quý II"),
    ("Tuyên truyền cải cách hành chính", "Tổ chức hội thi tìm hiểu về CCHC",
     "Hội thi", "Quý III"),
    ("Hiện đại hóa hành chính", "Duy trì hệ thống quản lý chất lượng ISO 9001:2015",
     "Giấy chứng nhận", "Trong năm 2019"),
]

NHIEM_VU_HEAD = ["STT", "Nhóm nhiệm vụ", "Nhiệm vụ", "Sản phẩm", "Đơn vị chủ trì",
                 "Đơn vị phối hợp", "Thời gian hoàn thành", "Tiến độ", "Ngày hoàn thành",
                 "Kết quả, văn bản"]


def tasks() -> list[list[object]]:
    return [
        [1, "I. Công tác chỉ đạo điều hành", "Xây dựng Kế hoạch CCHC năm 2019",
         "Kế hoạch", "Văn phòng Sở", "Các phòng, đơn vị", "Quý I/2019 và hằng năm",
         "Hoàn thành", date(2019, 1, 31), "Kế hoạch số 438/KH-SVHTT ngày 31/01/2019"],
        [2, "III. Cải cách thủ tục hành chính", "Rà soát, đánh giá thủ tục hành chính",
         "Báo cáo", "Văn phòng Sở", "Phòng Quản lý văn hóa", "Tháng 10/2019",
         "Đang thực hiện", None, None],
        [3, "VII. Hiện đại hóa hành chính", "Cập nhật hồ sơ lên phần mềm một cửa",
         "Dữ liệu", "Văn phòng Sở", None, "Thường xuyên", "Đang thực hiện", None, None],
    ]


# ---------------------------------------------------------------- honest but awkward files

@case("title-rows-merged")
def _title_rows(a: Path) -> None:
    head = HO_SO_HEAD
    rows = [[TITLE_1, None, None, None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            ["VĂN PHÒNG SỞ", None, None, None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
            [],
            [TITLE_2],
            ["(Kèm theo Báo cáo số 12/BC-SVHTTDL ngày 14/3/2019)"],
            [None, None, None, None, None, None, None, None, None, None, "Đơn vị tính: hồ sơ"],
            head, *dossiers(5)]
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [{
        "name": "ho_so", "rows": rows,
        "merges": ["A1:E1", "H1:K1", "A2:E2", "H2:K2", "A4:K4", "A5:K5"], "bold_rows": [7]}])


@case("blank-rows")
def _blank_rows(a: Path) -> None:
    data = dossiers(5)
    rows = [[TITLE_2], [], [], [], HO_SO_HEAD, data[0], data[1], [], data[2], [None] * 11,
            data[3], ["", "", " ", ""], data[4], [], []]
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [{
        "name": "ho_so", "rows": rows, "merges": ["A1:K1"],
        "bordered": ["A16", "K17", "C19"]}])


def _two_row_sheet(parent: str, children: list[str]) -> dict:
    top = ["Mã hồ sơ", "Mã thủ tục", "Lĩnh vực", "Hình thức nộp", parent, None, None,
           "Chuyển đổi số", None]
    below = [None, None, None, None, *children, "Số hóa hồ sơ", "Kết quả điện tử"]
    body = []
    for r in dossiers(4):
        body.append([r[0], r[1], r[3], r[4], r[5], r[6], r[7], r[9], r[10]])
    return {"name": "ho_so", "rows": [[TITLE_2], [], top, below, *body],
            "merges": ["A1:I1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:G3", "H3:I3"],
            "bold_rows": [3, 4]}


@case("two-row-header")
def _two_row_header(a: Path) -> None:
    sheet = _two_row_sheet("Thời gian giải quyết",
                           ["Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"])
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [sheet])


@case("two-row-header-parent-ngay")
def _two_row_header_ngay(a: Path) -> None:
    sheet = _two_row_sheet("Ngày", ["Tiếp nhận", "Hẹn trả", "Có kết quả"])
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [sheet])


@case("hidden-sheet-garbage")
def _hidden_sheet(a: Path) -> None:
    garbage = [["Mã hồ sơ", "Ngày tiếp nhận", "Hình thức nộp"],
               ["???", "31/02/2019", "Fax"], ["=== nháp, đừng xóa ==="], [None, -5, "có lẽ"]]
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [
        ho_so_sheet(dossiers(3)),
        {"name": "ho_so_nhap", "rows": garbage, "state": "hidden"},
        {"name": "ghi chu", "rows": [["Sheet của người lập biểu"], ["x", "y"]],
         "state": "veryHidden"},
    ])


@case("formula-cached-values")
def _formulas(a: Path) -> None:
    rows = [["DỰ TOÁN KINH PHÍ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2019"], [],
            KINH_PHI_HEAD,
            [*BUDGET_ITEMS[0], "=1500000+300000", "=E4/2", None],
            [*BUDGET_ITEMS[1], 2500000, "=ROUND(E5*0.4,0)", None],
            [*BUDGET_ITEMS[2], "=2*600000", 0, "Đã thanh toán đợt 1"],
            ["Tổng cộng", None, None, None, "=SUM(E4:E6)", "=SUM(F4:F6)", None]]
    cached = {(0, "E4"): 1800000, (0, "F4"): 900000, (0, "F5"): 1000000, (0, "E6"): 1200000,
              (0, "E7"): 5500000, (0, "F7"): 1900000}
    write_xlsx(year_dir(a) / "kinh_phi_2019.xlsx",
               [{"name": "kinh_phi", "rows": rows, "merges": ["A1:G1"]}], cached)


@case("csv-utf8-bom-semicolon")
def _csv_bom(a: Path) -> None:
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *dossiers(5, text_dates=True)],
              ";", "utf-8-sig")


@case("csv-utf8-comma-quoted")
def _csv_comma(a: Path) -> None:
    rows = dossiers(4, text_dates=True)
    rows[0][2] = "Cấp, cấp lại giấy phép tổ chức biểu diễn nghệ thuật"
    rows[1][2] = 'Cấp giấy phép "karaoke", vũ trường'
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *rows], ",", "utf-8")


@case("csv-utf16-tab")
def _csv_utf16(a: Path) -> None:
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *dossiers(4, text_dates=True)],
              "\t", "utf-16")  # little-endian with BOM, as Excel's "Unicode text"


@case("csv-utf16be-semicolon")
def _csv_utf16be(a: Path) -> None:
    text_rows = [HO_SO_HEAD, *dossiers(3, text_dates=True)]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(
        [["" if v is None else v for v in r] for r in text_rows])
    write_bytes(year_dir(a) / "ho_so_2019.csv", b"\xfe\xff" + buf.getvalue().encode("utf-16-be"))


@case("csv-cp1258")
def _csv_cp1258(a: Path) -> None:
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *dossiers(3, text_dates=True)],
              ";", "cp1258")


@case("csv-semicolon-commas-in-text")
def _csv_commas(a: Path) -> None:
    rows = [
        [1, "I. Công tác chỉ đạo, điều hành",
         "Xây dựng, ban hành kế hoạch CCHC, kế hoạch kiểm tra, kế hoạch tuyên truyền",
         "Kế hoạch, báo cáo", "Văn phòng Sở", "Các phòng, ban, đơn vị",
         "Quý I/2019", "Hoàn thành", "31/01/2019",
         "Kế hoạch số 438/KH-SVHTT, Kế hoạch số 439/KH-SVHTT, Kế hoạch số 440/KH-SVHTT"],
        [2, "II. Cải cách thể chế, pháp chế",
         "Rà soát, hệ thống hóa, kiểm tra văn bản quy phạm pháp luật, văn bản cá biệt",
         "Báo cáo, danh mục", "Thanh tra Sở", "Văn phòng, các phòng, đơn vị",
         "Tháng 10/2019", "Đang thực hiện", "", ""],
        [3, "IV. Cải cách tổ chức bộ máy, tinh giản biên chế",
         "Rà soát, sắp xếp, kiện toàn tổ chức, bộ máy, vị trí việc làm",
         "Đề án, quyết định", "Phòng Tổ chức, pháp chế", "Các đơn vị, phòng, ban",
         "Trong năm 2019", "Chưa thực hiện", "", ""],
    ]
    write_csv(year_dir(a) / "nhiem_vu_2019.csv", [NHIEM_VU_HEAD, *rows], ";", "utf-8-sig")


@case("csv-semicolon-comma-amounts")
def _csv_comma_amounts(a: Path) -> None:
    rows = [["Cải cách thủ tục hành chính, hiện đại hóa", "Rà soát, đánh giá, đơn giản hóa TTHC",
             "Báo cáo, danh mục", "Quý II, Quý III", "1,800,000", "1,200,000", "Đợt 1, đợt 2"],
            ["Tuyên truyền, thông tin về CCHC", "Hội thi, tọa đàm, tập huấn",
             "Hội thi, tài liệu", "Quý III, Quý IV", "12,500,000", "3,000,000", None],
            ["Hiện đại hóa hành chính", "Mua sắm, bảo trì máy quét, máy tính",
             "Máy quét, máy tính", "Trong năm 2019", "25,000,000", "0", "Đã mua 2, còn 1"]]
    write_csv(year_dir(a) / "kinh_phi_2019.csv", [KINH_PHI_HEAD, *rows], ";", "utf-8-sig")


@case("xls-biff8")
def _xls(a: Path) -> None:
    rows = [[TITLE_1], [TITLE_2], [], HO_SO_HEAD, *dossiers(3)]
    rows[4 + 1][0] = 190306000002  # a numeric dossier id, as some one-stop-shop exports write
    write_xls(year_dir(a) / "ho_so_2019.xls", "Danh sách hồ sơ", rows)


@case("excel-serial-dates")
def _serials(a: Path) -> None:
    rows = dossiers(5)
    rows[0][5:8] = [43529, 43536, 43534]  # numbers without a date format
    rows[1][5:8] = ["43530", "43537", "43535.0"]  # serials as text
    rows[2][5:8] = [43531.375, datetime(2019, 3, 14, 16, 45), datetime(2019, 3, 12, 8, 0)]
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [ho_so_sheet(rows)])


@case("text-dates")
def _text_dates(a: Path) -> None:
    forms = [("5/3/19", "12/3/19", "10/3/19"),
             ("2019-03-06", "2019-03-13", ""),
             ("ngày 07 tháng 3 năm 2019", "Ngày 14 tháng 03 năm 2019", "ngày 7 tháng 3 năm 2019"),
             ("08.03.2019", "15-03-2019", "08/03/2019"),
             ("09/03/2019 08:30", "2019-03-16 17:00:00", "16/03/2019 16:59:59")]
    rows = dossiers(5, text_dates=True)
    for r, f in zip(rows, forms, strict=True):
        r[5:8] = list(f)
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *rows], ";", "utf-8-sig")


@case("booleans-mixed")
def _booleans(a: Path) -> None:
    head = [*HO_SO_HEAD[:8], "Thư xin lỗi", "Thanh toán trực tuyến", "Số hóa hồ sơ",
            "Kết quả điện tử"]
    marks = [["Có", "Không", "có", "KHÔNG"],
             ["x", None, "X", ""],
             [1, 0, 1, 0],
             ["1", "0", " 1 ", "0"],
             [True, False, True, False],
             ["TRUE", "False", "true", "FALSE"]]
    rows = [[*r[:8], *m] for r, m in zip(dossiers(6), marks, strict=True)]
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [ho_so_sheet(rows, head)])


@case("money-formats")
def _money(a: Path) -> None:
    spent: list[object] = ["900.000", "1,200,000", 0, "", None, "1 000 000"]
    planned: list[object] = ["1.800.000", "1,800,000", 1800000, "1.800.000 đ", 1800000.0,
                             "1 800 000 VNĐ"]
    rows = []
    for i, (p, s) in enumerate(zip(planned, spent, strict=True)):
        item = BUDGET_ITEMS[i % 3]
        rows.append([item[0], f"{item[1]} (đợt {i + 1})", item[2], item[3], p, s, None])
    write_xlsx(year_dir(a) / "kinh_phi_2019.xlsx", [{"name": "kinh_phi", "rows": [
        ["DỰ TOÁN KINH PHÍ NĂM 2019"], [None, None, None, None, "Đơn vị tính: đồng"],
        KINH_PHI_HEAD, *rows]}])


@case("headers-caps-no-diacritics")
def _caps(a: Path) -> None:
    head = ["MA HO SO", "MA THU TUC", "TEN THU TUC", "LINH VUC", "HINH THUC NOP",
            "NGAY TIEP NHAN", "NGAY HEN TRA", "NGAY CO KET QUA", "THU XIN LOI", "SO HOA HO SO",
            "KET QUA DIEN TU"]
    write_csv(year_dir(a) / "ho_so_2019.csv", [head, *dossiers(3, text_dates=True)], ";",
              "utf-8-sig")


@case("headers-field-names")
def _field_names(a: Path) -> None:
    head = ["dossier_id", "procedure_code", "procedure_name", "field", "channel",
            "received_on", "due_on", "resolved_on", "apology_sent", "digitized", "e_result"]
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [{"name": "Sheet1", "rows": [
        head, *dossiers(3)]}])


@case("headers-wrapped-nbsp")
def _wrapped(a: Path) -> None:
    head = ["Mã\nhồ sơ", "Mã thủ\ntục", " Tên thủ tục ", "Lĩnh\u00a0vực", "Hình thức\r\nnộp",
            "Ngày tiếp\u00a0nhận", "Ngày hẹn\ntrả", "Ngày có  kết quả", "Thư xin lỗi",
            "Số hóa\nhồ sơ", "Kết quả\nđiện tử"]
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [ho_so_sheet(dossiers(3), head)])


@case("headers-decomposed-unicode")
def _nfd(a: Path) -> None:
    head = [unicodedata.normalize("NFD", h) for h in HO_SO_HEAD]
    rows = dossiers(3, text_dates=True)
    for r in rows:
        r[3] = unicodedata.normalize("NFD", r[3])
        r[4] = unicodedata.normalize("NFD", r[4])
    write_csv(year_dir(a) / "ho_so_2019.csv", [head, *rows], ",", "utf-8")


@case("extra-columns")
def _extra(a: Path) -> None:
    head = ["STT", *HO_SO_HEAD, "Cán bộ tiếp nhận", "Ghi chú"]
    rows = [[i + 1, *r, "Trần Thị Bình", "nộp bổ sung"] for i, r in
            enumerate(dossiers(3, text_dates=True))]
    write_csv(year_dir(a) / "ho_so_2019.csv", [head, *rows], ";", "utf-8-sig")


PERSONAL_HEAD = ["Họ tên người nộp", "Số CCCD/CMND", "Địa chỉ", "Số điện thoại", "Email",
                 "Ngày sinh"]
PERSONS = [
    ["Nguyễn Văn An", "079085001234", "12 Lê Lợi, P. Quyết Thắng, TP. Biên Hòa", "0909123456",
     "an.nguyen@example.vn", "01/02/1985"],
    ["Lê Thị Bích Ngọc", "075190004321", "45 Phạm Văn Thuận, TP. Biên Hòa", "0918765432",
     "ngoc.le@example.vn", "23/11/1990"],
    ["Phạm Minh Châu", "072088009876", "Ấp 3, xã Phú Hữu, huyện Nhơn Trạch", "0987001122",
     "chau.pham@example.vn", "05/07/1988"],
]


@case("personal-data")
def _personal(a: Path) -> None:
    head = [*HO_SO_HEAD[:3], *PERSONAL_HEAD[:3], *HO_SO_HEAD[3:], *PERSONAL_HEAD[3:],
            "Họ và tên", "CMND"]
    rows = [[*r[:3], *p[:3], *r[3:], *p[3:], p[0].upper(), p[1]]
            for r, p in zip(dossiers(3), PERSONS, strict=True)]
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [ho_so_sheet(rows, head)])


@case("kinh-phi-total-row")
def _total(a: Path) -> None:
    rows = [[*it, f"{(i + 1) * 1_200_000:,}".replace(",", "."), None, None]
            for i, it in enumerate(BUDGET_ITEMS)]
    write_xlsx(year_dir(a) / "kinh_phi_2019.xlsx", [{"name": "kinh_phi", "rows": [
        ["DỰ TOÁN KINH PHÍ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2019"], [],
        KINH_PHI_HEAD, *rows, [], ["Tổng cộng", None, None, None, "7.200.000", None, None]],
        "merges": ["A1:G1"]}])


@case("header-only")
def _header_only(a: Path) -> None:
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD], ";", "utf-8-sig")


@case("sheet-names-vietnamese")
def _sheet_names(a: Path) -> None:
    ratings = [["Ngày đánh giá", "Kênh đánh giá", "Kết quả", "Mã hồ sơ"],
               [date(2019, 3, 10), "Quầy/Kiosk", "Rất hài lòng", "HS-2019-0001"],
               [date(2019, 3, 11), "Cổng/Trang thông tin", "Hài lòng", "HS-2019-0002"],
               [date(2019, 3, 12), "Zalo/SMS", "bình thường", None],
               [date(2019, 3, 13), "Phiếu khảo sát", "Không hài lòng", None]]
    write_xlsx(year_dir(a) / "bao_cao_thang_3_2019.xlsx", [
        ho_so_sheet(dossiers(3), name="Hồ sơ TTHC"),
        {"name": "Đánh giá sự hài lòng", "rows": ratings},
        {"name": "Sheet3", "rows": []},
    ])


@case("lock-files-ignored")
def _locks(a: Path) -> None:
    d = year_dir(a)
    write_csv(d / "ho_so_2019.csv", [HO_SO_HEAD, *dossiers(3, text_dates=True)])
    write_bytes(d / "~$ho_so_2019.xlsx", b"\x0bcorpus     " + bytes(150))
    write_bytes(d / ".~lock.ho_so_2019.csv#", b",corpus,may-tinh,01.01.2020 00:00,file:///x;\n")
    write_bytes(d / ".ho_so_2019.csv", b"\x00\x05\x16\x07garbage")


@case("txt-not-an-input")
def _txt(a: Path) -> None:
    write_csv(year_dir(a) / "ho_so_2019.txt", [HO_SO_HEAD, *dossiers(3, text_dates=True)])


@case("enum-case-and-spaces")
def _enums(a: Path) -> None:
    head = [*HO_SO_HEAD[:8], "Trạng thái"]
    values = [("trực tuyến ", "Đã giải quyết"), ("TRỰC TIẾP", "đang giải quyết"),
              ("Buu chinh cong ich", "RÚT HỒ SƠ"), ("Trực  tuyến", "Từ chối")]
    rows = [[*r[:4], ch, *r[5:8], st]
            for r, (ch, st) in zip(dossiers(4, text_dates=True), values, strict=True)]
    write_csv(year_dir(a) / "ho_so_2019.csv", [head, *rows])


@case("nhiem-vu-year-in-filename")
def _plan(a: Path) -> None:
    write_xlsx(a / "ke_hoach" / "ke_hoach_cchc_2019.xlsx", [{
        "name": "Phụ lục", "rows": [
            ["PHỤ LỤC"], ["NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2019"],
            ["(Kèm theo Kế hoạch số 438/KH-SVHTT ngày 31/01/2019)"], [],
            NHIEM_VU_HEAD, *tasks()],
        "merges": ["A1:J1", "A2:J2", "A3:J3"], "bold_rows": [5]}])


@case("numeric-and-zero-padded-ids")
def _ids(a: Path) -> None:
    d = year_dir(a)
    rows = dossiers(2)
    rows[0][0] = 190305000123
    rows[1][0] = 12.0
    write_xlsx(d / "ho_so_mot_cua_2019.xlsx", [ho_so_sheet(rows)])
    rows = dossiers(2, text_dates=True, first=3)
    rows[0][0] = "000123"
    rows[1][0] = "0012"
    write_csv(d / "ho_so_dvc_2019.csv", [HO_SO_HEAD, *rows])


THU_TUC_HEAD = ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Mức độ DVCTT",
                "Bưu chính công ích", "Công khai", "Có hồ sơ mẫu"]


def catalogue(levels: tuple[str, str, str]) -> list[list[object]]:
    return [[c, n, f, lv, "Có", "Có", "Không"] for (c, n, f), lv in zip(PROCS, levels,
                                                                        strict=True)]


@case("thu-tuc-two-years")
def _catalogue_years(a: Path) -> None:
    write_xlsx(year_dir(a, 2018) / "thu_tuc_2018.xlsx", [{"name": "thu_tuc", "rows": [
        THU_TUC_HEAD, *catalogue(("Một phần", "Không", "Không"))]}])
    write_xlsx(year_dir(a, 2019) / "thu_tuc_2019.xlsx", [{"name": "thu_tuc", "rows": [
        THU_TUC_HEAD, *catalogue(("Toàn trình", "Một phần", "Không"))]}])
    rows = dossiers(3, text_dates=True)
    rows[2][1] = "9.999999"
    write_csv(year_dir(a, 2019) / "ho_so_2019.csv", [HO_SO_HEAD, *rows])


@case("unrecognised-files")
def _unrecognised(a: Path) -> None:
    d = year_dir(a)
    write_xlsx(d / "bao_cao_tong_hop.xlsx", [{"name": "Sheet1", "rows": [
        ["BÁO CÁO TỔNG HỢP"], ["Nội dung", "Số liệu"], ["Hồ sơ tiếp nhận", 120]]}])
    write_csv(d / "ghi_chu.csv", [["Ghi chú", "Người ghi"], ["Nhớ nộp báo cáo trước 12/3", "VP"]])


@case("chi-so-decimal-comma")
def _chi_so(a: Path) -> None:
    head = ["Mã chỉ số", "Tên chỉ số", "Tử số", "Mẫu số", "Giá trị", "Đơn vị tính",
            "Chỉ tiêu", "Ghi chú"]
    rows = [["VBDT", "Tỷ lệ văn bản trao đổi dưới dạng điện tử", "1.234", "1.300", "94,92",
             "%", "90", None],
            ["CKS", "Tỷ lệ lãnh đạo sử dụng chữ ký số", 4, 4, 100, "%", 100, None],
            ["TAPHUAN", "Số công chức được tập huấn", None, None, "35", "người", None,
             "2 lớp"]]
    write_csv(year_dir(a) / "chi_so_2019.csv", [head, *rows])


# ---------------------------------------------------------------- bad files

@case("missing-required-column")
def _missing(a: Path) -> None:
    head = [h for h in HO_SO_HEAD if h != "Hình thức nộp"]
    rows = [[v for j, v in enumerate(r) if j != 4] for r in dossiers(3, text_dates=True)]
    write_csv(year_dir(a) / "ho_so_2019.csv", [head, *rows])


@case("no-header-row")
def _no_header(a: Path) -> None:
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [{"name": "ho_so", "rows": [
        ["DANH SÁCH HỒ SƠ"], ["Số TT", "Số biên nhận", "Người nộp", "Ngày nộp"],
        [1, "000.00.19.H20-190305-0001", "Nguyễn Văn An", "05/03/2019"]]}])


@case("empty-csv")
def _empty_csv(a: Path) -> None:
    write_bytes(year_dir(a) / "ho_so_2019.csv", b"")


@case("date-not-exist")
def _date_not_exist(a: Path) -> None:
    rows = dossiers(4, text_dates=True)
    rows[1][5] = "31/02/2019"
    rows[2][6] = "29/02/2019"
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *rows])


@case("date-unparseable")
def _date_text(a: Path) -> None:
    rows = dossiers(4, text_dates=True)
    rows[0][5] = "đầu tháng 3"
    rows[2][6] = "05/03"
    rows[3][7] = "Mar 5, 2019"
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *rows])


@case("due-before-received")
def _due_before(a: Path) -> None:
    rows = dossiers(4)
    rows[2][6] = date(2019, 3, 1)
    rows[2][7] = None
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [ho_so_sheet(rows)])


@case("resolved-before-received")
def _resolved_before(a: Path) -> None:
    rows = dossiers(4, text_dates=True)
    rows[0][7] = "01/03/2019"
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *rows])


@case("date-implausible")
def _implausible(a: Path) -> None:
    rows = dossiers(5, text_dates=True)
    rows[0][5] = "05/03/1900"
    rows[1][6] = "01/01/2099"
    rows[2][7] = "31/12/9999"  # "no deadline" placeholder; pandas cannot hold it
    rows[3][5] = "1"  # Excel serial 1 = 31/12/1899
    rows[4][5] = "01/01/1600"
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *rows])


@case("duplicate-id-same-file")
def _dup_file(a: Path) -> None:
    rows = dossiers(5, text_dates=True)
    rows[4][0] = rows[1][0]
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *rows])


@case("duplicate-id-two-files")
def _dup_files(a: Path) -> None:
    d = year_dir(a)
    write_csv(d / "ho_so_dvc_2019.csv", [HO_SO_HEAD, *dossiers(3, text_dates=True)])
    rows = dossiers(3, first=4)
    rows[1][0] = "HS-2019-0002"
    write_xlsx(d / "ho_so_mot_cua_2019.xlsx", [ho_so_sheet(rows)])


@case("carried-over-in-two-exports")
def _carried_over(a: Path) -> None:
    """A dossier received in late 2018 and resolved in 2019 is in both yearly exports."""
    open_2018 = ["HS-2018-0099", *PROCS[0], "Trực tiếp", "20/12/2018", "28/12/2018", None,
                 "Không", "Không", "Không"]
    write_csv(year_dir(a, 2018) / "ho_so_2018.csv", [HO_SO_HEAD, *dossiers(2, True), open_2018])
    resolved_2019 = [*open_2018[:7], "27/12/2018", "Không", "Có", "Có"]
    resolved_2019[7] = "03/01/2019"
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, resolved_2019, *dossiers(2, True, 5)])


@case("enum-not-allowed")
def _enum_bad(a: Path) -> None:
    rows = dossiers(3, text_dates=True)
    rows[1][4] = "Fax"
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *rows])


@case("bool-not-bool")
def _bool_bad(a: Path) -> None:
    rows = dossiers(3)
    rows[0][9] = "có lẽ"
    rows[2][10] = 2
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [ho_so_sheet(rows)])


@case("required-cell-empty")
def _required_empty(a: Path) -> None:
    rows = dossiers(4, text_dates=True)
    rows[1][1] = ""
    rows[2][5] = "  "
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *rows])


@case("money-negative")
def _money_negative(a: Path) -> None:
    rows = [[*BUDGET_ITEMS[0], "-1.800.000", None, None],
            [*BUDGET_ITEMS[1], 2500000, -500000, None],
            [*BUDGET_ITEMS[2], "1.200.000", "600.000", None]]
    write_xlsx(year_dir(a) / "kinh_phi_2019.xlsx", [{"name": "kinh_phi", "rows": [
        KINH_PHI_HEAD, *rows]}])


@case("money-decimals")
def _money_decimals(a: Path) -> None:
    rows = [[*BUDGET_ITEMS[0], "1.800.000,5", None, None],
            [*BUDGET_ITEMS[1], 1800000.5, None, None],
            [*BUDGET_ITEMS[2], "1,8 triệu", None, None]]
    write_xlsx(year_dir(a) / "kinh_phi_2019.xlsx", [{"name": "kinh_phi", "rows": [
        KINH_PHI_HEAD, *rows]}])


@case("formula-without-cached-value")
def _formula_nocache(a: Path) -> None:
    rows = [KINH_PHI_HEAD, [*BUDGET_ITEMS[0], "=1500000+300000", None, None],
            [*BUDGET_ITEMS[1], 2500000, None, None]]
    write_xlsx(year_dir(a) / "kinh_phi_2019.xlsx", [{"name": "kinh_phi", "rows": rows}])


@case("corrupt-xlsx")
def _corrupt(a: Path) -> None:
    write_bytes(year_dir(a) / "ho_so_2019.xlsx", random.Random(20190305).randbytes(4096))


@case("wrong-content-for-suffix")
def _wrong_suffix(a: Path) -> None:
    d = year_dir(a)
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows([HO_SO_HEAD, *dossiers(2, text_dates=True)])
    write_bytes(d / "ho_so_2019.xlsx", buf.getvalue().encode("utf-8-sig"))
    write_bytes(d / "thu_tuc_2019.xlsx", b"")


@case("html-saved-as-xls")
def _html_xls(a: Path) -> None:
    cells = "".join(f"<td>{h}</td>" for h in HO_SO_HEAD)
    body = "".join("<tr>" + "".join(f"<td>{'' if v is None else v}</td>" for v in r) + "</tr>"
                   for r in dossiers(2, text_dates=True))
    html = (f'<html><head><meta charset="utf-8"></head><body><table><tr>{cells}</tr>{body}'
            "</table></body></html>")
    write_bytes(year_dir(a) / "ho_so_2019.xls", html.encode("utf-8"))


@case("csv-undecodable")
def _undecodable(a: Path) -> None:
    write_bytes(year_dir(a) / "ho_so_2019.csv",
                "Mã hồ sơ;Ngày".encode() + b"\x81\x8d\x8e\x8f\x90;\x9d\x9e\r\nA;B\r\n")


@case("nhiem-vu-no-year")
def _plan_no_year(a: Path) -> None:
    write_xlsx(a / "nhiem_vu.xlsx", [{"name": "nhiem_vu", "rows": [NHIEM_VU_HEAD, *tasks()]}])


@case("same-column-twice")
def _twice(a: Path) -> None:
    head = [*HO_SO_HEAD, "Ngày tiếp nhận", "Số hồ sơ"]
    rows = [[*r, r[5], r[0]] for r in dossiers(3, text_dates=True)]
    write_csv(year_dir(a) / "ho_so_2019.csv", [head, *rows])


@case("pakn-dates-wrong-order")
def _pakn(a: Path) -> None:
    head = ["Mã phản ánh", "Ngày tiếp nhận", "Hạn xử lý", "Ngày xử lý xong", "Kênh tiếp nhận",
            "Nội dung"]
    rows = [["PA-01", date(2019, 3, 5), date(2019, 3, 15), date(2019, 3, 10), "Cổng DVC",
             "Phản ánh về thời gian giải quyết"],
            ["PA-02", date(2019, 3, 6), date(2019, 3, 1), None, "Đường dây nóng",
             "Kiến nghị về thủ tục"],
            ["PA-03", date(2019, 3, 7), date(2019, 3, 17), date(2019, 3, 2), "Hộp thư góp ý",
             "Phản ánh về thái độ"]]
    write_xlsx(year_dir(a) / "pakn_2019.xlsx", [{"name": "pakn", "rows": [head, *rows]}])


@case("danh-gia-result-invalid")
def _rating_bad(a: Path) -> None:
    rows = [["Ngày đánh giá", "Kênh đánh giá", "Kết quả"],
            ["10/03/2019", "Quầy/Kiosk", "Rất hài lòng"],
            ["11/03/2019", "Quầy/Kiosk", "Tốt"],
            ["12/03/2019", "Zalo/SMS", "Hài lòng"]]
    write_csv(year_dir(a) / "danh_gia_2019.csv", rows)


@case("thu-tuc-duplicate-same-year")
def _catalogue_dup(a: Path) -> None:
    d = year_dir(a)
    write_xlsx(d / "thu_tuc_2019.xlsx", [{"name": "thu_tuc", "rows": [
        THU_TUC_HEAD, *catalogue(("Toàn trình", "Một phần", "Không"))]}])
    extra = [[PROCS[1][0], PROCS[1][1], PROCS[1][2], "Toàn trình", "Không", "Có", "Có"]]
    write_csv(d / "thu_tuc_bo_sung_2019.csv", [THU_TUC_HEAD, *extra])


@case("chi-so-not-number")
def _chi_so_bad(a: Path) -> None:
    head = ["Mã chỉ số", "Tên chỉ số", "Tử số", "Mẫu số", "Giá trị"]
    rows = [["VBDT", "Tỷ lệ văn bản điện tử", "khoảng 900", "1.000", None],
            ["CKS", "Tỷ lệ lãnh đạo sử dụng chữ ký số", 4, 4, "100"]]
    write_csv(year_dir(a) / "chi_so_2019.csv", [head, *rows])


@case("mixed-rows-accounting")
def _mixed(a: Path) -> None:
    rows = dossiers(10, text_dates=True)
    rows[1][4] = "Email"            # row 3: bad channel
    rows[3][5] = "32/03/2019"       # row 5: day that does not exist
    rows[3][9] = "không rõ"         # row 5: and a bad boolean in the same row
    rows[6][6] = "01/03/2019"       # row 8: due before received
    rows[8][0] = rows[7][0]         # row 10: duplicate of row 9
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *rows])


# ---------------------------------------------------------------- first contact (issue 9)

@case("flat-folder")
def _flat(a: Path) -> None:
    """Exports dropped flat in the agency folder, named as the system named them."""
    write_csv(a / "ho_so.csv", [HO_SO_HEAD, *dossiers(3, text_dates=True)])
    write_xlsx(a / "kinh_phi.xlsx", [{"name": "Sheet1", "rows": [
        KINH_PHI_HEAD, *[[*it, "1.200.000", None, None] for it in BUDGET_ITEMS]]}])


@case("catalogue-without-year")
def _catalogue_no_year(a: Path) -> None:
    write_xlsx(a / "Danh muc TTHC.xlsx", [{"name": "Sheet1", "rows": [
        ["DANH MỤC THỦ TỤC HÀNH CHÍNH"], [], THU_TUC_HEAD,
        *catalogue(("Toàn trình", "Một phần", "Không"))]}])
    write_xlsx(year_dir(a) / "thu_tuc_2019.xlsx", [{"name": "thu_tuc", "rows": [
        THU_TUC_HEAD, *catalogue(("Toàn trình", "Toàn trình", "Một phần"))]}])


@case("content-recognised")
def _content(a: Path) -> None:
    """A system's export: neither the file nor the sheet names the table."""
    head = ["STT", *HO_SO_HEAD[:5], "Trạng thái", *HO_SO_HEAD[5:8]]
    rows = [[i + 1, *r[:5], "Đã giải quyết" if r[7] else "Đang giải quyết", *r[5:8]]
            for i, r in enumerate(dossiers(4))]
    write_xlsx(a / "DanhSachHoSo_20251016.xlsx", [{"name": "Sheet1", "rows": [
        [TITLE_1], ["DANH SÁCH HỒ SƠ"], [], head, *rows], "merges": ["A1:J1", "A2:J2"]}])
    write_csv(a / "export_danhgia.csv", [
        ["Ngày đánh giá", "Kênh đánh giá", "Kết quả"], ["10/03/2019", "Quầy/Kiosk", "Hài lòng"],
        ["11/03/2019", "Zalo/SMS", "Rất hài lòng"]])


@case("content-ambiguous")
def _ambiguous(a: Path) -> None:
    head = ["Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Chỉ tiêu", "Ngày đánh giá",
            "Kênh đánh giá", "Kết quả", "Mã hồ sơ"]
    write_xlsx(a / "tong_hop.xlsx", [{"name": "Sheet1", "rows": [
        head, ["VBDT", "Văn bản điện tử", "%", 90, date(2019, 3, 10), "Quầy/Kiosk",
               "Hài lòng", "HS-2019-0001"]]}])


@case("three-row-header-numbered")
def _three_rows(a: Path) -> None:
    top = ["Mã hồ sơ", "Thông tin thủ tục", None, "Hình thức nộp", "Thời gian giải quyết", None,
           None, "Số hóa hồ sơ"]
    mid = [None, "Mã thủ tục", "Lĩnh vực", None, "Ngày", None, None, None]
    low = [None, None, None, None, "Tiếp nhận", "Hẹn trả", "Có kết quả", None]
    numbers = [f"({i})" for i in range(1, 9)]
    body = [[r[0], r[1], r[3], r[4], r[5], r[6], r[7], r[9]] for r in dossiers(4)]
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [{
        "name": "ho_so", "rows": [[TITLE_2], [], top, mid, low, numbers, *body],
        "merges": ["A1:H1", "A3:A5", "B3:C3", "B4:B5", "C4:C5", "D3:D5", "E3:G3", "E4:G4",
                   "H3:H5"], "bold_rows": [3, 4, 5]}])


@case("date-times")
def _date_times(a: Path) -> None:
    rows = dossiers(5)
    rows[0][5:8] = ["05/03/2019 08:30:12", "12/03/2019 17:00", "10/03/2019 23:59:59"]
    rows[1][5:8] = ["2019-03-06T08:30:00", "2019-03-13 16:45:00+07:00", None]
    rows[2][5:8] = ["08:15 07/03/2019", "14/03/2019 04:30:00 PM", "12/03/2019 09:00:00 AM"]
    rows[3][5:8] = [datetime(2019, 3, 8, 8, 30), datetime(2019, 3, 15, 23, 59, 59), None]
    rows[4][5:8] = [datetime(2019, 3, 9, 0, 0, 1), 43540.75, "14/03/2019 7:05"]
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [ho_so_sheet(rows)])


@case("html-xls-portal")
def _html_portal(a: Path) -> None:
    """A portal's "Xuất Excel": title cell spanning the table, a two-row header with
    row and column spans, a numbering row, entities and line breaks."""
    body = ""
    for r in dossiers(3, text_dates=True):
        cells = [r[0], r[1], r[3], r[4], r[5], r[6], r[7] or ""]
        body += "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>\n"
    html = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
            "charset=utf-8\"></head><body><table border=\"1\">\n"
            "<tr><td colspan=\"7\"><b>DANH S&Aacute;CH HỒ SƠ &amp; KẾT QUẢ</b></td></tr>\n"
            "<tr><th rowspan=\"2\">Mã<br>hồ sơ</th><th rowspan=\"2\">Mã thủ tục</th>"
            "<th rowspan=\"2\">Lĩnh vực</th><th rowspan=\"2\">Hình thức nộp</th>"
            "<th colspan=\"3\">Ngày</th></tr>\n"
            "<tr><th>Tiếp nhận</th><th>Hẹn trả</th><th>Có kết quả</th></tr>\n"
            "<tr>" + "".join(f"<td>({i})</td>" for i in range(1, 8)) + "</tr>\n"
            + body + "</table></body></html>")
    write_bytes(year_dir(a) / "DanhSachHoSo.xls", html.encode("utf-8"))


def _vocab_rows(column: str, words: list[object]) -> list[list[object]]:
    head = [*HO_SO_HEAD[:8], column] if column == "Trạng thái" else HO_SO_HEAD[:8]
    out = []
    for i, w in enumerate(words, start=1):
        r = dossier(i, text_dates=True)[:8]
        if column == "Trạng thái":
            out.append([*r, w])
        else:
            r[4] = w
            out.append(r)
    return [head, *out]


CHANNEL_WORDS = ["BCCI", "Bưu chính", "Dịch vụ bưu chính công ích", "Nộp trực tuyến",
                 "Trực tuyến toàn trình", "Trực tuyến một phần", "Nộp trực tiếp",
                 "Trực tiếp tại Bộ phận Một cửa", "", "nop truc tuyen"]
RESOLVED_WORDS = ["Đã trả kết quả", "Đã xử lý xong", "Đã giải quyết", "Hoàn thành"]
PENDING_WORDS = ["Đang xử lý", "Đang giải quyết", "Chờ bổ sung hồ sơ", "Yêu cầu bổ sung",
                 "Chờ thực hiện nghĩa vụ tài chính"]
WITHDRAWN_WORDS = ["Rút hồ sơ", "Đã rút hồ sơ", "Công dân yêu cầu rút hồ sơ", "Từ chối",
                   "Không được tiếp nhận", "Dừng xử lý"]


@case("vocab-channels")
def _vocab_channels(a: Path) -> None:
    write_csv(year_dir(a) / "ho_so_2019.csv", _vocab_rows("Hình thức nộp", CHANNEL_WORDS))


@case("vocab-status-resolved")
def _vocab_resolved(a: Path) -> None:
    write_csv(year_dir(a) / "ho_so_2019.csv", _vocab_rows("Trạng thái", RESOLVED_WORDS))


@case("vocab-status-pending")
def _vocab_pending(a: Path) -> None:
    write_csv(year_dir(a) / "ho_so_2019.csv", _vocab_rows("Trạng thái", PENDING_WORDS))


@case("vocab-status-withdrawn")
def _vocab_withdrawn(a: Path) -> None:
    write_csv(year_dir(a) / "ho_so_2019.csv", _vocab_rows("Trạng thái", WITHDRAWN_WORDS))


@case("vocab-status-codes")
def _vocab_codes(a: Path) -> None:
    """The national portal's status codes 1–10, as numbers (xlsx) and one as text "09"."""
    rows = _vocab_rows("Trạng thái", [*range(1, 11), "09"])
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [{"name": "ho_so", "rows": rows}])


PERSONAL_LIST = ["Chủ hồ sơ", "Người nộp", "Tên tổ chức, cá nhân", "Số giấy tờ tùy thân",
                 "CMND/CCCD/Hộ chiếu", "Địa chỉ thường trú", "Điện thoại liên hệ", "SĐT",
                 "Email người nộp", "Mã số thuế", "SĐT liên hệ của người nộp",
                 "Số điện thoại di động", "Địa chỉ email (nếu có)"]


@case("vocab-personal-headers")
def _vocab_personal(a: Path) -> None:
    head = [*HO_SO_HEAD[:4], *PERSONAL_LIST[:6], *HO_SO_HEAD[4:8], *PERSONAL_LIST[6:]]
    rows = []
    for i, r in enumerate(dossiers(3), start=1):
        canary = [f"PII-CANARY-{i}-{k:02d}" for k in range(len(PERSONAL_LIST))]
        rows.append([*r[:4], *canary[:6], *r[4:8], *canary[6:]])
    write_xlsx(year_dir(a) / "ho_so_2019.xlsx", [ho_so_sheet(rows, head)])


@case("unknown-values")
def _unknown_values(a: Path) -> None:
    rows = _vocab_rows("Trạng thái", ["Đã giải quyết", "Đang thẩm định", "Đã giải quyết"])
    rows[3][4] = "Qua Zalo"
    write_csv(year_dir(a) / "ho_so_2019.csv", rows)


# ---------------------------------------------------------------- trust (issue 14)

@case("hidden-sheet-only")
def _hidden_only(a: Path) -> None:
    """The workbook's only sheet, holding the whole table, is hidden: it is read."""
    path = year_dir(a) / "ho_so_2019.xlsx"
    write_xlsx(path, [ho_so_sheet(dossiers(6))])
    hide_all_sheets(path)  # Excel's UI refuses this; the file format does not


@case("nothing-readable")
def _nothing(a: Path) -> None:
    """A dossier workbook whose only sheet is hidden scratch: nothing can be read."""
    path = year_dir(a) / "ho_so_2019.xlsx"
    write_xlsx(path, [{"name": "nhap", "rows": [["Ghi chép tạm"], ["x", "y"]]}])
    hide_all_sheets(path)


@case("symlink-escaping")
def _symlinks(a: Path) -> None:
    """Links that lead out of the agency's folder (here, into another agency's)."""
    other = a.parent / "other-agency"
    write_csv(other / "ho_so_2019.csv", [HO_SO_HEAD, *dossiers(2, text_dates=True)])
    write_csv(other / "2018" / "ho_so_2018.csv", [HO_SO_HEAD, *dossiers(2, text_dates=True)])
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *dossiers(3, text_dates=True)])
    (year_dir(a) / "ho_so_lien_ket_2019.csv").symlink_to("../../other-agency/ho_so_2019.csv")
    (a / "2018").symlink_to("../other-agency/2018")


@case("limit-declared-rows")
def _declared_rows(a: Path) -> None:
    """A small workbook whose sheet declares 3 000 000 rows × 30 columns: refused from
    its <dimension> before the sheet is read."""
    path = year_dir(a) / "ho_so_2019.xlsx"
    write_xlsx(path, [ho_so_sheet(dossiers(3))])
    patch_zip(path, "xl/worksheets/sheet1.xml",
              lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:AD3000000"', x))


@case("limit-rows-csv")
def _rows_csv(a: Path) -> None:
    """Ten dossiers where params/limits.yml allows five rows per sheet (cases.yml)."""
    write_csv(year_dir(a) / "ho_so_2019.csv", [HO_SO_HEAD, *dossiers(10, text_dates=True)])


def hide_all_sheets(path: Path) -> None:
    patch_zip(path, "xl/workbook.xml", lambda x: x.replace(b'state="visible"', b'state="hidden"'))


def patch_zip(path: Path, member: str, fn: Callable[[bytes], bytes]) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, fn(data) if info.filename == member else data)
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------- main

def main() -> None:
    for name, build in CASES.items():
        raw = HERE / name / "raw"
        if raw.exists():
            shutil.rmtree(raw)
        build(raw / AGENCY)
    print(f"{len(CASES)} cases written under {HERE}")


if __name__ == "__main__":
    main()

"""DOCX in the form of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP).

``reference_docx`` makes the reference document both engines give pandoc/Quarto (Times New
Roman 13, A4, the decree's margins). ``add_admin_form`` then puts the header block (the
issuing body and the national motto side by side, số/ký hiệu, place and date line) above
the body and the "Nơi nhận" and signature block below it, so the specialist edits and signs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"


def _font(style, size: float, bold: bool | None = None, italic: bool | None = None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def reference_docx(path: Path) -> Path:
    """A reference document: Times New Roman 13–14, A4, top/bottom 20 mm, left 30 mm,
    right 15 mm, first-line indent for body text (Nghị định 30/2020, Phụ lục I)."""
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    styles = doc.styles
    _font(styles["Normal"], 13)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    for name in ("Body Text", "First Paragraph"):
        try:
            st = styles[name]
        except KeyError:
            st = styles.add_style(name, 1)
        _font(st, 14)
        st.paragraph_format.first_line_indent = Mm(10)
        st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        st.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 14), ("Subtitle", 14), ("Heading 1", 14), ("Heading 2", 14),
                       ("Heading 3", 13)):
        _font(styles[name], size, bold=True)
        styles[name].font.color.rgb = None
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Subtitle"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Compact", "Table"):
        try:
            _font(styles[name], 11)
        except KeyError:
            _font(styles.add_style(name, 1), 11)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


@dataclass
class Heading:
    parent: str  # cơ quan chủ quản: "UBND tỉnh Đồng Nai"
    issuer: str  # cơ quan ban hành: "Sở Văn hóa, Thể thao và Du lịch tỉnh Đồng Nai"
    symbol: str  # ký hiệu: "SVHTTDL"
    place: str
    on: date | None  # the signing date; None: left blank for the office to fill
    title: str  # "BÁO CÁO"
    subject: str  # "Kết quả thực hiện công tác cải cách hành chính 9 tháng đầu năm 2019"
    recipients: tuple[str, ...]
    signer: str = "GIÁM ĐỐC"


def _para(cell_or_doc, text: str, bold: bool = False, italic: bool = False, size: float = 13,
          align=WD_ALIGN_PARAGRAPH.CENTER):
    p = cell_or_doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.first_line_indent = Mm(0)
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _move_to_start(doc, elements) -> None:
    body = doc.element.body
    for el in reversed(elements):
        body.remove(el)
        body.insert(0, el)


def add_admin_form(path: Path, h: Heading) -> None:
    """Insert the header block and title at the top, Nơi nhận and signature at the end."""
    doc = Document(str(path))
    for p in list(doc.paragraphs):  # pandoc's title/subtitle: replaced by the form's own
        if p.style.name in ("Title", "Subtitle", "Author", "Date"):
            p._element.getparent().remove(p._element)
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(head)
    left, right = head.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = ""
    right.paragraphs[0].text = ""
    _para(left, h.parent.upper(), size=13)
    _para(left, h.issuer.upper(), bold=True, size=13)
    _para(left, "_______", size=13)
    _para(left, f"Số:       /BC-{h.symbol}", size=13)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12.5)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13.5)
    _para(right, "_______________________", size=13)
    when = (f"ngày {h.on.day:02d} tháng {h.on.month:02d} năm {h.on.year}" if h.on else
            "ngày …… tháng …… năm ……")
    _para(right, f"{h.place}, {when}", italic=True, size=14)
    t1 = _para(doc, h.title, bold=True, size=14)
    t2 = _para(doc, h.subject, bold=True, size=14)
    t1.paragraph_format.space_before = Pt(18)
    t2.paragraph_format.space_after = Pt(12)
    _move_to_start(doc, [head._tbl, t1._p, t2._p])
    foot = doc.add_table(rows=1, cols=2)
    _no_borders(foot)
    left, right = foot.rows[0].cells
    left.paragraphs[0].text = ""
    right.paragraphs[0].text = ""
    _para(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for r in h.recipients:
        _para(left, f"- {r};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(left, "- Lưu: VT.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(right, h.signer, bold=True, size=14)
    _para(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12)
    doc.save(str(path))

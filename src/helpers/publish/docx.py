"""The DOCX a director signs: the report in the form of Nghị định 30/2020/NĐ-CP, written
directly from the report's document tree (no pandoc process per document).

Times New Roman on every run, the header (issuing body left, national motto right, each
line measured to fit), "Số", place and date, "Căn cứ", the body, "Trên đây là báo cáo
…./.", "Nơi nhận" and the signature; then the appendices, each naming the report it goes
with. Tables have borders, column widths from their content that fill the text width, a
header row repeated on every page and rows that never split; a table too wide for a
portrait page gets a landscape section. python-docx gives the styles, the images and the
header part; the body is written as WordprocessingML.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ..atomic import FIXED_TIME, stable_zip, write_bytes_atomic
from . import doctree, layout
from .doctree import Block
from .form import MOTTO, Form

FONT = "Times New Roman"
BODY_PT, TABLE_PT, HEAD_PT = 14, 13, 13
CELL_MARGIN = 80  # twips each side (1.4 mm)
LONG_ROW = 300  # characters in a cell beyond which a row may continue on the next page
MEDIUM = layout.Medium(size=TABLE_PT, smaller=(12, 11), pad=2 * CELL_MARGIN / 20 + 1.5)
TWIPS_PER_MM = 1440 / 25.4
EMU_PER_INCH = 914400
NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
_ALIGN = {"AlignRight": "right", "AlignCenter": "center", "AlignLeft": "left",
          "AlignDefault": "left"}

# characters XML 1.0 cannot hold (controls but tab, newline, carriage return): a text from a
# file or from params that carries one is written without it, never as an invalid document
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_escape(text: str, entities: dict[str, str] | None = None) -> str:
    """Text for an XML element or attribute value: escaped, and without what XML forbids."""
    return _escape(_NOT_XML.sub("", text), entities or {})


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


# ---------------------------------------------------------------- runs and paragraphs

def run(text: str, size: float = BODY_PT, bold: bool = False, italic: bool = False,
        sup: str | None = None) -> str:
    props = [f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>']
    if bold:
        props.append("<w:b/><w:bCs/>")
    if italic:
        props.append("<w:i/><w:iCs/>")
    half = round(size * 2)
    props.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if sup:
        props.append(f'<w:vertAlign w:val="{sup}"/>')
    return (f'<w:r><w:rPr>{"".join(props)}</w:rPr>'
            f'<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>')


def para(runs: str, align: str = "both", indent: float = 0, before: float = 0,
         after: float = 6, keep_next: bool = False, size: float = BODY_PT,
         left: float = 0, line: int = 264, extra: str = "") -> str:
    """A paragraph: alignment, first-line indent and left indent (mm), space before and
    after (pt), line spacing (240ths of a line)."""
    ppr = ("<w:keepNext/>" if keep_next else "") + extra + (
        f'<w:spacing w:before="{round(before * 20)}" w:after="{round(after * 20)}" '
        f'w:line="{line}" w:lineRule="auto"/>')
    if indent or left:
        ppr += f'<w:ind w:left="{twips(left)}" w:firstLine="{twips(indent)}"/>'
    ppr += f'<w:jc w:val="{align}"/>'
    mark = (f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" '
            f'w:eastAsia="{FONT}"/><w:sz w:val="{round(size * 2)}"/></w:rPr>')
    return f"<w:p><w:pPr>{ppr}{mark}</w:pPr>{runs}</w:p>"


def inline_runs(inlines: list[dict[str, Any]], size: float, bold: bool = False,
                italic: bool = False) -> str:
    """Runs for pandoc inlines, bold, italic and super/subscript carried down; text of
    the same formatting goes into one run."""
    pieces: list[tuple[str | None, tuple[bool, bool, str | None]]] = []
    _pieces(inlines, bold, italic, None, pieces)
    out: list[str] = []
    text, fmt = "", (bold, italic, None)
    for piece, f in pieces:
        if text and (piece is None or f != fmt):
            out.append(run(text, size, *fmt))
            text = ""
        if piece is None:  # a line break
            out.append("<w:r><w:br/></w:r>")
            continue
        fmt = f
        text += piece
    if text:
        out.append(run(text, size, *fmt))
    return "".join(out)


def _pieces(inlines: list[dict[str, Any]], bold: bool, italic: bool, sup: str | None,
            out: list[tuple[str | None, tuple[bool, bool, str | None]]]) -> None:
    for n in inlines:
        t, c = n["t"], n.get("c")
        if t == "Str":
            out.append((c, (bold, italic, sup)))
        elif t in ("Space", "SoftBreak"):
            out.append((" ", (bold, italic, sup)))
        elif t == "LineBreak":
            out.append((None, (bold, italic, sup)))
        elif t == "Strong":
            _pieces(c, True, italic, sup, out)
        elif t == "Emph":
            _pieces(c, bold, not italic, sup, out)
        elif t in ("Superscript", "Subscript"):
            _pieces(c, bold, italic, "superscript" if t == "Superscript" else "subscript", out)
        elif t in ("Underline", "Strikeout", "SmallCaps"):
            _pieces(c, bold, italic, sup, out)
        elif t == "Quoted":
            _pieces([{"t": "Str", "c": "“"}, *c[1], {"t": "Str", "c": "”"}], bold, italic, sup,
                    out)
        elif t in ("Link", "Span", "Cite"):
            _pieces(c[1], bold, italic, sup, out)
        elif t in ("Code", "Math"):
            out.append((c[-1], (bold, italic, sup)))


# ---------------------------------------------------------------- the writer

class Writer:
    """Body XML for one document; images are added to ``doc``'s package as met."""

    def __init__(self, doc: Any, base: Path) -> None:
        self.doc, self.base, self.pictures = doc, base, 0
        self.width_mm = layout.PORTRAIT_WIDTH_MM

    def blocks(self, blocks: list[Block], size: float = BODY_PT, in_cell: bool = False,
               align: str | None = None, bold: bool = False, level: int = 0) -> str:
        out = []
        for b in blocks:
            out.append(self.block(b, size, in_cell, align, bold, level))
        return "".join(out)

    def block(self, b: Block, size: float, in_cell: bool, align: str | None, bold: bool,
              level: int) -> str:
        t, c = b["t"], b.get("c")
        if t in ("Para", "Plain"):
            if in_cell:
                return para(inline_runs(c, size, bold), align or "left", after=0, size=size,
                            line=240)
            return para(inline_runs(c, size, bold), align or "both", indent=10, size=size)
        if t == "Header":
            level_, _, inlines = c
            return para(inline_runs(inlines, BODY_PT, True, level_ >= 3), "both", indent=10,
                        before=6, keep_next=True)
        if t in ("BulletList", "OrderedList"):
            return self.items(b, size, in_cell, level)
        if t == "Table":
            return self.table(b)
        if t == "Figure":
            return self.figure(b)
        if t == "Div":
            return self.blocks(c[1], size, in_cell, align, bold, level)
        if t == "BlockQuote":
            return self.blocks(c, size, in_cell, align, bold, level + 1)
        if t == "LineBlock":
            return "".join(para(inline_runs(line, size), "left", size=size) for line in c)
        return ""  # raw blocks, rules and code are not part of the signed report

    def items(self, b: Block, size: float, in_cell: bool, level: int) -> str:
        ordered = b["t"] == "OrderedList"
        items = b["c"][1] if ordered else b["c"]
        start = b["c"][0][0] if ordered else 1
        out = []
        for i, item in enumerate(items):
            mark = f"{start + i}. " if ordered else ("- " if level == 0 else "+ ")
            for j, blk in enumerate(item):
                if blk["t"] in ("Para", "Plain"):
                    prefix = [{"t": "Str", "c": mark}] if j == 0 else []
                    out.append(para(inline_runs(prefix + blk["c"], size), "left" if in_cell
                                    else "both", indent=0 if in_cell else 10,
                                    left=5 * level, after=0 if in_cell else 3, size=size,
                                    line=240 if in_cell else 264))
                else:
                    out.append(self.block(blk, size, in_cell, None, False, level + 1))
        return "".join(out)

    def caption(self, blocks: list[Block], size: float, italic: bool = False) -> str:
        text = inline_runs([i for b in blocks for i in b["c"]], size, not italic, italic)
        return para(text, "center", after=3, before=6, keep_next=not italic, size=size)

    def figure(self, b: Block) -> str:
        _, caption, content = b["c"]
        images = [i for blk in content for i in blk.get("c", []) if isinstance(i, dict)
                  and i.get("t") == "Image"]
        if not images:
            return self.blocks(content)
        out = [para(self.picture(img), "center", after=0, keep_next=True) for img in images]
        if doctree.stringify(caption):
            out.append(self.caption(caption[1], TABLE_PT, italic=True))
        return "".join(out)

    def picture(self, image: dict[str, Any]) -> str:
        """An inline picture at its natural size (charts are drawn at print size), never
        wider than the text."""
        attrs, _, (src, _) = image["c"]
        path = self.base / src
        if not path.is_file():
            return ""
        rid, img = self.doc.part.get_or_add_image(str(path))
        dpi = img.horz_dpi or 96
        width_in = min(img.px_width / dpi, self.width_mm / 25.4)
        cx = round(width_in * EMU_PER_INCH)
        cy = round(cx * img.px_height / img.px_width)
        alt = xml_escape(dict(attrs[2]).get("alt", dict(attrs[2]).get("fig-alt", "")),
                         {'"': "&quot;"})
        self.pictures += 1
        n = self.pictures
        return (
            f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{n}" name="Hình {n}" descr="{alt}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
            '</wp:cNvGraphicFramePr><a:graphic><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            f'<pic:nvPicPr><pic:cNvPr id="{n}" name="{xml_escape(path.name)}"/><pic:cNvPicPr/>'
            f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
            '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
            '</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline>'
            '</w:drawing></w:r>')

    def table(self, b: Block) -> str:
        rows = doctree.table_rows(b)
        lay = table_layout(b)
        width_mm = layout.LANDSCAPE_WIDTH_MM if lay.landscape else layout.PORTRAIT_WIDTH_MM
        widths = [round(twips(width_mm) * f) for f in lay.fractions]
        widths[-1] += twips(width_mm) - sum(widths)
        out = []
        if rows.caption and doctree.stringify(rows.caption):
            out.append(self.caption(rows.caption, lay.size))
        out.append(table_xml(self, rows, widths, lay.size))
        out.append(para("", after=3, size=4, line=240))
        return "".join(out)


def _borders(val: str = "single") -> str:
    sides = "".join(f'<w:{s} w:val="{val}" w:sz="4" w:space="0" w:color="000000"/>'
                    for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return f"<w:tblBorders>{sides}</w:tblBorders>"


def table_xml(writer: Writer, rows: doctree.TableRows, widths: list[int], size: float,
              borders: bool = True) -> str:
    """A table on a fixed grid: borders, widths in twips, header rows repeated, rows kept
    whole, row spans as vertical merges."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    tbl_pr = (f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
              f'{_borders("single" if borders else "nil")}<w:tblLayout w:type="fixed"/>'
              f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
              f'<w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
              '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
              'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>')
    out = [f"<w:tbl>{tbl_pr}<w:tblGrid>{grid}</w:tblGrid>"]
    spans: dict[int, tuple[int, int]] = {}  # column → (rows still merged, colspan)
    for header, group in ((True, rows.head), (False, rows.body)):
        for row in group:
            out.append(_row(writer, rows, row, widths, size, header, spans))
    out.append("</w:tbl>")
    return "".join(out)


def _row(writer: Writer, rows: doctree.TableRows, row: list[doctree.TableCell],
         widths: list[int], size: float, header: bool, spans: dict[int, tuple[int, int]]) -> str:
    cells: list[tuple[int, str]] = []
    for col, (left, span) in list(spans.items()):  # continuations of row spans above
        cells.append((col, _tc(sum(widths[col:col + span]), span, "<w:vMerge/>", "<w:p/>")))
        spans[col] = (left - 1, span)
        if left - 1 <= 0:
            del spans[col]
    for cell in row:
        w = sum(widths[cell.col:cell.col + cell.colspan])
        merge = ""
        if cell.rowspan > 1:
            merge = '<w:vMerge w:val="restart"/>'
            spans[cell.col] = (cell.rowspan - 1, cell.colspan)
        align = "center" if header else _ALIGN[rows.aligns[cell.col]]
        text = cell.text
        no_wrap = "<w:noWrap/>" if text and all(layout.is_number(t) for t in text.split()) else ""
        body = writer.blocks(cell.blocks, size, in_cell=True, align=align, bold=header) \
            or para("", align, after=0, size=size, line=240)
        cells.append((cell.col, _tc(w, cell.colspan, merge + no_wrap, body)))
    cells.sort(key=lambda x: x[0])
    # a row stays on one page, unless its text is long: a task's whole report moved to
    # the next page would leave most of a page blank
    whole = "<w:cantSplit/>" if max((len(c.text) for c in row), default=0) <= LONG_ROW else ""
    tr_pr = "<w:trPr>" + whole + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
    return f"<w:tr>{tr_pr}{''.join(x for _, x in cells)}</w:tr>"


def _tc(width: int, span: int, extra: str, body: str) -> str:
    grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid_span}{extra}'
            f'<w:vAlign w:val="center"/></w:tcPr>{body}</w:tc>')


# ---------------------------------------------------------------- the form around the body

def balanced_lines(text: str, width_pt: float, size: float, bold: bool) -> list[str]:
    """The fewest lines of ``text`` that fit ``width_pt``, as even as possible (an agency's
    name is broken as a clerk would break it, not at the last word that fits)."""
    words = text.split()
    for n in range(1, len(words) + 1):
        best: tuple[float, list[str]] | None = None
        for cuts in _cuts(len(words), n):
            lines = [" ".join(words[a:b]) for a, b in zip((0, *cuts), (*cuts, len(words)),
                                                           strict=True)]
            w = [layout.text_pt(line, size, bold) for line in lines]
            if max(w) <= width_pt and (best is None or max(w) - min(w) < best[0]):
                best = (max(w) - min(w), lines)
        if best:
            return best[1]
    return words


def _cuts(n: int, lines: int) -> list[tuple[int, ...]]:
    if lines == 1:
        return [()]
    if lines > 3:  # long names: greedy is good enough past three lines
        return [tuple(range(1, n))[: lines - 1]]
    return [(a,) for a in range(1, n)] if lines == 2 else \
        [(a, b) for a in range(1, n - 1) for b in range(a + 1, n)]


def _rule(width_pt: float, cell_pt: float) -> str:
    """A short line under a heading: an empty paragraph whose bottom border is cut to
    ``width_pt`` by its indents."""
    side = max(0.0, (cell_pt - 2 * CELL_MARGIN / 20 - width_pt) / 2)
    ind = round(side * 20)
    return ('<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
            'w:color="000000"/></w:pBdr><w:spacing w:before="0" w:after="0" w:line="60" '
            f'w:lineRule="exact"/><w:ind w:left="{ind}" w:right="{ind}"/><w:jc w:val="center"/>'
            f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" '
            f'w:eastAsia="{FONT}"/><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')


def _lines_para(lines: list[str], size: float, bold: bool = False, italic: bool = False,
                after: float = 0) -> str:
    runs = "<w:r><w:br/></w:r>".join(run(line, size, bold, italic) for line in lines)
    return para(runs, "center", after=after, size=size, line=240)


def header_block(f: Form) -> str:
    """Issuing body left, national motto right: the right column is as wide as the motto
    (one line), at 13 pt, or 12 pt when the cơ quan chủ quản would not fit one line at 13;
    the issuing body wraps evenly in the rest."""
    total = twips(layout.PORTRAIT_WIDTH_MM)
    pad = 2 * CELL_MARGIN / 20 + 6  # cell margins and room for rounding in the renderer
    for size in (HEAD_PT, HEAD_PT - 1):
        right = round((layout.text_pt(MOTTO[0], size, True) + pad) * 20)
        left = total - right
        inner = left / 20 - pad
        if layout.text_pt(f.parent, size) <= inner:
            break
    issuer = balanced_lines(f.issuer, inner, size, True)
    parent = balanced_lines(f.parent, inner, size, False) if f.parent else []
    place = balanced_lines(f.place_date, right / 20 - pad, 13, False)
    left_cell = ((_lines_para(parent, size) if parent else "")
                 + _lines_para(issuer, size, bold=True)
                 + _rule(max(layout.text_pt(x, size, True) for x in issuer) / 3, left / 20)
                 + para(run(f.number_line, 13), "center", before=6, after=0, size=13, line=240))
    right_cell = (_lines_para([MOTTO[0]], size, bold=True)
                  + _lines_para([MOTTO[1]], size + 1, bold=True)
                  + _rule(layout.text_pt(MOTTO[1], size + 1, True), right / 20)
                  + _lines_para(place, 13, italic=True).replace(
                      '<w:spacing w:before="0"', '<w:spacing w:before="120"', 1))
    return _plain_table([left, right], [left_cell, right_cell])


def _plain_table(widths: list[int], cells: list[str]) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    tcs = "".join(_tc(w, 1, "", c) for w, c in zip(widths, cells, strict=True))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'{_borders("nil")}<w:tblLayout w:type="fixed"/><w:tblCellMar>'
            f'<w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" '
            f'w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            f'<w:tr><w:trPr><w:cantSplit/></w:trPr>{tcs}</w:tr></w:tbl>')


def opening(f: Form) -> str:
    out = [para(run(f.kind, 14, bold=True), "center", before=18, after=0, keep_next=True),
           para(run(f.subject, 14, bold=True), "center", after=0, keep_next=True),
           _rule(layout.text_pt(f.subject, 14, True) / 3, layout.PORTRAIT_WIDTH_MM * layout.MM),
           para("", after=6)]
    out += [para(run(b), "both", indent=10) for b in f.bases]
    out.append(para(run(f.intro), "both", indent=10))
    return "".join(out)


def closing(f: Form) -> str:
    """"Trên đây là báo cáo …./.", then "Nơi nhận" left and the signature right."""
    total = twips(layout.PORTRAIT_WIDTH_MM)
    left = total // 2
    recipients = (para(run("Nơi nhận:", 12, bold=True, italic=True), "left", after=0, size=12,
                       line=240)
                  + "".join(para(run(r, 11), "left", after=0, size=11, line=240)
                            for r in f.recipients))
    sign = [x for x in (f.sign_for, f.signer_title) if x]
    signature = (_lines_para(sign, 14, bold=True) if sign else para("", after=0))
    signature += para(run("(Ký, ghi rõ họ tên, đóng dấu)", 13, italic=True), "center",
                      after=0, size=13, line=240)
    signature += para(run(f.signer_name, 14, bold=True), "center", before=66, after=0,
                      line=240)
    return (para(run(f.closing), "both", indent=10, keep_next=True)
            + para("", after=0, keep_next=True)
            + _plain_table([left, total - left], [recipients, signature]))


def appendix_heading(f: Form, index: int, count: int, title: str) -> str:
    out = [para(run(f.appendix_label(index, count), 14, bold=True), "center", after=0,
                keep_next=True)]
    if title:
        out.append(para(run(title.upper(), 14, bold=True), "center", after=0, keep_next=True))
    out.append(para(run(f.attachment, 14, italic=True), "center", after=12, keep_next=True))
    return "".join(out)


# ---------------------------------------------------------------- sections and the file

def sect_pr(landscape: bool, first: bool = False) -> str:
    w, h = (twips(layout.A4[1]), twips(layout.A4[0])) if landscape else \
        (twips(layout.A4[0]), twips(layout.A4[1]))
    m = layout.LANDSCAPE_MARGINS if landscape else layout.PORTRAIT_MARGINS
    orient = ' w:orient="landscape"' if landscape else ""
    return (f'<w:sectPr><w:pgSz w:w="{w}" w:h="{h}"{orient}/><w:pgMar w:top="{twips(m["top"])}" '
            f'w:right="{twips(m["right"])}" w:bottom="{twips(m["bottom"])}" '
            f'w:left="{twips(m["left"])}" w:header="567" w:footer="567" w:gutter="0"/>'
            + ("<w:titlePg/>" if first else "") + "</w:sectPr>")


def landscape_runs(blocks: list[Block]) -> list[tuple[bool, list[Block]]]:
    """Consecutive blocks grouped by orientation: a table too wide for portrait takes a
    landscape page with the heading just before it and a short note just after."""
    wide = []
    for b in blocks:
        tables = [x for x in doctree.walk_blocks([b]) if x["t"] == "Table"]
        wide.append(any(_is_wide(t) for t in tables))
    for i in range(len(blocks)):
        if wide[i] and i > 0 and blocks[i - 1]["t"] == "Header":
            wide[i - 1] = True
    for i in range(len(blocks) - 1, 0, -1):
        if wide[i - 1] and not wide[i] and blocks[i]["t"] == "Para" and \
                len(doctree.stringify(blocks[i])) < 300 and blocks[i - 1]["t"] != "Header":
            wide[i] = True
    runs: list[tuple[bool, list[Block]]] = []
    for b, w in zip(blocks, wide, strict=True):
        if runs and runs[-1][0] == w:
            runs[-1][1].append(b)
        else:
            runs.append((w, [b]))
    return runs


_LAYOUTS: dict[int, tuple[Block, layout.TableLayout]] = {}


def table_layout(table: Block) -> layout.TableLayout:
    """A table's layout in the DOCX, worked out once per table of the document being
    written (``write_docx`` clears the memo)."""
    known = _LAYOUTS.get(id(table))
    if known is None or known[0] is not table:
        rows = doctree.table_rows(table)
        known = (table, layout.table_layout(rows.layout_cells(), rows.ncols, MEDIUM))
        _LAYOUTS[id(table)] = known
    return known[1]


def _is_wide(table: Block) -> bool:
    return table_layout(table).landscape


def is_wide_part(blocks: list[Block]) -> bool:
    """Whether a part (an appendix) holds a table too wide for a portrait page."""
    return any(_is_wide(t) for t in doctree.walk_blocks(blocks) if t["t"] == "Table")


@cache
def _template() -> bytes:
    """The styles every report starts from: Times New Roman everywhere (document
    defaults, every style, theme fonts removed), black headings, Vietnamese language."""
    doc = Document()
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")
    for fonts in list(styles.iter(qn("w:rFonts"))):
        for att in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(att), None)
        for att in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(att), FONT)
    for style in doc.styles:
        if style.type == 1:
            style.font.name = FONT
            if style.name.startswith("Heading") or style.name in ("Title", "Subtitle"):
                style.font.color.rgb = None
                style.font.size = None
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def page_numbers(doc: Any) -> None:
    """Page numbers centred at the top from the second page (Nghị định 30/2020)."""
    section = doc.sections[0]
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    field = (f'<w:p {NS}><w:pPr><w:jc w:val="center"/></w:pPr>'
             + _fld("begin") + '<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" '
             'w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/>'
             '<w:sz w:val="26"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText>'
             '</w:r>' + _fld("separate") + run("2", 13) + _fld("end") + "</w:p>")
    p._p.getparent().replace(p._p, parse_xml(field))


def _fld(kind: str) -> str:
    return (f'<w:r><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" '
            f'w:eastAsia="{FONT}"/><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="{kind}"/>'
            "</w:r>")


def write_docx(dest: Path, d: doctree.Document, f: Form, base: Path) -> None:
    """The signed report: form, body, closing and signature, then the appendices, each
    table on a page of the orientation it needs; images from ``base``."""
    _LAYOUTS.clear()
    doc = Document(io.BytesIO(_template()))
    w = Writer(doc, base)
    parts = [header_block(f), opening(f)]
    sections: list[tuple[bool, str]] = []
    current: list[str] = parts
    landscape = False
    for wide, blocks in landscape_runs(d.body):
        if wide != landscape:
            sections.append((landscape, "".join(current)))
            current, landscape = [], wide
        w.width_mm = layout.LANDSCAPE_WIDTH_MM if wide else layout.PORTRAIT_WIDTH_MM
        current.append(w.blocks(blocks))
    if landscape:
        sections.append((landscape, "".join(current)))
        current, landscape = [], False
    current.append(closing(f))
    for i, a in enumerate(d.appendices):
        sections.append((landscape, "".join(current)))
        landscape = is_wide_part(a.blocks)
        w.width_mm = layout.LANDSCAPE_WIDTH_MM if landscape else layout.PORTRAIT_WIDTH_MM
        current = [appendix_heading(f, i, len(d.appendices), a.title), w.blocks(a.blocks)]
    body_xml = "".join(
        xml + para("", after=0, size=2, line=240).replace(
            "</w:pPr>", f"{sect_pr(land, first=i == 0)}</w:pPr>", 1)
        for i, (land, xml) in enumerate(sections)) + "".join(current)
    final = sect_pr(landscape, first=not sections)
    doc.element.replace(doc.element.body, parse_xml(f"<w:body {NS}>{body_xml}{final}</w:body>"))
    page_numbers(doc)
    doc.core_properties.title = f.subject
    doc.core_properties.language = "vi-VN"
    write_bytes_atomic(dest, package_bytes(doc))


class _StableZip:
    """A zip writer for python-docx's package writer: fixed entry times (the same
    document gives the same bytes) and images stored as they are (already compressed)."""

    def __init__(self, stream: io.BytesIO) -> None:
        self.zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, FIXED_TIME)
        info.compress_type = (zipfile.ZIP_STORED if pack_uri.membername.endswith(".png")
                              else zipfile.ZIP_DEFLATED)
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, blob)

    def close(self) -> None:
        self.zip.close()


def package_bytes(doc: Any) -> bytes:
    """The .docx file of ``doc``, written once (not saved, then rewritten with fixed
    times); python-docx's own save where its package writer is not as expected."""
    try:
        from docx.opc.pkgwriter import PackageWriter

        pkg = doc.part.package
        parts = list(pkg.parts)
        for part in parts:
            part.before_marshal()
        buf = io.BytesIO()
        writer = _StableZip(buf)
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, pkg.rels)
        PackageWriter._write_parts(writer, parts)
        writer.close()
        return buf.getvalue()
    except AttributeError:  # another python-docx: its save, then fixed times
        buf = io.BytesIO()
        doc.save(buf)
        return stable_zip(buf.getvalue())

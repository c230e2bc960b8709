"""A report as pandoc's document tree (its JSON AST), and the shapes each medium needs.

Pandoc reads the Markdown sources once; the site, the PDF and the DOCX are then made from
the same tree. ``site`` keeps everything in page order; ``document`` gives the signed
report: site-only parts dropped (Quarto's ``content-visible when-format="html"``), the
parts tagged ``appendix`` taken out into the appendices that follow the signature, every
table and figure caption numbered in reading order ("Bảng 1.", "Hình 1."), and each table
given column widths from its content and a landscape page when it is too wide.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import layout

Block = dict[str, Any]
Inline = dict[str, Any]
APPENDIX_CLASS = "cchc-appendix"
LANDSCAPE_CLASS = "cchc-landscape"


# ---------------------------------------------------------------- building and reading

def attr(ident: str = "", classes: list[str] | None = None,
         kv: list[list[str]] | None = None) -> list[Any]:
    return [ident, classes or [], kv or []]


def text_inlines(text: str) -> list[Inline]:
    """Literal text as inlines (words and spaces): nothing in it is read as markup."""
    out: list[Inline] = []
    for i, word in enumerate(text.split()):
        if i:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def para(text: str) -> Block:
    return {"t": "Para", "c": text_inlines(text)}


def raw(fmt: str, text: str) -> Block:
    return {"t": "RawBlock", "c": [fmt, text]}


def stringify(node: Any) -> str:
    """The plain text of inlines or blocks (spaces and breaks as single spaces)."""
    out: list[str] = []

    def visit(n: Any) -> None:
        if isinstance(n, list):
            for x in n:
                visit(x)
            return
        if not isinstance(n, dict):
            return
        t, c = n.get("t"), n.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t in ("Code", "Math"):
            out.append(c[-1])
        elif t in ("RawInline", "RawBlock", "Note", "Image"):
            return
        elif t in ("Link", "Span", "Div", "Quoted", "Cite"):
            visit(c[1])
        elif t == "Header":
            visit(c[2])
            out.append(" ")
        elif t in ("Para", "Plain"):
            visit(c)
            out.append(" ")
        elif t == "OrderedList":
            visit(c[1])
        elif isinstance(c, list):
            visit(c)
    visit(node)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def classes(block: Block) -> list[str]:
    return block["c"][0][1] if block["t"] in ("Div", "Table", "Figure") else []


def keyvals(block: Block) -> dict[str, str]:
    return dict(block["c"][0][2]) if block["t"] in ("Div", "Table", "Figure") else {}


# ---------------------------------------------------------------- tables

@dataclass
class TableCell:
    align: str  # AlignLeft | AlignRight | AlignCenter | AlignDefault
    rowspan: int
    colspan: int
    blocks: list[Block]
    col: int = 0  # first grid column, filled by ``grid``
    _text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = stringify(self.blocks)
        return self._text


@dataclass
class TableRows:
    """A table's rows placed on its column grid (spans resolved)."""

    aligns: list[str]
    head: list[list[TableCell]]
    body: list[list[TableCell]]
    caption: list[Block] = field(default_factory=list)

    @property
    def ncols(self) -> int:
        return len(self.aligns)

    def layout_cells(self) -> list[layout.Cell]:
        return [layout.Cell(c.text, c.col, c.colspan, header)
                for header, rows in ((True, self.head), (False, self.body))
                for row in rows for c in row]


def _cells(row: list[Any]) -> list[TableCell]:
    return [TableCell(c[1]["t"], c[2], c[3], c[4]) for c in row[1]]


def grid(rows: list[list[TableCell]], ncols: int) -> list[list[TableCell]]:
    """Give each cell its first column, skipping columns taken by row spans above."""
    taken: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while taken.get((r, col)):
                col += 1
            cell.col = min(col, ncols - 1)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, col + dc)] = True
            col += cell.colspan
    return rows


_ROWS: dict[int, tuple[Block, TableRows]] = {}


def table_rows(table: Block) -> TableRows:
    """A table's rows on its grid (worked out once per table node)."""
    known = _ROWS.get(id(table))
    if known is not None and known[0] is table:
        return known[1]
    if len(_ROWS) > 4096:
        _ROWS.clear()
    rows = _table_rows(table)
    _ROWS[id(table)] = (table, rows)
    return rows


def _table_rows(table: Block) -> TableRows:
    _, caption, colspecs, head, bodies, foot = table["c"]
    aligns = [spec[0]["t"] for spec in colspecs]
    head_rows = [_cells(r) for r in head[1]]
    body_rows = [_cells(r) for b in bodies for r in (*b[2], *b[3])] + [_cells(r) for r in foot[1]]
    n = len(aligns)
    grid(head_rows, n)
    grid(body_rows, n)
    return TableRows(aligns, head_rows, body_rows, caption[1])


def bold_header(table: Block) -> None:
    """Every header row's cells bold and centred (all of a form's header rows, not only
    the first); columns of no stated alignment to the left, as in the DOCX."""
    for spec in table["c"][2]:
        if spec[0]["t"] == "AlignDefault":
            spec[0] = {"t": "AlignLeft"}
    for row in table["c"][3][1]:
        for cell in row[1]:
            cell[1] = {"t": "AlignCenter"}
            for blk in cell[4]:
                if blk["t"] in ("Plain", "Para"):
                    blk["c"] = [{"t": "Strong", "c": blk["c"]}]


def set_widths(table: Block, fractions: list[float] | None) -> None:
    for spec, frac in zip(table["c"][2], fractions or [None] * len(table["c"][2]), strict=True):
        spec[1] = ({"t": "ColWidth", "c": round(frac, 4)} if frac is not None
                   else {"t": "ColWidthDefault"})


# ---------------------------------------------------------------- walking

def walk_blocks(blocks: list[Block]) -> Iterator[Block]:
    """Every block, depth first, including those inside divs, lists and quotes."""
    for b in blocks:
        yield b
        t, c = b["t"], b.get("c")
        if t in ("Div", "Figure"):
            yield from walk_blocks(c[-1])
        elif t == "BlockQuote":
            yield from walk_blocks(c)
        elif t in ("BulletList",):
            for item in c:
                yield from walk_blocks(item)
        elif t == "OrderedList":
            for item in c[1]:
                yield from walk_blocks(item)


def is_for_html_only(block: Block) -> bool:
    """Quarto's conditional content: shown on the site, left out of the PDF and DOCX."""
    if block["t"] != "Div":
        return False
    cls, kv = classes(block), keyvals(block)
    if "content-visible" in cls:
        return kv.get("when-format") == "html" or kv.get("unless-format") in ("pdf", "typst",
                                                                              "docx")
    if "content-hidden" in cls:
        return kv.get("when-format") in ("pdf", "typst", "docx") or kv.get("unless-format") == "html"
    return False


def _prefix_caption(caption_blocks: list[Block], label: str) -> None:
    words = text_inlines(label) + [{"t": "Space"}]
    if caption_blocks and caption_blocks[0]["t"] in ("Plain", "Para"):
        caption_blocks[0]["c"][:0] = words
    else:
        caption_blocks.insert(0, {"t": "Plain", "c": words[:-1]})


def number_captions(parts: list[list[Block]]) -> None:
    """"Bảng N." and "Hình N." before every caption, counted in reading order over the
    parts; a table or figure without a caption takes no number."""
    counts = {"Table": 0, "Figure": 0}
    words = {"Table": "Bảng", "Figure": "Hình"}
    for blocks in parts:
        for b in walk_blocks(blocks):
            if b["t"] not in counts:
                continue
            caption = b["c"][1][1]
            if not stringify(caption):
                continue
            counts[b["t"]] += 1
            _prefix_caption(caption, f"{words[b['t']]} {counts[b['t']]}.")


def fig_alt_to_alt(blocks: list[Block]) -> None:
    """Quarto's ``fig-alt`` becomes the image's ``alt`` (what pandoc's HTML writer reads).
    Images stand in figures and paragraphs: only those are searched."""
    for b in walk_blocks(blocks):
        inlines = [i for x in b["c"][2] if x["t"] in ("Plain", "Para") for i in x["c"]] \
            if b["t"] == "Figure" else b["c"] if b["t"] in ("Plain", "Para") else []
        for n in inlines:
            if n.get("t") == "Image":
                n["c"][0][2] = [["alt", v] if k == "fig-alt" else [k, v] for k, v in n["c"][0][2]]


# ---------------------------------------------------------------- the two shapes

def site(doc: dict[str, Any]) -> dict[str, Any]:
    """The page: everything in notebook order, captions numbered, widths left to the
    browser. Changes ``doc`` in place (give each shape its own parse of the JSON)."""
    for b in walk_blocks(doc["blocks"]):
        if b["t"] == "Table":
            set_widths(b, None)
    number_captions([doc["blocks"]])
    fig_alt_to_alt(doc["blocks"])
    return doc


@dataclass
class Appendix:
    title: str  # from the part's first heading, "Phụ lục:" dropped
    blocks: list[Block]


@dataclass
class Document:
    """The signed report's parts: the body, and the appendices after the signature."""

    body: list[Block]
    appendices: list[Appendix]


def _drop_html_only(blocks: list[Block]) -> list[Block]:
    out = []
    for b in blocks:
        if is_for_html_only(b):
            continue
        if b["t"] == "Div":
            b["c"][1] = _drop_html_only(b["c"][1])
        out.append(b)
    return out


def _appendices(blocks: list[Block]) -> list[Appendix]:
    """Appendix blocks grouped by their headings: each heading starts one appendix."""
    out: list[Appendix] = []
    for b in blocks:
        if b["t"] == "Header":
            title = re.sub(r"^Phụ lục\s*[IVX\d]*\s*[:.–-]?\s*", "", stringify(b["c"][2]),
                           flags=re.I)
            out.append(Appendix(title[:1].upper() + title[1:], []))
        elif out:
            out[-1].blocks.append(b)
        else:
            out.append(Appendix("", [b]))
    return out


def document(doc: dict[str, Any]) -> Document:
    """The body and appendices of the signed report, captions numbered in that order.
    Changes ``doc`` in place."""
    blocks = _drop_html_only(doc["blocks"])
    body, tagged = [], []
    for b in blocks:
        (tagged if b["t"] == "Div" and APPENDIX_CLASS in classes(b) else body).append(b)
    appendix_blocks = [x for d in tagged for x in d["c"][1]]
    appendices = _appendices(appendix_blocks)
    number_captions([body, *[a.blocks for a in appendices]])
    fig_alt_to_alt(body)
    return Document(body, appendices)


def lay_out_tables(blocks: list[Block], medium: layout.Medium
                   ) -> list[tuple[Block, layout.TableLayout]]:
    """Column widths (as fractions in the tree) and orientation for each top-level
    table, for a medium; returns the tables with their layouts."""
    out = []
    for b in walk_blocks(blocks):
        if b["t"] != "Table":
            continue
        rows = table_rows(b)
        lay = layout.table_layout(rows.layout_cells(), rows.ncols, medium)
        set_widths(b, lay.fractions)
        out.append((b, lay))
    return out

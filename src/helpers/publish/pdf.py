"""The PDF of a report: the same form as the DOCX, set by typst from pandoc's typst writer.

The document tree of the signed report (body, appendices) is framed by the form's header,
opening, closing, signature and appendix headings written as typst calls whose texts are
string literals (nothing from a file or ``params/`` is read as markup). Tables get column
widths from their content for the PDF's text size and the orientation the DOCX gives them;
a wide table or appendix is set on landscape pages. Captions carry the numbers the tree
gave them, so they run in order whatever is left out.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from . import doctree, layout
from .doctree import Block
from .form import MOTTO, Form

BODY_PT, TABLE_PT = 13, 11
MEDIUM = layout.Medium(size=TABLE_PT, smaller=(10, 9), pad=2 * 4 + 1.5)


def lit(text: str) -> str:
    """A typst string literal: its text is never read as markup."""
    return '"' + " ".join(str(text).split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


@cache
def fonts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(font folders, families): Times New Roman's metric twin when it has the Vietnamese
    letters, else Libertinus Serif (built into typst), so that no word mixes two fonts."""
    path = layout.font_file(False)
    try:
        from fontTools.ttLib import TTFont

        vietnamese = all(ord(ch) in TTFont(str(path)).getBestCmap() for ch in "ạệộữỹĐ")
    except Exception:  # noqa: BLE001  (no fontTools or an unreadable file: play safe)
        vietnamese = False
    if vietnamese and "DejaVu" not in path.name:
        family = "Times New Roman" if "Liberation" not in path.name else "Liberation Serif"
        return (str(path.parent),), (family, "Libertinus Serif")
    return (), ("Libertinus Serif",)


def preamble(families: tuple[str, ...]) -> str:
    font_list = "(" + ", ".join(lit(f) for f in families) + ",)"
    m = layout.PORTRAIT_MARGINS
    return f"""#set document(date: none)
#set page(paper: "a4", margin: (top: {m['top']}mm, bottom: {m['bottom']}mm, left: {m['left']}mm,
  right: {m['right']}mm), header: context {{
    if counter(page).get().first() > 1 {{ align(center, text(size: 13pt, counter(page).display())) }}
  }})
#set text(font: {font_list}, size: {BODY_PT}pt, lang: "vi")
#set par(justify: true, first-line-indent: (amount: 10mm, all: true), spacing: 0.8em, leading: 0.6em)
#set heading(numbering: none)
#show heading: it => block(above: 1em, below: 0.7em, inset: (left: 10mm), sticky: true,
  text(size: {BODY_PT}pt, weight: "bold", style: if it.level >= 3 {{ "italic" }} else {{ "normal" }},
    it.body))
#set list(marker: [-], indent: 10mm)
#set table(stroke: 0.5pt + black, inset: (x: 4pt, y: 3pt))
#show table: set text(size: {TABLE_PT}pt)
#show table: set par(justify: false, first-line-indent: 0pt)
#show table.cell.where(y: 0): set align(horizon)
#set figure(numbering: none, gap: 0.6em)
#show figure: set block(breakable: true)
#show figure.caption: set text(size: {TABLE_PT + 1}pt)
#show figure.where(kind: table): it => {{
  if it.caption != none {{ block(sticky: true, width: 100%, align(center, strong(it.caption.body))) }}
  it.body
}}
#show figure.where(kind: image): set figure.caption(position: bottom)
#show figure.where(kind: image): it => {{ show figure.caption: emph; it }}
#show regex("\\d[\\d.,/]*\\d%?|\\d%"): box
#let horizontalrule = line(start: (25%, 0%), end: (75%, 0%))
#let lines(size: 13pt, weight: "regular", style: "normal", ..texts) = text(size: size,
  weight: weight, style: style, texts.pos().map(t => [#t]).join(linebreak()))
#let rule(length) = align(center, line(length: length, stroke: 0.5pt))
"""


def _lines(lines: list[str], size: float, weight: str = "regular", style: str = "normal") -> str:
    return (f'#lines(size: {size}pt, weight: "{weight}", style: "{style}", '
            + ", ".join(lit(x) for x in lines) + ")")


def header(f: Form) -> str:
    """The header grid and the title with its rule, measured as in the DOCX."""
    from .docx import balanced_lines  # the same breaking of long names as the DOCX

    total = layout.PORTRAIT_WIDTH_MM * layout.MM
    size, right = 13, 0.0
    for size in (13, 12):
        right = layout.text_pt(MOTTO[0], size, True) + 12
        if layout.text_pt(f.parent, size) <= total - right - 12:
            break
    left = total - right
    issuer = balanced_lines(f.issuer, left - 12, size, True)
    parent = balanced_lines(f.parent, left - 12, size, False) if f.parent else []
    place = balanced_lines(f.place_date, right - 12, 13, False)
    rule_issuer = max(layout.text_pt(x, size, True) for x in issuer) / 3
    left_cell = " \\ ".join(([_lines(parent, size)] if parent else [])
                              + [_lines(issuer, size, "bold")])
    left_cell += (f"#v(-2pt)#rule({rule_issuer:.1f}pt)#v(4pt)"
                  f"#text(size: 13pt, {lit(f.number_line)})")
    right_cell = (_lines([MOTTO[0]], size, "bold") + " \\ " + _lines([MOTTO[1]], size + 1, "bold")
                  + f"#v(-2pt)#rule({layout.text_pt(MOTTO[1], size + 1, True):.1f}pt)#v(4pt)"
                  + _lines(place, 13, style="italic"))
    title_rule = layout.text_pt(f.subject, 14, True) / 3
    return ("#[\n#set par(first-line-indent: 0pt, justify: false)\n"
            f"#grid(columns: ({left:.1f}pt, {right:.1f}pt), align: center + top,\n"
            f"  [{left_cell}],\n  [{right_cell}])\n"
            f'#v(14pt)\n#align(center, text(size: 14pt, weight: "bold", {lit(f.kind)}))\n'
            f'#v(-6pt)\n#align(center, text(size: 14pt, weight: "bold", {lit(f.subject)}))\n'
            f"#v(-4pt)\n#rule({title_rule:.1f}pt)\n#v(6pt)\n]\n")


def signature(f: Form) -> str:
    sign = [x for x in (f.sign_for, f.signer_title) if x]
    nl = " \\ "
    recipients = _lines(["Nơi nhận:"], 12, "bold", "italic") + nl + _lines(list(f.recipients), 11)
    signer = ((_lines(sign, 14, "bold") + nl) if sign else "") \
        + _lines(["(Ký, ghi rõ họ tên, đóng dấu)"], 13, style="italic") \
        + "#v(60pt)" + _lines([f.signer_name], 14, "bold")
    return ("#[\n#set par(first-line-indent: 0pt, justify: false)\n"
            "#block(breakable: false, grid(columns: (1fr, 1fr), "
            "align: (left + top, center + top),\n"
            f"  [{recipients}],\n  [{signer}]))\n]\n")


def appendix_heading(f: Form, index: int, count: int, title: str) -> str:
    out = [f'#align(center, text(size: 14pt, weight: "bold", {lit(f.appendix_label(index, count))}))']
    if title:
        out.append(f'#align(center, text(size: 14pt, weight: "bold", {lit(title.upper())}))')
    out.append(f'#align(center, par(justify: false, text(size: 13pt, style: "italic", '
               f'{lit(f.attachment)})))')
    return "#set par(first-line-indent: 0pt)\n" + "\n#v(-4pt)\n".join(out) + \
        "\n#v(8pt)\n#set par(first-line-indent: (amount: 10mm, all: true))\n"


def _landscape(blocks: list[Block], wide: list[bool]) -> list[Block]:
    """Runs of blocks the DOCX sets on landscape pages, wrapped in a flipped page."""
    out: list[Block] = []
    for i, (b, w) in enumerate(zip(blocks, wide, strict=True)):
        if w and (i == 0 or not wide[i - 1]):
            out.append(doctree.raw("typst", "#page(flipped: true)["))
        out.append(b)
        if w and (i == len(blocks) - 1 or not wide[i + 1]):
            out.append(doctree.raw("typst", "]"))
    return out


def document_tree(d: doctree.Document, f: Form, wide_body: list[bool],
                  wide_appendices: list[bool]) -> dict:
    """The typst document as a pandoc tree: form and body; ``wide_*`` say which body
    blocks and which appendices go on landscape pages (the DOCX's decisions)."""
    for blocks in [d.body, *[a.blocks for a in d.appendices]]:
        for table, _ in doctree.lay_out_tables(blocks, MEDIUM):
            doctree.bold_header(table)
    blocks = [doctree.raw("typst", header(f))]
    blocks += [doctree.para(b) for b in f.bases] + [doctree.para(f.intro)]
    blocks += _landscape(d.body, wide_body)
    blocks += [doctree.para(f.closing), doctree.raw("typst", signature(f))]
    for i, a in enumerate(d.appendices):
        flip = "true" if wide_appendices[i] else "false"
        blocks.append(doctree.raw("typst", f"#page(flipped: {flip})[\n"
                                  + appendix_heading(f, i, len(d.appendices), a.title)))
        blocks += a.blocks
        blocks.append(doctree.raw("typst", "]"))
    return {"pandoc-api-version": [1, 23, 1, 1], "meta": {}, "blocks": blocks}


def compile_pdf(typ: Path, dest: Path) -> None:
    """typst → PDF, fonts as ``fonts`` chose them; no clock time inside."""
    import typst

    from ..atomic import write_bytes_atomic
    from .sources import PublishError

    folders, families = fonts()
    source = typ.read_text(encoding="utf-8")
    full = typ.with_suffix(".full.typ")
    full.write_text(preamble(families) + source, encoding="utf-8")
    try:
        data = typst.compile(str(full), root=str(typ.parent), font_paths=list(folders),
                             ignore_system_fonts=bool(folders))
    except Exception as exc:  # typst raises its own error type with the diagnostics
        raise PublishError(f"typst thất bại cho {typ}: {str(exc)[:800]}") from exc
    write_bytes_atomic(dest, data)

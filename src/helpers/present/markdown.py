"""Markdown for report outputs, with every text that came from a file escaped.

Notebook outputs are Markdown (``text/markdown``): JupyterLab shows them, and both
publishing engines (Quarto, and pandoc + typst) read them as part of the document. Text
from input files may contain Markdown or HTML; ``escape`` makes it literal.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class Md(str):
    """Markdown that JupyterLab renders and both publishing engines read as Markdown."""

    def _repr_markdown_(self) -> str:
        return str(self)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LONG_WORD = re.compile(r"\S{61,}")
BREAK_EVERY = 30
ZWSP = "\u200b"


def _breakable(word: re.Match[str]) -> str:
    """A run of 61 or more characters without a space gets a zero-width space every 30
    characters (never before a combining mark): a 5 000-character cell then wraps in a
    browser, in typst (which never breaks a word by itself) and in Word."""
    out, n = [], 0
    for ch in word[0]:
        if n >= BREAK_EVERY and not unicodedata.combining(ch):
            out.append(ZWSP)
            n = 0
        out.append(ch)
        n += 1
    return "".join(out)


def escape(text: object) -> str:
    """Literal text: Markdown punctuation backslash-escaped, HTML made inert, one line.
    Control characters (a bell, an escape code, a vertical tab from a pasted cell) become
    spaces: XML (DOCX) cannot hold them and a terminal would obey them."""
    if text is None:
        return ""
    s = re.sub(r"\s+", " ", _CONTROL.sub(" ", str(text))).strip()
    s = _LONG_WORD.sub(_breakable, s)
    s = html.escape(s, quote=False)  # & < > become entities; pandoc keeps them literal
    return re.sub(r"([\\`*_{}\[\]#|~^$@!])", r"\\\1", s)


def table(rows: Iterable[Sequence[object]], header: Sequence[str],
          align: Sequence[str] | None = None, caption: str | None = None) -> Md:
    """A pipe table. Cells are already formatted strings; texts from files must be
    passed through ``escape`` by the caller (numbers and labels of ours need not)."""
    align = align or ["l"] + ["r"] * (len(header) - 1)
    body = [[str(c).replace("\n", " ") for c in row] for row in rows]
    # pandoc sizes wide pipe tables by the dashes of the separator line: make them
    # proportional to each column's content so names get room and numbers stay narrow
    widths = [min(max([len(h) // 2 + 3] + [len(r[j]) + 2 for r in body]), 45)
              for j, h in enumerate(header)]
    def sep(a: str, w: int) -> str:
        dashes = "-" * max(w, 3)
        return {"l": ":" + dashes, "r": dashes + ":", "c": ":" + dashes + ":"}[a]
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(sep(a, w) for a, w in zip(align, widths, strict=True)) + "|"]
    for row in body:
        lines.append("| " + " | ".join(row) + " |")
    out = "\n".join(lines)
    if caption:
        out += f"\n\n: {caption}"
    return Md(out)


# ---------------------------------------------------------------- grid tables with spans

_LIST_START = re.compile(r"^(\(?)(\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+)([.)])(\s|$)")


def cell_text(text: object) -> str:
    """Literal text for a table cell: ``escape`` and, in a grid table's cell (a block of
    its own), a leading "(1)", "1." or "- " that pandoc would read as a list kept literal."""
    s = unicodedata.normalize("NFC", escape(text))
    if s[:1] in "-+":
        return "\\" + s
    m = _LIST_START.match(s)
    if m:
        return (f"\\({m[2]}{m[3]}" if m[1] else f"{m[2]}\\{m[3]}") + s[m.end(3):]
    return s


@dataclass(frozen=True)
class Cell:
    """A grid-table cell: Markdown text (escaped by the caller, see ``cell_text``) and the
    rows and columns it spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


def width(text: str) -> int:
    """Columns pandoc counts for a text: wide East-Asian characters 2, combining marks 0."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, w: int) -> list[str]:
    """Words to lines of at most ``w`` columns; a longer word is cut (never inside a
    backslash escape)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while width(word) > w:
            cut = w
            while cut > 1 and (width(word[:cut]) > w or word[cut - 1] == "\\"):
                cut -= 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        if line and width(line) + 1 + width(word) > w:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines or [""]


def _place(rows: Sequence[Sequence[Cell]], ncols: int) -> list[list[tuple[int, int]]]:
    """The grid: for every (row, column) the (row, index) of the cell covering it."""
    grid: list[list[tuple[int, int] | None]] = [[None] * ncols for _ in rows]
    for r, row in enumerate(rows):
        c = 0
        for k, cell in enumerate(row):
            while c < ncols and grid[r][c] is not None:
                c += 1
            if c + cell.colspan > ncols or r + cell.rowspan > len(rows):
                raise ValueError(f"grid table: cell {r}/{k} does not fit")
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if grid[r + dr][c + dc] is not None:
                        raise ValueError(f"grid table: cells overlap at {r + dr}/{c + dc}")
                    grid[r + dr][c + dc] = (r, k)
            c += cell.colspan
    if any(g is None for row in grid for g in row):
        raise ValueError("grid table: a row has too few cells")
    return grid  # type: ignore[return-value]


def _fitted(rows: Sequence[Sequence[Cell]], grid: list[list[tuple[int, int]]],
            widths: Sequence[int]) -> list[int]:
    """Widths widened so that no word of a cell has to be cut (a spanning cell widens its
    last column)."""
    out = list(widths)
    for r, row in enumerate(rows):
        for k, cell in enumerate(row):
            longest = max((width(w) for w in cell.text.split()), default=0)
            cols = [c for c in range(len(out)) if grid[r][c] == (r, k)]
            have = sum(out[c] for c in cols) + 3 * (len(cols) - 1)
            if longest > have:
                out[cols[-1]] += longest - have
    return out


def grid_table(rows: Sequence[Sequence[Cell]], widths: Sequence[int], header_rows: int = 1,
               align: Sequence[str] | None = None) -> Md:
    """A pandoc grid table with row and column spans (pandoc ≥ 3 renders them to HTML,
    typst and DOCX). ``widths`` are the columns' text widths: they set the columns'
    relative widths on the page; texts are wrapped to them."""
    ncols = len(widths)
    grid = _place(rows, ncols)
    align = align or ["l"] * ncols
    widths = _fitted(rows, grid, widths)
    inner: dict[tuple[int, int], int] = {}
    lines_of: dict[tuple[int, int], list[str]] = {}
    for r, row in enumerate(rows):
        for k, cell in enumerate(row):
            c0 = next(c for c in range(ncols) if grid[r][c] == (r, k))
            inner[(r, k)] = sum(widths[c0:c0 + cell.colspan]) + 3 * (cell.colspan - 1)
            lines_of[(r, k)] = _wrap(cell.text, inner[(r, k)])
    heights = [1] * len(rows)
    for (r, _k), lines in lines_of.items():  # a spanning cell's lines are in its first row
        heights[r] = max(heights[r], len(lines))
    out = [_border(grid, widths, None, 0, lines_of, inner, "-", None)]
    for r in range(len(rows)):
        for i in range(heights[r]):
            out.append(_content(grid, widths, r, i, lines_of, inner))
        fill = "=" if r == header_rows - 1 else "-"
        out.append(_border(grid, widths, r, r + 1, lines_of, inner, fill,
                           align if fill == "=" else None))
    return Md("\n".join(out))


def _content(grid, widths, r, i, lines_of, inner) -> str:
    s = ""
    ncols = len(widths)
    c = 0
    while c < ncols:
        key = grid[r][c]
        span = sum(1 for cc in range(c, ncols) if grid[r][cc] == key)
        lines = lines_of[key] if key[0] == r else []
        text = lines[i] if i < len(lines) else ""
        s += "| " + text + " " * (inner[key] - width(text)) + " "
        c += span
    return s + "|"


def _border(grid, widths, above, below, lines_of, inner, fill, align) -> str:
    """The line between row ``above`` and row ``below`` (None: outside the table). Where a
    cell spans both rows, the line passes through it as blank text."""
    ncols = len(widths)
    nrows = len(grid)

    def key(r, c):
        return grid[r][c] if r is not None and 0 <= r < nrows and 0 <= c < ncols else None

    through = [key(above, c) is not None and key(above, c) == key(below, c) for c in range(ncols)]
    s = ""
    for c in range(ncols + 1):
        left_through = c > 0 and through[c - 1]
        right_through = c < ncols and through[c]
        same = left_through and right_through and key(above, c - 1) == key(above, c)
        if same:
            s += " "
        elif left_through and right_through:
            s += "|"
        elif (left_through or right_through) and c in (0, ncols):
            s += "|"  # the table's edge beside a cell the line passes through
        elif left_through or right_through:
            s += "+"
        else:
            vert = (key(above, c - 1) != key(above, c)) or (key(below, c - 1) != key(below, c))
            s += "+" if vert or c in (0, ncols) else fill
        if c == ncols:
            break
        if through[c]:
            s += " " * (widths[c] + 2)
        else:
            seg = fill * (widths[c] + 2)
            if align is not None:
                a = align[c]
                seg = (":" if a in "lc" else fill) + seg[1:-1] + (":" if a in "rc" else fill)
            s += seg
    return s

"""Page geometry and column widths measured from the text, for the PDF and the DOCX.

A table's columns get widths from their content: never narrower than the widest word or
number they hold (so "6.981" or "99,97%" never breaks and no header prints over its
neighbour), and the rest of the line shared by how much each column would like to have.
A table whose narrowest layout does not fit a portrait page goes on a landscape page.

Text is measured with Times New Roman's metrics: Liberation Serif is metric-compatible
(the font LibreOffice substitutes for it), else DejaVu Serif from matplotlib, wider, so the
widths err on the safe side. Vietnamese letters advance as their base letters do, so the
text is measured without its diacritics (a font without Vietnamese glyphs still measures
right).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from ..text import unaccent

MM = 72 / 25.4  # points per millimetre
A4 = (210.0, 297.0)
# Nghị định 30/2020/NĐ-CP, Phụ lục I: top 20–25, bottom 20–25, left 30–35, right 15–20 mm
PORTRAIT_MARGINS = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
LANDSCAPE_MARGINS = {"top": 20.0, "bottom": 20.0, "left": 20.0, "right": 15.0}
PORTRAIT_WIDTH_MM = A4[0] - PORTRAIT_MARGINS["left"] - PORTRAIT_MARGINS["right"]  # 165
LANDSCAPE_WIDTH_MM = A4[1] - LANDSCAPE_MARGINS["left"] - LANDSCAPE_MARGINS["right"]  # 262

_FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation",
              "/usr/share/fonts/liberation-serif", "/usr/share/fonts/truetype/msttcorefonts")
_FONT_FILES = {False: ("LiberationSerif-Regular.ttf", "Times_New_Roman.ttf", "times.ttf"),
               True: ("LiberationSerif-Bold.ttf", "Times_New_Roman_Bold.ttf", "timesbd.ttf")}
_NUMBER = re.compile(r"^[(\[]?[+\-–]?\d[\d.,]*(?:%|/[\d.,]+)?[)\]]?[.,;:]?$")


@cache
def font_file(bold: bool) -> Path:
    """The metric font: Liberation Serif (Times New Roman's metrics) or DejaVu Serif."""
    for folder in _FONT_DIRS:
        for name in _FONT_FILES[bold]:
            path = Path(folder) / name
            if path.is_file():
                return path
    import matplotlib

    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


@cache
def _font(bold: bool):
    from PIL import ImageFont

    return ImageFont.truetype(str(font_file(bold)), 1000)


@lru_cache(maxsize=1 << 16)
def text_pt(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` on one line, in points, at ``size`` points."""
    return _font(bold).getlength(unaccent(text)) / 1000 * size


def is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


def tokens(text: str) -> list[str]:
    """The pieces a line may not break inside: words, numbers with their signs and
    fractions ("(6.103/6.112)"), a verdict ("✗ Không đạt"), and long addresses cut after
    ``/`` ``.`` ``-``."""
    if text[:1] in "✓✗" and len(text) <= 12:
        return [text]
    out = []
    for word in text.split():
        if len(word) > 25 and not is_number(word) and ("/" in word or "." in word):
            out.extend(p for p in re.split(r"(?<=[/._\-?=&])", word) if p)
        else:
            out.append(word)
    return out or [""]


@dataclass(frozen=True)
class Cell:
    """A table cell as layout sees it: its text, first column and span, header or not."""

    text: str
    col: int
    span: int = 1
    header: bool = False


@dataclass(frozen=True)
class Fit:
    widths: list[float]  # points, summing to the width given
    fits: bool  # every column at least as wide as its widest word or number


def fit_columns(cells: list[Cell], ncols: int, total: float, size: float, pad: float,
                max_ratio: float = 4.0) -> Fit:
    """Column widths (points) summing to ``total``. A column's minimum is its widest
    unbreakable piece, its preference the widest whole cell on one line (a header's on
    two lines; at most ``max_ratio`` times the minimum or a third of the line). If the
    preferences fit they share the line in proportion; else every column gets its minimum
    and the rest goes to those that want more, in proportion to how much more. A cell
    spanning columns asks each for its share."""
    mins, prefs = [pad] * ncols, [pad] * ncols
    for c in cells:
        lo = max(text_pt(t, size, c.header) for t in tokens(c.text)) + pad
        hi = text_pt(" ".join(c.text.split()), size, c.header) / (2 if c.header else 1) + pad
        for j in range(c.col, min(c.col + c.span, ncols)):
            mins[j] = max(mins[j], lo / c.span)
            prefs[j] = max(prefs[j], hi / c.span)
    prefs = [max(min(p, max(max_ratio * m, total / 3)), m) for p, m in zip(prefs, mins, strict=True)]
    if sum(mins) > total:
        return Fit([total * m / sum(mins) for m in mins], False)
    if sum(prefs) <= total:
        return Fit([total * p / sum(prefs) for p in prefs], True)
    extra = total - sum(mins)
    want = [p - m for p, m in zip(prefs, mins, strict=True)]
    return Fit([m + extra * w / (sum(want) or 1) for m, w in zip(mins, want, strict=True)], True)


@dataclass(frozen=True)
class Medium:
    """How a medium sets tables: text size (pt), the sizes it may fall back to on a
    landscape page, and the horizontal padding of a cell (pt, both sides)."""

    size: float
    smaller: tuple[float, ...]
    pad: float


@dataclass(frozen=True)
class TableLayout:
    landscape: bool
    size: float  # text size in the table
    widths: list[float]  # points

    @property
    def fractions(self) -> list[float]:
        total = sum(self.widths)
        return [w / total for w in self.widths]


def table_layout(cells: list[Cell], ncols: int, medium: Medium) -> TableLayout:
    """Portrait if the table's words fit the portrait width at the medium's size; else a
    landscape page, at the largest size (down the medium's list) at which they fit."""
    portrait = fit_columns(cells, ncols, PORTRAIT_WIDTH_MM * MM, medium.size, medium.pad)
    if portrait.fits:
        return TableLayout(False, medium.size, portrait.widths)
    fit = None
    for size in (medium.size, *medium.smaller):
        fit = fit_columns(cells, ncols, LANDSCAPE_WIDTH_MM * MM, size, medium.pad)
        if fit.fits:
            return TableLayout(True, size, fit.widths)
    assert fit is not None
    return TableLayout(True, (medium.smaller or (medium.size,))[-1], fit.widths)

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

"""HTML tables saved with an ``.xls`` suffix: what web portals' "Xuất Excel" buttons give.

Excel opens such a file as a workbook, so users hand it over as one. Each ``<table>`` is
read as a sheet: one row per ``<tr>``, one cell per ``<td>``/``<th>``; a cell spanning
columns or rows leaves the other cells of its span empty, as a merged Excel cell does.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

_SNIFF = 64 * 1024


def looks_like_html(path: Path) -> bool:
    """Whether the file is markup holding a table rather than an Excel binary."""
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF)
    if head.startswith(b"\xd0\xcf\x11\xe0") or head.startswith(b"PK"):
        return False
    text = head.replace(b"\x00", b"").lower()
    return b"<table" in text or (text.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").startswith(b"<")
                                 and b"<html" in text)


class _Tables(HTMLParser):
    def __init__(self, max_rows: int) -> None:
        super().__init__(convert_charrefs=True)
        self.max_rows = max_rows
        self.tables: list[tuple[list[list[object]], bool]] = []
        self._stack: list[dict] = []  # nested tables: the innermost is read

    @property
    def _t(self) -> dict | None:
        return self._stack[-1] if self._stack else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        t = self._t
        if tag == "table":
            self._stack.append({"rows": [], "row": None, "cell": None, "span": {},
                                "truncated": False})
        elif t is None:
            return
        elif tag == "tr":
            self._end_row(t)
            t["row"] = []
        elif tag in ("td", "th"):
            if t["row"] is None:
                t["row"] = []
            self._end_cell(t)
            a = dict(attrs)
            t["cell"] = {"text": [], "colspan": _int(a.get("colspan")),
                         "rowspan": _int(a.get("rowspan"))}
        elif tag == "br" and t["cell"] is not None:
            t["cell"]["text"].append("\n")

    def handle_endtag(self, tag: str) -> None:
        t = self._t
        if t is None:
            return
        if tag in ("td", "th"):
            self._end_cell(t)
        elif tag == "tr":
            self._end_row(t)
        elif tag == "table":
            self._end_row(t)
            self._stack.pop()
            self.tables.append((t["rows"], t["truncated"]))

    def handle_data(self, data: str) -> None:
        t = self._t
        if t is not None and t["cell"] is not None:
            t["cell"]["text"].append(data)

    def _end_cell(self, t: dict) -> None:
        cell = t["cell"]
        if cell is None:
            return
        t["cell"] = None
        row = t["row"]
        self._fill_spans(t, row)
        text = " ".join("".join(cell["text"]).split())
        col = len(row)
        row.append(text if text else None)
        row.extend([None] * (cell["colspan"] - 1))
        if cell["rowspan"] > 1:
            for j in range(col, col + cell["colspan"]):
                t["span"][j] = cell["rowspan"] - 1
        self._fill_spans(t, row)

    @staticmethod
    def _fill_spans(t: dict, row: list[object]) -> None:
        """Cells covered by a row span from above are empty, as in a merged region."""
        while t["span"].get(len(row), 0) > 0:
            t["span"][len(row)] -= 1
            row.append(None)

    def _end_row(self, t: dict) -> None:
        self._end_cell(t)
        row = t["row"]
        if row is None:
            return
        t["row"] = None
        for j, left in sorted(t["span"].items()):  # spans reaching past the row's last cell
            if left > 0 and j >= len(row):
                row.extend([None] * (j - len(row) + 1))
                t["span"][j] -= 1
        if len(t["rows"]) >= self.max_rows:
            t["truncated"] = True
            return
        t["rows"].append(row)


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def read_html_tables(text: str, max_rows: int) -> list[tuple[list[list[object]], bool]]:
    """Every table of the document with its rows, and whether it had more than
    ``max_rows`` rows (then it is truncated and must be refused)."""
    parser = _Tables(max_rows)
    parser.feed(text)
    parser.close()
    while parser._stack:  # a table never closed: what was read of it
        parser.handle_endtag("table")
    return [(rows, truncated) for rows, truncated in parser.tables if rows]

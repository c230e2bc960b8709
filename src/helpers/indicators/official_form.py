"""Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP; the same layout is Biểu II.06a):
"Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực tiếp giải quyết TTHC".

The form's numbered columns are the project's dossier-flow codes under another name
(docs/data-spec.md): (3) = received_total, (4) = new_online, (5) = new_offline,
(6) = carried_over, (7) = resolved_total, (8) = resolved_early, (9) = resolved_on_time,
(10) = resolved_late, (11) = pending_total, (12) = pending_not_due, (13) = pending_overdue.
Columns (4) and (5) count the window's *new* dossiers by channel and (6) those carried
over, so (3) = (4) + (5) + (6). The form's four identities are checked on every row it
has, never assumed: a broken one is a defect of the tool, and no form is made from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .dossiers import TOTAL_LABEL

CODES: dict[int, str] = {
    3: "received_total", 4: "new_online", 5: "new_offline", 6: "carried_over",
    7: "resolved_total", 8: "resolved_early", 9: "resolved_on_time", 10: "resolved_late",
    11: "pending_total", 12: "pending_not_due", 13: "pending_overdue",
}
NUMBERS = tuple(CODES)
IDENTITIES: tuple[tuple[int, tuple[int, ...]], ...] = (
    (3, (4, 5, 6)), (7, (8, 9, 10)), (11, (12, 13)), (3, (7, 11)))
COLUMNS = ("stt", "label", "kind", *NUMBERS)  # kind: row | section | total
SECTION_NUMERALS = ("I", "II", "III", "IV", "V", "VI")


class FormError(AssertionError):
    """An identity of the form that does not hold: a defect, never a user's mistake."""


def cells(counts: Mapping[str, Any], prefix: str = "") -> dict[int, int]:
    """The form's cells (3)–(13) of one row from its flow codes (``prefix`` e.g.
    ``"dossiers."`` for the codes of ``indicators.json``)."""
    return {n: int(counts[prefix + code]) for n, code in CODES.items()}


def check(row: Mapping[int, int], label: str) -> None:
    """Raise ``FormError`` naming the row and the identity that does not hold."""
    for whole, parts in IDENTITIES:
        if row[whole] != sum(row[p] for p in parts):
            shown = " + ".join(f"({p})" for p in parts)
            raise FormError(f"Biểu 06, dòng “{label}”: ({whole}) = {row[whole]} ≠ {shown} = "
                            f"{sum(row[p] for p in parts)}")


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    for r in rows:
        check(r, r["label"])
    return pd.DataFrame(rows, columns=list(COLUMNS))


def form(table: pd.DataFrame) -> pd.DataFrame:
    """The form of one agency from its dossier table (``dossiers.table``: a row per lĩnh
    vực and the ``Tổng cộng`` row): columns ``stt``, ``label``, ``kind`` and (3)–(13)."""
    rows = []
    body = table[table["field"] != TOTAL_LABEL] if len(table) else table
    for i, (_, r) in enumerate(body.iterrows(), start=1):
        rows.append({"stt": str(i), "label": str(r["field"]), "kind": "row", **cells(r)})
    total = table[table["field"] == TOTAL_LABEL]
    counts = cells(total.iloc[0]) if len(total) else dict.fromkeys(NUMBERS, 0)
    _check_sum(rows, counts)
    rows.append({"stt": "", "label": TOTAL_LABEL, "kind": "total", **counts})
    return _frame(rows)


def _check_sum(rows: list[dict[str, Any]], total: Mapping[int, int]) -> None:
    for n in NUMBERS:
        if sum(r[n] for r in rows) != total[n]:
            raise FormError(f"Biểu 06: cột ({n}) của dòng tổng {total[n]} ≠ tổng các dòng "
                            f"{sum(r[n] for r in rows)}")


def sectioned(sections: Iterable[tuple[str, list[tuple[str, Mapping[int, int]]]]]
              ) -> pd.DataFrame:
    """A compiled form: per section (its title and its (label, cells) rows) a section row
    carrying the section's sums, then its rows; a ``Tổng cộng`` row at the end."""
    rows: list[dict[str, Any]] = []
    grand = dict.fromkeys(NUMBERS, 0)
    for k, (title, members) in enumerate(sections):
        sums = {n: sum(c[n] for _, c in members) for n in NUMBERS}
        rows.append({"stt": SECTION_NUMERALS[k], "label": title, "kind": "section", **sums})
        for i, (label, c) in enumerate(members, start=1):
            rows.append({"stt": str(i), "label": label, "kind": "row",
                         **{n: int(c[n]) for n in NUMBERS}})
        grand = {n: grand[n] + sums[n] for n in NUMBERS}
    rows.append({"stt": "", "label": TOTAL_LABEL, "kind": "total", **grand})
    return _frame(rows)

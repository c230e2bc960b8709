"""Plan tasks: deadlines as plans write them, and each task's state at a window's end.

A deadline naming a date or a period resolves to its last day ("Quý II" → 30/06); a
recurring or open-ended one ("Thường xuyên", "Theo tiến độ") is kept as such and the task
is reported as continuing work, never as overdue.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..text import unaccent

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
RECURRING = ("thuong xuyen", "hang thang", "dinh ky", "hang nam", "hang quy",
             "hang tuan", "lien tuc", "hang ngay")
OPEN_ENDED = ("theo tien do", "khi co", "theo ke hoach", "theo quy dinh", "theo yeu cau",
              "theo chi dao", "theo lo trinh", "theo thoi han", "sau khi", "ngay khi")

STATES = ("done", "done_late", "overdue", "in_progress", "not_started", "continuing")
STATE_LABELS = {
    "done": "Hoàn thành", "done_late": "Hoàn thành trễ hạn", "overdue": "Quá hạn",
    "in_progress": "Đang thực hiện", "not_started": "Chưa thực hiện",
    "continuing": "Thường xuyên/đang tiếp tục",
}


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: str  # "date" | "recurring" | "open" | "unknown"
    on: date | None = None
    repeats: bool = False

    @property
    def dated(self) -> bool:
        return self.on is not None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_in(text: str, default: int) -> int:
    m = re.search(r"(?<!\d)(20\d{2})(?!\d)", text)
    return int(m[1]) if m else default


def resolve_deadline(text: object, plan_year: int) -> Deadline:
    """Resolve a deadline text of a plan whose year is ``plan_year``; a yearly deadline
    first set in an earlier year ("Quý IV/2018 và hằng năm") falls in the plan year."""
    d = _resolve(text, plan_year)
    if d.on is not None and d.repeats and d.on.year < plan_year:
        return Deadline(d.text, d.kind, d.on.replace(year=plan_year), True)
    return d


def _resolve(text: object, plan_year: int) -> Deadline:
    raw = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    t = unaccent(raw).lower().replace(",", " ")
    t = re.sub(r"\s+", " ", t).strip()
    hang = t  # "hằng" and "hàng" both fold to "hang"
    repeats = bool(re.search(r"\b(hang nam|hang quy|hang thang|dinh ky)\b", hang))
    if not t:  # a plan row with no time: a task of the plan's year
        return Deadline(raw, "date", date(plan_year, 12, 31))
    # months first, so "Tháng 10/2019" is not read as a day: Tháng 01/2019, tháng 5 năm 2019
    if m := re.search(r"thang\s*(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?(?![\d/])", t):
        month = int(m[1])
        if 1 <= month <= 12:
            year = int(m[2]) if m[2] else _year_in(t, plan_year)
            return Deadline(raw, "date", _month_end(year, month), repeats)
    # explicit days, several allowed ("trước ngày 11/6; trước ngày 19/11"): the last one
    found = []
    for m in re.finditer(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])", t):
        try:
            found.append(date(int(m[3]) if m[3] else plan_year, int(m[2]), int(m[1])))
        except ValueError:
            return Deadline(raw, "unknown")
    if found:
        return Deadline(raw, "date", max(found), repeats or len(found) > 1)
    # quarters: Quý II, Quý I/2019, quý 2 năm 2019
    if m := re.search(r"quy\s*(iv|iii|ii|i|[1-4])\b(?:\s*(?:/|nam)\s*(\d{4}))?", t):
        q = ROMAN.get(m[1]) or int(m[1])
        year = int(m[2]) if m[2] else _year_in(t, plan_year)
        return Deadline(raw, "date", _month_end(year, 3 * q), repeats)
    if m := re.search(r"(\d{1,2}) thang (dau|cuoi) nam", t):
        n = int(m[1])
        year = _year_in(t, plan_year)
        return Deadline(raw, "date", _month_end(year, n if m[2] == "dau" else 12), repeats)
    if any(k in hang for k in RECURRING):
        return Deadline(raw, "recurring", None, True)
    if any(k in t for k in OPEN_ENDED):
        return Deadline(raw, "open")
    # a year alone: Trong năm 2019, Năm 2019, 2019
    if m := re.search(r"(?<!\d)(20\d{2})(?!\d)", t):
        return Deadline(raw, "date", date(int(m[1]), 12, 31), repeats)
    if re.search(r"\b(trong nam|ca nam|cuoi nam)\b", t):
        return Deadline(raw, "date", date(plan_year, 12, 31), repeats)
    return Deadline(raw, "unknown")


def task_states(tasks: pd.DataFrame, end: date, plan_year: int) -> pd.DataFrame:
    """Each task with its resolved deadline and exactly one state at ``end``."""
    out = tasks.copy()
    deadlines = [resolve_deadline(t, plan_year) for t in out["deadline"]]
    out["deadline_on"] = [d.on for d in deadlines]
    out["deadline_kind"] = [d.kind for d in deadlines]
    states = []
    for d, status, completed in zip(deadlines, out["status"], out["completed_on"], strict=True):
        status = "" if pd.isna(status) else str(status)
        comp = None if pd.isna(completed) else pd.Timestamp(completed).date()
        finished = status in ("Hoàn thành", "Hoàn thành trễ hạn") and (comp is None or comp <= end)
        if finished:
            late = status == "Hoàn thành trễ hạn" or (d.on is not None and comp is not None
                                                       and comp > d.on)
            states.append("done_late" if late else "done")
        elif not d.dated:
            states.append("continuing")
        elif d.on <= end:
            states.append("overdue")
        elif status in ("Đang thực hiện", "Hoàn thành", "Hoàn thành trễ hạn"):
            states.append("in_progress")
        else:
            states.append("not_started")
    out["state"] = states
    out["due"] = [d.on is not None and d.on <= end for d in deadlines]
    return out


def task_counts(states: pd.DataFrame) -> dict[str, int]:
    """``tasks.*`` counts; ``tasks.due`` counts dated tasks whose deadline has passed."""
    counts = {f"tasks.{s}": int((states["state"] == s).sum()) for s in STATES}
    counts["tasks.total"] = len(states)
    counts["tasks.due"] = int(states["due"].sum())
    counts["tasks.due_done"] = int((states["due"] & states["state"].isin(["done", "done_late"]))
                                   .sum())
    return counts


def summary_by(states: pd.DataFrame, column: str) -> pd.DataFrame:
    """Counts of each state per plan group or lead unit, with the share of due tasks done."""
    table = pd.crosstab(states[column], states["state"]).reindex(columns=list(STATES),
                                                                 fill_value=0)
    table["total"] = table.sum(axis=1)
    due = states.groupby(column)["due"].sum()
    due_done = states[states["due"] & states["state"].isin(["done", "done_late"])].groupby(
        column).size()
    table["due"] = due.reindex(table.index).fillna(0).astype(int)
    table["due_done"] = due_done.reindex(table.index).fillna(0).astype(int)
    return table

"""Plan tasks: deadlines and progress as plans and reports write them, and each task's
state at a window's end.

A deadline naming a date or a period resolves to its last day ("Quý II" → 30/06); a
recurring or open-ended one ("Thường xuyên", "Theo tiến độ") is kept as such and the task
is reported as continuing work, never as overdue. A written status ("Đang thực hiện đúng
tiến độ") is read through ``WRITTEN_STATUSES``; where no completion date is given, the date
of the document the evidence cites ("Kế hoạch số 438/KH-SVHTT ngày 31/01/2019") is one.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..text import fold, unaccent

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
RECURRING = ("thuong xuyen", "hang thang", "dinh ky", "hang nam", "hang quy",
             "hang tuan", "lien tuc", "hang ngay")
OPEN_ENDED = ("theo tien do", "khi co", "theo ke hoach", "theo quy dinh", "theo yeu cau",
              "theo chi dao", "theo lo trinh", "theo thoi han", "sau khi", "ngay khi",
              "theo huong dan")
OPEN_ABBREVIATED = re.compile(r"\btheo kh\b")  # "Theo KH đào tạo, bồi dưỡng"

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
    if any(k in t for k in OPEN_ENDED) or OPEN_ABBREVIATED.search(t):
        return Deadline(raw, "open")
    # a year alone: Trong năm 2019, Năm 2019, 2019
    if m := re.search(r"(?<!\d)(20\d{2})(?!\d)", t):
        return Deadline(raw, "date", date(int(m[1]), 12, 31), repeats)
    if re.search(r"\b(trong nam|ca nam|cuoi nam)\b", t):
        return Deadline(raw, "date", date(plan_year, 12, 31), repeats)
    return Deadline(raw, "unknown")


@dataclass(frozen=True)
class StatusReading:
    """What a written status says: the task's progress (``DONE``, ``ONGOING``,
    ``NOT_STARTED``, or None when nothing is written) and whether it claims the task is on
    time (``ON_TIME``) or late (``LATE``)."""

    progress: str | None
    timing: str | None = None


DONE, ONGOING, NOT_STARTED = "done", "ongoing", "not_started"
ON_TIME, LATE = "on_time", "late"
NOTHING_WRITTEN = StatusReading(None)
# The vocabulary of written statuses (the ``nhiem_vu.status`` values of the ingestion spec):
# appendices write phrases, not codes, and each phrase is read for what it says.
WRITTEN_STATUSES: dict[str, StatusReading] = {
    "Hoàn thành": StatusReading(DONE),
    "Đã hoàn thành": StatusReading(DONE),
    "Hoàn thành đúng hạn": StatusReading(DONE, ON_TIME),
    "Hoàn thành đúng tiến độ": StatusReading(DONE, ON_TIME),
    "Hoàn thành trễ hạn": StatusReading(DONE, LATE),
    "Đang thực hiện": StatusReading(ONGOING),
    "Đang triển khai": StatusReading(ONGOING),
    "Đang thực hiện đúng tiến độ": StatusReading(ONGOING, ON_TIME),
    "Đang thực hiện đúng tiến độ, đúng quy định": StatusReading(ONGOING, ON_TIME),
    "Đang thực hiện chậm tiến độ": StatusReading(ONGOING, LATE),
    "Thực hiện đúng quy định": StatusReading(ONGOING),
    "Thực hiện thường xuyên": StatusReading(ONGOING),
    "Thực hiện thường xuyên, đúng quy định": StatusReading(ONGOING),
    "Chưa thực hiện": StatusReading(NOT_STARTED),
    "Chưa triển khai": StatusReading(NOT_STARTED),
}
_READINGS = {fold(k): v for k, v in WRITTEN_STATUSES.items()}

# "<văn bản> số <số/ký hiệu> ngày <dd/mm/yyyy | dd tháng mm năm yyyy>", on unaccented
# lower-case text. A document cited as the basis of the work, not its result: one whose
# ký hiệu is of a national body (NĐ-CP, QĐ-TTg, TT-BTC, …) or that is followed by
# "của <a higher body>".
_CITED = re.compile(
    r"\bso\s+(?P<symbol>\d[\w.]*/[\w./-]*)\s+ngay\s+(\d{1,2})(?:\s+thang\s+|/)(\d{1,2})"
    r"(?:\s+nam\s+|/)(\d{4})(?P<basis>\s*,?\s+cua\s+(?:uy ban|ubnd|hdnd|hoi dong|chinh phu|"
    r"thu tuong|quoc hoi|tinh uy|thanh uy|ban chap hanh|bo chinh tri|chu tich|lien bo|bo\b))?")
_NATIONAL = re.compile(r"(nd-cp|nq-cp|qd-ttg|ct-ttg|/tt-|/ttlt-|/qh\d*|nq-tw|nq/tw)")


def read_status(text: object) -> StatusReading | None:
    """What a written status says: ``NOTHING_WRITTEN`` for an empty cell, None for a
    phrase outside ``WRITTEN_STATUSES`` (case, accents and a final full stop do not count)."""
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
        return NOTHING_WRITTEN
    return _READINGS.get(fold(text))


def evidence_date(text: object) -> date | None:
    """The date of the latest document the evidence cites as the agency's own result
    ("Kế hoạch số 438/KH-SVHTT ngày 31/01/2019"); a document of a higher body cited as the
    basis ("… ngày 22 tháng 02 năm 2019 của Ủy ban nhân dân Thành phố") is not one."""
    if not isinstance(text, str) or not text.strip():
        return None
    found = []
    for m in _CITED.finditer(unaccent(text).lower()):
        if m["basis"] or _NATIONAL.search(m["symbol"]):
            continue
        try:
            found.append(date(int(m[4]), int(m[3]), int(m[2])))
        except ValueError:
            continue
    return max(found, default=None)


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _completion(d: Deadline, r: StatusReading, completed: date | None,
                evidence_on: date | None) -> tuple[date | None, str | None]:
    """The completion date and where it was read: the column, else the evidence's date
    when the status says done, or says nothing of a task with a dated deadline (a
    document cited for recurring work records it, it does not end it)."""
    if completed is not None:
        return completed, "completed_on"
    if evidence_on is not None and (r.progress == DONE or (r.progress is None and d.dated)):
        return evidence_on, "evidence"
    return None, None


def _state(d: Deadline, r: StatusReading, completed: date | None, worked: bool,
           end: date) -> str:
    if r.progress == DONE:
        finished = completed is None or completed <= end
    else:
        finished = r.progress is None and completed is not None and completed <= end
    if finished:
        late = r.timing == LATE or (d.on is not None and completed is not None
                                    and completed > d.on)
        return "done_late" if late else "done"
    if not d.dated:
        return "continuing"
    if d.on <= end:  # type: ignore[operator]
        return "overdue"
    if r.progress in (ONGOING, DONE) or (r.progress is None and worked):
        return "in_progress"
    return "not_started"


def task_states(tasks: pd.DataFrame, end: date, plan_year: int) -> pd.DataFrame:
    """Each task with its resolved deadline, what its status says, its completion date
    (``completed_on`` as written, else read from the evidence; ``completed_from`` says
    which) and exactly one state at ``end``. A task with no status counts as done on its
    completion date, and as work in progress while its evidence has text."""
    out = tasks.copy()
    n = len(out)
    evidence = out["evidence"] if "evidence" in out else pd.Series([None] * n, index=out.index)
    deadlines = [resolve_deadline(t, plan_year) for t in out["deadline"]]
    readings = [read_status(s) for s in out["status"]]
    evidence_on = [evidence_date(e) for e in evidence]
    completions = [_completion(d, r or NOTHING_WRITTEN, _day(c), e) for d, r, c, e in
                   zip(deadlines, readings, out["completed_on"], evidence_on, strict=True)]
    worked = [isinstance(e, str) and bool(e.strip()) for e in evidence]
    out["deadline_on"] = [d.on for d in deadlines]
    out["deadline_kind"] = [d.kind for d in deadlines]
    out["progress"] = [r.progress if r else None for r in readings]
    out["timing"] = [r.timing if r else None for r in readings]
    out["status_known"] = [r is not None for r in readings]
    out["evidence_on"] = evidence_on
    out["completed_on"] = pd.to_datetime(pd.Series([c for c, _ in completions], index=out.index,
                                                   dtype="object"))
    out["completed_from"] = [src for _, src in completions]
    out["state"] = [_state(d, r or NOTHING_WRITTEN, c, w, end) for d, r, (c, _), w in
                    zip(deadlines, readings, completions, worked, strict=True)]
    out["due"] = [d.on is not None and d.on <= end for d in deadlines]
    return out


def _place(task: pd.Series) -> dict[str, object]:
    def get(key: str) -> object:
        value = task.get(key)
        return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value

    row = get("_row")
    return {"file": get("_file") or "", "sheet": get("_sheet") or None,
            "row": None if row is None else int(row)}  # type: ignore[arg-type]


def _where_completed(task: pd.Series) -> tuple[str, str, str]:
    """Column, field and the words that say where a completion date was read."""
    if task["completed_from"] == "evidence":
        return "Kết quả, văn bản", "evidence", " (ngày của văn bản ở cột “Kết quả, văn bản”)"
    return "Ngày hoàn thành", "completed_on", ""


def _task_messages(t: pd.Series, end: date) -> list[tuple[str, str, str]]:
    """(column, field, message) of each warning about one task of ``task_states``."""
    out = []
    tid, status, on = t["task_id"], t["status"], t["deadline_on"]
    comp = _day(t["completed_on"])
    if not t["status_known"]:
        out.append(("Tiến độ", "status", f"nhiệm vụ {tid}: tiến độ “{status}” không có trong "
                    "bảng từ ngữ tiến độ; nhiệm vụ được xét như chưa ghi tiến độ"))
    if comp is not None:
        column, fld, src = _where_completed(t)
        if comp > end:
            out.append((column, fld, f"nhiệm vụ {tid}: ngày hoàn thành {comp:%d/%m/%Y}{src} "
                        f"sau ngày cuối thời gian lấy số liệu của kỳ ({end:%d/%m/%Y}); "
                        "nhiệm vụ chưa được tính là hoàn thành trong kỳ"))
        if on is not None and t["timing"] == ON_TIME and t["progress"] == DONE and comp > on:
            out.append(("Tiến độ", "status", f"nhiệm vụ {tid}: tiến độ ghi “{status}” nhưng ngày "
                        f"hoàn thành {comp:%d/%m/%Y}{src} sau hạn {on:%d/%m/%Y}; "
                        "nhiệm vụ được tính là hoàn thành trễ hạn"))
        if on is not None and t["timing"] == LATE and t["progress"] == DONE and comp <= on:
            out.append(("Tiến độ", "status", f"nhiệm vụ {tid}: tiến độ ghi “{status}” nhưng ngày "
                        f"hoàn thành {comp:%d/%m/%Y}{src} không sau hạn {on:%d/%m/%Y}"))
    ev = t["evidence_on"]
    if ev is not None and t["progress"] in (ONGOING, NOT_STARTED):
        if on is not None and ev <= on <= end:
            out.append(("Tiến độ", "status", f"nhiệm vụ {tid}: tiến độ ghi “{status}” nhưng cột "
                        f"“Kết quả, văn bản” dẫn văn bản ngày {ev:%d/%m/%Y}, không sau hạn "
                        f"{on:%d/%m/%Y}; nếu văn bản đó là kết quả của nhiệm vụ, hãy ghi tiến "
                        "độ “Hoàn thành” (nếu không, nhiệm vụ được tính là quá hạn)"))
        elif t["progress"] == NOT_STARTED and ev <= end:
            out.append(("Tiến độ", "status", f"nhiệm vụ {tid}: tiến độ ghi “{status}” nhưng cột "
                        f"“Kết quả, văn bản” dẫn văn bản ngày {ev:%d/%m/%Y}"))
    return out


def task_warnings(states: pd.DataFrame, end: date) -> list[dict[str, object]]:
    """Warnings about the tasks of ``task_states``: a completion date after the window's
    end, a written status its own dates contradict, a status outside the vocabulary. Each
    is an issue of the ingest metadata's shape, at the task's file, sheet and row."""
    issues = []
    for _, t in states.iterrows():
        for column, fld, message in _task_messages(t, end):
            issues.append({**_place(t), "column": column, "field": fld, "severity": "warning",
                           "message": message})
    return issues


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

"""Reporting periods: ids, data windows under the two cut-off rules, labels, deadlines.

A period id names *which months* are reported on; the agency's cut-off rule decides *which
days* that means. Under ``calendar`` the window is the calendar months; under ``decree09``
(Nghị định 09/2019/NĐ-CP) it runs from the 15th of the month before the first month to the
14th of the last month.
"""

from __future__ import annotations

import calendar as _cal
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ..params import RULES, Rule, UsageError

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YTD = re.compile(r"^(\d{4})-(\d{1,2})M$")
_HALF = re.compile(r"^(\d{4})-H1$")
_FY = re.compile(r"^(\d{4})-FY$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(UsageError):
    """A period id that does not follow the spec."""


@dataclass(frozen=True)
class Window:
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


@dataclass(frozen=True)
class Period:
    """A reporting period: ``kind`` is quarter, ytd (first n months) or month."""

    year: int
    kind: Literal["quarter", "ytd", "month"]
    first_month: int
    last_month: int

    @property
    def id(self) -> str:
        if self.kind == "quarter":
            return f"{self.year}-Q{self.last_month // 3}"
        if self.kind == "month":
            return f"{self.year}-{self.last_month:02d}"
        if self.last_month == 6:
            return f"{self.year}-H1"
        if self.last_month == 12:
            return f"{self.year}-FY"
        return f"{self.year}-{self.last_month}M"

    def __str__(self) -> str:
        return self.id

    @property
    def label(self) -> str:
        """The label reports use: "Quý III/2019", "9 tháng đầu năm 2019", "Năm 2019"."""
        if self.kind == "quarter":
            return f"Quý {ROMAN[self.last_month // 3]}/{self.year}"
        if self.kind == "month":
            return f"Tháng {self.last_month:02d}/{self.year}"
        if self.last_month == 12:
            return f"Năm {self.year}"
        return f"{self.last_month} tháng đầu năm {self.year}"

    def window(self, rule: Rule = "calendar") -> Window:
        if rule == "calendar":
            last_day = _cal.monthrange(self.year, self.last_month)[1]
            return Window(date(self.year, self.first_month, 1),
                          date(self.year, self.last_month, last_day))
        if rule == "decree09":
            y, m = (self.year - 1, 12) if self.first_month == 1 else (self.year, self.first_month - 1)
            return Window(date(y, m, 15), date(self.year, self.last_month, 14))
        raise PeriodError(f"quy tắc chốt số liệu “{rule}” không hợp lệ; dùng: {', '.join(RULES)}")

    @property
    def comparable(self) -> Period:
        """The same period one year earlier."""
        return Period(self.year - 1, self.kind, self.first_month, self.last_month)

    def years_needed(self, rule: Rule) -> list[int]:
        """The plan years a report of this period reads: from the comparable window's
        first year to the period's year (dossiers still open then are carried over)."""
        return list(range(self.comparable.window(rule).start.year, self.year + 1))

    @property
    def cycle_key(self) -> str | None:
        """Key into deadline tables: Q1, H1, 9M, FY (the periodic reports of a plan)."""
        if self.last_month == 3 and self.kind in ("quarter", "ytd"):
            return "Q1"  # quý I: 2019-Q1 and 2019-3M are the same months
        if self.kind == "ytd" and self.last_month in (6, 9, 12):
            return {6: "H1", 9: "9M", 12: "FY"}[self.last_month]
        return None


def parse_period(text: str) -> Period:
    """Parse a period id of the spec; ``2019-6M`` and ``2019-H1`` are the same period."""
    s = str(text).strip().upper()
    if m := _QUARTER.match(s):
        q = int(m[2])
        return Period(int(m[1]), "quarter", 3 * q - 2, 3 * q)
    if m := _HALF.match(s):
        return Period(int(m[1]), "ytd", 1, 6)
    if m := _FY.match(s):
        return Period(int(m[1]), "ytd", 1, 12)
    if m := _YTD.match(s):
        n = int(m[2])
        if 1 <= n <= 12:
            return Period(int(m[1]), "ytd", 1, n)
    if m := _MONTH.match(s):
        n = int(m[2])
        if 1 <= n <= 12:
            return Period(int(m[1]), "month", n, n)
    raise PeriodError(
        f"kỳ “{text}” không hợp lệ: dùng YYYY-Qn (quý), YYYY-H1 (6 tháng), YYYY-nM (n tháng "
        "đầu năm, n = 1..12), YYYY-FY (năm) hoặc YYYY-MM (một tháng), vd. 2019-9M"
    )


REPORTING_CYCLE = ("Q1", "H1", "9M", "FY")


def cycle_period(year: int, key: str) -> Period:
    return parse_period({"Q1": f"{year}-Q1", "H1": f"{year}-H1", "9M": f"{year}-9M",
                         "FY": f"{year}-FY"}[key])


def previous_period(today: date, rule: Rule) -> Period:
    """The periodic report (quý I, 6 tháng, 9 tháng, năm) whose window closed last before
    ``today``: run on 16/09/2019 under ``decree09`` this is 2019-9M."""
    candidates = [cycle_period(y, k) for y in (today.year - 1, today.year, today.year + 1)
                  for k in REPORTING_CYCLE]
    closed = [p for p in candidates if p.window(rule).end < today]
    return max(closed, key=lambda p: p.window(rule).end)


def deadline(period: Period, style: dict[str, str] | None) -> date | None:
    """Submission deadline from a ``params/periods.yml`` style such as {"9M": "12/09"}."""
    if not style or period.cycle_key is None or period.cycle_key not in style:
        return None
    day, month = (int(x) for x in str(style[period.cycle_key]).split("/"))
    return date(period.year, month, day)


def days(window: Window) -> list[date]:
    n = (window.end - window.start).days + 1
    return [window.start + timedelta(days=i) for i in range(n)]

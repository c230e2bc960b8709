"""Which period a run reports, and when reports fall due.

``previous`` is the periodic report (quý I, 6 tháng, 9 tháng, năm) that has just closed
under an agency's own cut-off rule; the deadlines come from ``params/periods.yml``.
"""

from __future__ import annotations

import os
from datetime import date

from ..indicators.periods import PeriodError, deadline, parse_period, previous_period
from ..params import Params

YEAR_PERIODS = ("Q1", "Q2", "Q3", "Q4", "H1", "9M", "FY")


def today() -> date:
    """Today, or ``CCHC_TODAY`` (yyyy-mm-dd) to run "previous" as of another day."""
    text = os.environ.get("CCHC_TODAY")
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"CCHC_TODAY “{text}” không phải ngày dạng yyyy-mm-dd") from None


def resolve(period: str, params: Params, agencies: list[str]) -> list[tuple[str, list[str]]]:
    """(period id, agencies) groups for a period from the command line: an id of the spec
    gives one group; ``previous`` gives each agency the periodic report that has just
    closed under its own cut-off rule, agencies of the same period together, oldest
    period first. On 16/09/2019 a ``decree09`` agency's is 2019-9M (its window closed on
    14/09), a ``calendar`` agency's 2019-H1 (30/06): one unattended run does both."""
    if period != "previous":
        return [(parse_period(period).id, list(agencies))]
    on = today()
    found: dict[str, list[str]] = {}
    for a in agencies:
        found.setdefault(previous_period(on, params.agency(a).rule).id, []).append(a)
    return sorted(found.items(), key=lambda kv: _order(kv[0]))


def _order(pid: str) -> tuple[int, int]:
    p = parse_period(pid)
    return p.year, p.last_month


def calendar(params: Params, year: int) -> list[tuple[str, str, list[tuple[str, str, date,
                                                                         date, date | None]]]]:
    """Per agency (id, rule, rows of (period id, label, window start, end, deadline))."""
    out = []
    for a in params.agencies.values():
        rows = []
        for key in YEAR_PERIODS:
            p = parse_period(f"{year}-{key}")
            w = p.window(a.rule)
            rows.append((p.id, p.label, w.start, w.end, deadline(p, params.deadline_style(a))))
        out.append((a.id, f"{a.id} ({a.short_name}) — quy tắc {a.rule}", rows))
    return out

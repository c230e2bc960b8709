"""An agency across periods: the catalogue's trend codes period by period, as a table and
as one chart per code, from the reports' ``indicators.json``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..indicators import catalogue
from ..indicators.periods import PeriodError, parse_period
from . import vnformat as vn
from .markdown import Md, table

if TYPE_CHECKING:
    from . import charts

Series = list[tuple[str, dict[str, Any]]]  # (period id, indicators.json), oldest first


def is_period(name: str) -> bool:
    try:
        parse_period(name)
        return True
    except PeriodError:
        return False


def period_key(pid: str) -> tuple[int, int, int]:
    """Periods in the order a reader expects: by year, then last month, year-to-date first."""
    p = parse_period(pid)
    return (p.year, p.last_month, {"ytd": 0, "quarter": 1, "month": 2}[p.kind])


def period_label(pid: str) -> str:
    return parse_period(pid).label


def cell(code: str, item: dict[str, Any] | None) -> str:
    """A value with its verdict in words when it has a target."""
    if item is None:
        return "–"
    text = vn.indicator(code, item["value"])
    if item["met"] is False:
        return f"{text} ✗ **Không đạt** ({vn.target(code, item['target'])})"
    if item["met"] is True:
        return f"{text} ✓ Đạt"
    return text


def trend_table(series: Series, link: str = "../{period}/{agency}/report.html") -> Md:
    codes = catalogue.trend()
    rows = [[f"[{period_label(p)}]({link.format(period=p, agency=r['agency'])})",
             *[cell(c, r["indicators"].get(c)) for c, _ in codes]] for p, r in series]
    return table(rows, ["Kỳ", *[title for _, title in codes]])


def trend_charts(series: Series) -> list[tuple[str, charts.Chart]]:
    """(code, chart) for every trend code with at least one value (matplotlib is
    imported here, not with the table: publishing draws charts only when they change)."""
    from . import charts

    out = []
    for code, title in catalogue.trend():
        pts = [(period_label(p), r["indicators"].get(code, {}).get("value")) for p, r in series]
        if not any(v is not None for _, v in pts):
            continue
        target = series[-1][1]["indicators"].get(code, {}).get("target")
        out.append((code, charts.trend(pts, title, target)))
    return out

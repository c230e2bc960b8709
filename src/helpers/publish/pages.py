"""The site's own pages as Markdown: a period's page, the home page, an agency's trends.

The home page shows the latest complete period (a run of a few agencies does not replace
it) and says when a newer period is still being made; nothing on a page tells the time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..present.markdown import escape
from ..text import fold
from .sources import attr, front_matter, overview_markdown, relink

if TYPE_CHECKING:
    from .inputs import Inputs, Period


def _count(p: Period) -> str:
    n, total = len(p.reports), len(p.declared | set(p.reports))
    return f"{n} cơ quan" if p.complete else f"{n}/{total} cơ quan, chưa đủ"


def period_page(p: Period, folder: Path) -> tuple[str, str]:
    """(title, Markdown) of a period's page: the overview (its charts written into
    ``folder``, beside the page), then every report."""
    body = [overview_markdown(p.reports[next(iter(p.reports))].dir.parent, folder), ""]
    if not p.complete:
        body += [f"_Kỳ này mới có báo cáo của {_count(p)}; trang chủ vẫn hiển thị kỳ gần "
                 "nhất đã đủ các cơ quan._", ""]
    body += ["## Báo cáo của từng cơ quan", ""]
    for r in sorted(p.reports.values(), key=lambda r: fold(r.name)):
        a = r.agency
        mark = f" · **{r.stale}**" if r.stale else ""
        body.append(f"- [{escape(r.name)}]({a}/report.html) · [PDF]({a}/report.pdf) · "
                    f"[Word]({a}/report.docx) · [Excel]({a}/tables.xlsx){mark}")
    title = f"Kết quả CCHC {p.label}"
    return title, front_matter(title) + "\n".join(body) + "\n"


def home_page(inputs: Inputs, work: Path) -> tuple[str, str]:
    """(title, Markdown) of the home page; the overview's charts are the latest period
    page's (``work/<period>/``)."""
    latest = inputs.latest()
    lines = [f"Kỳ báo cáo mới nhất: **{latest.label}** ({_count(latest)})."]
    newer = [p for p in inputs.periods if inputs.periods.index(p) > inputs.periods.index(latest)]
    for p in newer:
        lines.append(f"Kỳ **{p.label}** đang được lập: [đã có {_count(p)}]({p.id}/index.html).")
    lines += ["", f"## Tổng hợp {latest.label}", "",
              relink(overview_markdown(inputs.out / latest.id, work / latest.id),
                     f"{latest.id}/"), "",
              "## Các kỳ báo cáo", ""]
    lines += [f"- [{p.label}]({p.id}/index.html): {_count(p)}" for p in reversed(inputs.periods)]
    lines += ["", "## Diễn biến theo cơ quan", ""]
    lines += [f"- [{escape(name)}](agencies/{a}.html)"
              for a, name in sorted(inputs.names().items(), key=lambda kv: fold(kv[1]))]
    title = "Báo cáo cải cách hành chính"
    return title, front_matter(title) + "\n".join(lines) + "\n"


def trend_series(inputs: Inputs, agency: str) -> list[tuple[str, dict[str, Any]]]:
    """(period, the trend codes of its indicators.json), oldest first: what the trend
    page shows, and all it depends on."""
    from ..indicators import catalogue

    codes = [c for c, _ in catalogue.trend()]
    out = []
    for p in inputs.periods:
        r = p.reports.get(agency)
        if r is not None:
            ind = r.data.get("indicators", {})
            out.append((p.id, {"agency": agency, "indicators": {
                c: {k: ind[c].get(k) for k in ("value", "target", "met")}
                for c in codes if c in ind}}))
    return out


def trend_page(name: str, series: list[tuple[str, dict[str, Any]]], work: Path
               ) -> tuple[str, str]:
    """(title, Markdown) of an agency's trend page; charts (written beside it) only when
    there are two periods or more: one point is not a trend."""
    from ..present.trends import trend_charts, trend_table

    stem = work.stem
    body = ["## Diễn biến qua các kỳ", "", trend_table(series), ""]
    for old in work.parent.glob(f"{stem}-*.png"):
        old.unlink()
    if len(series) >= 2:
        for code, chart in trend_charts(series):
            path = work.parent / f"{stem}-{code.replace('.', '-')}.png"
            path.write_bytes(chart.png())
            body += [f"![]({path.name}){{fig-alt=\"{attr(chart.alt)}\"}}", ""]
    else:
        body += ["_Biểu đồ diễn biến có khi cơ quan có báo cáo của từ hai kỳ trở lên._", ""]
    return name, front_matter(escape(name), "Diễn biến qua các kỳ báo cáo") + "\n".join(body)

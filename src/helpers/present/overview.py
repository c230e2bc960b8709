"""The provincial overview: the agencies of a period side by side.

Reads the agencies' ``indicators.json`` (never recomputes), so it shows exactly what the
agency reports show. Missed targets are marked in words, not only colour.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..atomic import write_bytes_atomic
from ..indicators import catalogue
from ..indicators.score import score
from . import charts
from . import vnformat as vn
from .markdown import Md, escape, table
from .tables import verdict

COLUMNS = ("rate.on_time", "rate.online_dossiers", "rate.online_procedures",
           "rate.satisfaction", "rate.digitized", "rate.tasks_done")
Reports = dict[str, dict[str, Any]]


def load_reports(out: str | Path, period: str, agencies: list[str]) -> Reports:
    """The ``indicators.json`` of each agency that has one for the period."""
    found = {}
    for aid in agencies:
        path = Path(out) / period / aid / "indicators.json"
        if path.is_file():
            found[aid] = json.loads(path.read_text(encoding="utf-8"))
    return found


def ranked(reports: Reports, config: dict[str, Any]) -> list[tuple[str, float | None, list]]:
    rows = [(aid, *score(r["indicators"], config)) for aid, r in reports.items()]
    return sorted(rows, key=lambda t: (t[1] is None, -(t[1] or 0), t[0]))


def ranking(reports: Reports, config: dict[str, Any], names: dict[str, str]) -> Md:
    rows = []
    for rank, (aid, s, detail) in enumerate(ranked(reports, config), start=1):
        groups = "; ".join(f"{escape(d['group'])}: {vn.percent(d['value'], 1)}" for d in detail)
        rows.append([str(rank), f"[{escape(names.get(aid, aid))}]({aid}/report.html)",
                     vn.number(s, 2) if s is not None else "–", groups])
    note = "_" + escape(config.get("label", "Điểm tổng hợp")) + "_"
    return Md(table(rows, ["Hạng", "Cơ quan", "Điểm", "Theo nhóm"], ["r", "l", "r", "l"])
              + "\n\n" + note)


def headline(reports: Reports, names: dict[str, str]) -> Md:
    rows = []
    for aid, r in sorted(reports.items()):
        cells = []
        for c in COLUMNS:
            i = r["indicators"].get(c)
            if i is None:
                cells.append("–")
                continue
            mark = (f" {verdict(i['met'])} (chỉ tiêu {vn.target(c, i['target'])})"
                    if i["met"] is not None else "")
            cells.append(vn.indicator(c, i["value"]) + mark)
        rows.append([escape(names.get(aid, aid)), *cells])
    return Md(table(rows, ["Cơ quan", *[catalogue.label(c) for c in COLUMNS]])
              + "\n\nChỉ tiêu chưa đạt được ghi bằng chữ “Không đạt” kèm chỉ tiêu, không chỉ "
                "bằng màu.")


def chart_on_time(reports: Reports, names: dict[str, str], target: float | None
                  ) -> charts.Chart | Md:
    pts = sorted(((names.get(a, a), r["indicators"].get("rate.on_time", {}).get("value"))
                  for a, r in reports.items()), key=lambda p: (p[1] is None, p[1] or 0, p[0]))
    pts = [(n, v) for n, v in pts if v is not None][:charts.MAX_BARS]
    if not pts:
        return Md("_Không có cơ quan nào có hồ sơ được giải quyết trong kỳ._")
    return charts.rate_bars([n for n, _ in pts], [v for _, v in pts], target,
                            "Tỷ lệ giải quyết đúng hạn và trước hạn",
                            "Tỷ lệ giải quyết đúng hạn theo cơ quan", "cơ quan")


def missing(agencies: list[str], reports: Reports, status: dict[str, str],
            names: dict[str, str]) -> Md:
    gone = [a for a in agencies if a not in reports]
    if not gone:
        return Md("Tất cả cơ quan đã có báo cáo.")
    return Md("\n".join(f"- {escape(names.get(a, a))}: {escape(status.get(a, 'chưa chạy'))}"
                        for a in gone))


def run_status(out: str | Path, period: str) -> dict[str, str]:
    """Each agency's status in the period's run manifest, in words."""
    path = Path(out) / period / "manifest.json"
    if not path.is_file():
        return {}
    words = {"ok": "đã có báo cáo", "failed": "lỗi khi lập báo cáo",
             "input_error": "lỗi dữ liệu đầu vào", "no_data": "không có dữ liệu trong kỳ"}
    m = json.loads(path.read_text(encoding="utf-8"))
    return {a: words.get(v.get("status"), str(v.get("status")))
            for a, v in (m.get("agencies") or {}).items()}


def write(out: str | Path, period: str, reports: Reports, config: dict[str, Any]) -> None:
    """``overview.json`` beside the period's reports (quiet: prints nothing)."""
    data = {"period": period, "ranking": [{"agency": a, "score": s, "groups": d}
                                          for a, s, d in ranked(reports, config)]}
    write_bytes_atomic(Path(out) / period / "overview.json",
                       (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))

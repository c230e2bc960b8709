"""The provincial overview: every agency of a period side by side, ranked by the score.

Reads the agencies' ``indicators.json`` (never recomputes), so it shows exactly what the
agency reports show. Missed targets are marked in words, not only colour.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import charts, md
from . import vnformat as vn
from .atomic import write_json_atomic
from .config import Params, load_params
from .periods import Period, parse_period
from .report import LABELS, Md
from .score import score

COLUMNS = ("rate.on_time", "rate.online_dossiers", "rate.online_procedures",
           "rate.satisfaction", "rate.digitized", "rate.tasks_done")


@dataclass
class Overview:
    period: Period
    params: Params
    reports: dict[str, dict[str, Any]]  # agency id → indicators.json
    out: Path

    def heading(self) -> Md:
        return Md(f"# Tổng hợp kết quả CCHC các cơ quan – {self.period.label}\n\n"
                  f"{len(self.reports)}/{len(self.params.agencies)} cơ quan có báo cáo trong kỳ.")

    def ranked(self) -> list[tuple[str, float | None, list[dict[str, Any]]]]:
        rows = [(aid, *score(r["indicators"], self.params.score)) for aid, r in
                self.reports.items()]
        return sorted(rows, key=lambda t: (t[1] is None, -(t[1] or 0), t[0]))

    def ranking_table(self) -> Md:
        rows = []
        for rank, (aid, s, detail) in enumerate(self.ranked(), start=1):
            a = self.params.agencies[aid]
            groups = "; ".join(f"{d['group']}: {vn.percent(d['value'], 1)}" for d in detail)
            rows.append([str(rank), f"[{md.escape(a.short_name)}]({aid}/report.html)",
                         vn.number(s, 2) if s is not None else "–", groups])
        return Md(md.table(rows, ["Hạng", "Cơ quan", "Điểm", "Theo nhóm"], ["r", "l", "r", "l"]))

    def score_note(self) -> Md:
        return Md("_" + md.escape(self.params.score.get("label", "Điểm tổng hợp")) + "_")

    def headline_table(self) -> Md:
        rows = []
        for aid, r in sorted(self.reports.items()):
            a = self.params.agencies[aid]
            cells = []
            for c in COLUMNS:
                i = r["indicators"].get(c)
                if i is None:
                    cells.append("–")
                    continue
                mark = {True: " ✓ đạt",
                        False: f" ✗ **chưa đạt** (chỉ tiêu {vn.target(c, i['target'])})",
                        None: ""}[i["met"]]
                cells.append(vn.indicator(c, i["value"]) + mark)
            rows.append([md.escape(a.short_name), *cells])
        return Md(md.table(rows, ["Cơ quan", *[LABELS[c] for c in COLUMNS]])
                  + "\n\nChỉ tiêu chưa đạt được ghi bằng chữ “chưa đạt” kèm chỉ tiêu, không chỉ "
                    "bằng màu.")

    def chart_on_time(self) -> Md:
        pts = [(self.params.agencies[a].short_name, r["indicators"].get("rate.on_time", {})
                .get("value")) for a, r in sorted(self.reports.items())]
        if not pts:
            return Md("")
        fig_rows = pd.DataFrame({"field": [p for p, _ in pts],
                                 "resolved_total": [1 for _ in pts],
                                 "resolved_early": [v or 0 for _, v in pts],
                                 "resolved_on_time": [0 for _ in pts]})
        chart = charts.on_time_by_field(fig_rows, self.params.targets_for("", self.period.year)
                                        .get("rate.on_time"), what="cơ quan")
        if chart is None:
            return Md("")
        return Md(md.image(md.figure_png(chart.figure), chart.alt, chart.title))

    def missing(self) -> Md:
        status = self._status()
        gone = [a for a in self.params.agencies if a not in self.reports]
        if not gone:
            return Md("Tất cả cơ quan đã có báo cáo.")
        return Md("\n".join(f"- {md.escape(self.params.agencies[a].short_name)}: "
                            f"{md.escape(status.get(a, 'chưa chạy'))}" for a in gone))

    def _status(self) -> dict[str, str]:
        path = self.out / self.period.id / "manifest.json"
        if not path.is_file():
            return {}
        m = json.loads(path.read_text(encoding="utf-8"))
        return {a: f"{v.get('status')}: {v.get('error') or ''}".strip(": ")
                for a, v in (m.get("agencies") or {}).items()}

    def save(self) -> Md:
        data = {"period": self.period.id, "ranking": [
            {"agency": a, "score": s, "groups": d} for a, s, d in self.ranked()]}
        write_json_atomic(self.out / self.period.id / "overview.json", data)
        return Md("Đã ghi `overview.json`.")


def load_reports(out: Path, period: Period, params: Params) -> dict[str, dict[str, Any]]:
    found = {}
    for aid in params.agencies:
        path = out / period.id / aid / "indicators.json"
        if path.is_file():
            found[aid] = json.loads(path.read_text(encoding="utf-8"))
    return found


def build(period: str, params_dir: str | Path = "../params", out_dir: str | Path = "../reports"
          ) -> Overview:
    params = load_params(params_dir)
    p = parse_period(period)
    out = Path(out_dir)
    return Overview(p, params, load_reports(out, p, params), out)

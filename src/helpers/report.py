"""One agency's report for one period: the object the notebook talks to.

``build`` ingests (skipped when the inputs are unchanged), loads the agency's part of the
store, computes the indicators, and returns an ``AgencyReport`` whose methods give the
report's sections as Markdown — so each notebook cell is one short call that reads like
the section it produces — and ``save`` writes ``indicators.json``, ``tables.xlsx``, CSVs and
``quality.xlsx``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from . import charts, export, md
from . import vnformat as vn
from .atomic import write_json_atomic
from .config import Agency, Params, load_params
from .dossiers import FLOW_CODES, FLOW_LABELS
from .indicators import AgencyData, compute
from .periods import Period, Window, parse_period
from .quality import write_quality
from .store import ingest_for
from .tasks import STATE_LABELS, STATES, summary_by

LABELS: dict[str, str] = {
    "dossiers.received_total": "Tổng số hồ sơ tiếp nhận",
    "dossiers.resolved_total": "Số hồ sơ đã giải quyết",
    "dossiers.resolved_late": "Số hồ sơ giải quyết quá hạn",
    "dossiers.pending_total": "Số hồ sơ đang giải quyết",
    "dossiers.pending_overdue": "Số hồ sơ đang giải quyết quá hạn",
    "dossiers.withdrawn": "Số hồ sơ rút, từ chối",
    "rate.on_time": "Tỷ lệ hồ sơ giải quyết đúng hạn",
    "rate.late_of_received": "Tỷ lệ hồ sơ trễ hạn trên tổng số tiếp nhận",
    "rate.apology": "Tỷ lệ hồ sơ trễ hạn có thư xin lỗi",
    "rate.online_dossiers": "Tỷ lệ hồ sơ nộp trực tuyến",
    "rate.postal_dossiers": "Tỷ lệ hồ sơ qua bưu chính công ích",
    "growth.postal": "Tăng trưởng hồ sơ qua bưu chính công ích",
    "rate.satisfaction": "Tỷ lệ hài lòng",
    "ratings.total": "Số lượt đánh giá",
    "rate.rating_coverage": "Tỷ lệ hồ sơ được đánh giá",
    "rate.feedback_on_time": "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn",
    "feedback.received": "Số phản ánh, kiến nghị tiếp nhận",
    "procedures.total": "Số TTHC trong danh mục",
    "procedures.online": "Số TTHC cung cấp trực tuyến",
    "rate.online_procedures": "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến",
    "growth.online_procedures": "Tăng trưởng số TTHC trực tuyến",
    "rate.published_procedures": "Tỷ lệ TTHC được công khai",
    "rate.digitized": "Tỷ lệ hồ sơ được số hóa",
    "rate.e_result": "Tỷ lệ hồ sơ trả kết quả điện tử",
    "rate.paid_online": "Tỷ lệ hồ sơ thanh toán trực tuyến",
    "tasks.total": "Số nhiệm vụ trong kế hoạch",
    "tasks.due": "Số nhiệm vụ đến hạn",
    "rate.tasks_done": "Tỷ lệ nhiệm vụ đến hạn đã hoàn thành",
    "tasks.overdue": "Số nhiệm vụ quá hạn",
    "budget.planned": "Kinh phí dự kiến",
    "budget.spent": "Kinh phí đã thực hiện",
    "rate.budget_spent": "Tỷ lệ giải ngân kinh phí",
}
HEADLINE = ("dossiers.received_total", "rate.on_time", "rate.late_of_received", "rate.apology",
            "rate.online_dossiers", "rate.online_procedures", "growth.online_procedures",
            "rate.satisfaction", "rate.feedback_on_time", "rate.digitized", "rate.e_result",
            "rate.tasks_done", "rate.budget_spent")


class ReportError(Exception):
    """A report that must not be produced; the message says why, in Vietnamese."""


class InputError(ReportError):
    pass


class NoDataError(ReportError):
    pass


class Md(str):
    """Markdown that JupyterLab renders and both publishing engines read as Markdown."""

    def _repr_markdown_(self) -> str:
        return str(self)


def label(code: str, indicators: dict[str, Any] | None = None) -> str:
    if code in LABELS:
        return LABELS[code]
    if indicators and "name" in indicators.get(code, {}):
        return str(indicators[code]["name"])
    if code.startswith("rate.satisfaction."):
        return "Tỷ lệ hài lòng qua kênh " + code.split(".", 2)[2].replace("_", " ")
    return code


def text_of(value: object) -> str:
    """A text cell, empty for missing values (None, NaN, pd.NA)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def met_text(met: bool | None) -> str:
    return {True: "Đạt", False: "**Chưa đạt**", None: "Chưa đặt chỉ tiêu"}[met]


def _resolve(base: Path, value: str | Path) -> Path:
    p = Path(value)
    return p if p.is_absolute() else (base / p)


@dataclass
class AgencyReport:
    agency: Agency
    period: Period
    params: Params
    result: dict[str, Any]
    frames: dict[str, pd.DataFrame]
    data: AgencyData
    ingest: dict[str, Any]
    out: Path
    data_dir: Path
    extra: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------ accessors
    @property
    def window(self) -> Window:
        return self.period.window(self.agency.rule)  # type: ignore[arg-type]

    @property
    def ind(self) -> dict[str, dict[str, Any]]:
        return self.result["indicators"]

    def value(self, code: str) -> Any:
        return self.ind.get(code, {}).get("value")

    def fmt(self, code: str) -> str:
        return vn.indicator(code, self.value(code))

    @property
    def comparable_label(self) -> str:
        return f"cùng kỳ năm {self.period.year - 1}"

    # ------------------------------------------------------------ sections
    def cover(self) -> Md:
        a, p, w = self.agency, self.period, self.window
        rule = ("Nghị định 09/2019/NĐ-CP (từ ngày 15 tháng trước đến ngày 14)"
                if a.rule == "decree09" else "theo tháng dương lịch")
        files = self.ingest["fingerprint"]["files"]
        rows = [[md.escape(f), f"`{h[:12]}`"] for f, h in sorted(files.items())]
        generated = datetime.fromisoformat(self.result["generated_at"]).astimezone()
        text = [
            f"# Báo cáo công tác cải cách hành chính {p.label}",
            f"**{md.escape(a.name)}**",
            "",
            f"- Kỳ báo cáo: **{p.label}** (mã kỳ `{p.id}`)",
            f"- Thời gian lấy số liệu: **từ {vn.day(w.start)} đến {vn.day(w.end)}** ({rule})",
            f"- Kỳ so sánh: {p.comparable.label}, từ "
            f"{vn.day(p.comparable.window(a.rule).start)} đến "  # type: ignore[arg-type]
            f"{vn.day(p.comparable.window(a.rule).end)}",  # type: ignore[arg-type]
            f"- Ngày lập: {generated:%d/%m/%Y %H:%M}",
        ]
        text += ["", "Nguồn số liệu (tệp và mã băm SHA-256):", "",
                 md.table(rows, ["Tệp", "SHA-256"], ["l", "l"])]
        return Md("\n".join(text))

    def summary(self) -> Md:
        """The narrative, drafted from the figures for the specialist to edit."""
        from .narrative import summary_paragraphs

        return Md("\n\n".join(summary_paragraphs(self)))

    def headline_table(self) -> Md:
        rows = []
        for code in HEADLINE:
            if code not in self.ind:
                continue
            i = self.ind[code]
            frac = (f" ({vn.integer(i['numerator'])}/{vn.integer(i['denominator'])})"
                    if i["denominator"] else "")
            target = vn.target(code, i["target"]) if i["target"] is not None else "–"
            comp = vn.indicator(code, i["comparable"]) if i["comparable"] is not None else "–"
            rows.append([label(code), vn.indicator(code, i["value"]) + frac, target,
                         met_text(i["met"]), comp])
        return Md(md.table(rows, ["Chỉ số", "Kết quả", "Chỉ tiêu", "Đánh giá",
                                  self.comparable_label.capitalize()],
                           ["l", "r", "r", "l", "r"]))

    def dossier_table(self) -> Md:
        flow = self.frames.get("dossier_flow")
        if flow is None:
            return Md("_Không có dữ liệu hồ sơ TTHC trong kỳ._")
        cols = ["carried_over", "new_online", "new_offline", "received_total",
                "resolved_early", "resolved_on_time", "resolved_late", "resolved_total",
                "pending_not_due", "pending_overdue", "pending_total"]
        short = ["Kỳ trước chuyển qua", "Mới, trực tuyến", "Mới, trực tiếp và BCCI",
                 "Tổng tiếp nhận", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng đã giải quyết",
                 "Chưa đến hạn", "Quá hạn ", "Tổng đang giải quyết"]
        rows = []
        for i, (_, r) in enumerate(flow.iterrows(), start=1):
            last = i == len(flow)
            name = "**Tổng cộng**" if last else md.escape(r["field"])
            rows.append(["" if last else str(i), name, *[vn.integer(r[c]) for c in cols]])
        w = self.window
        cap = (f"Tình hình, kết quả giải quyết TTHC từ {vn.day(w.start)} đến {vn.day(w.end)} "
               f"(đơn vị: hồ sơ; không gồm {vn.integer(int(flow.iloc[-1]['withdrawn']))} hồ sơ "
               "rút hoặc bị từ chối)")
        return Md(md.table(rows, ["STT", "Lĩnh vực", *short], ["r", "l"] + ["r"] * len(cols),
                           caption=cap))

    def _chart(self, chart: charts.Chart | None, missing: str) -> Md:
        if chart is None:
            return Md(f"_{missing}_")
        return Md(md.image(md.figure_png(chart.figure), chart.alt, chart.title))

    def chart_on_time(self) -> Md:
        flow = self.frames.get("dossier_flow")
        chart = charts.on_time_by_field(flow, self.ind.get("rate.on_time", {}).get("target")) \
            if flow is not None else None
        return self._chart(chart, "Không có hồ sơ được giải quyết trong kỳ.")

    def chart_channels(self) -> Md:
        flow = self.frames.get("dossier_flow")
        if flow is None:
            return self._chart(None, "Không có hồ sơ trong kỳ.")
        now = {k: int(flow.iloc[-1][k]) for k in FLOW_CODES}
        before = None
        comp = self.frames.get("comparable_dossier_flow")
        if comp is not None and comp.iloc[-1]["received_total"] > 0:
            before = {k: int(comp.iloc[-1][k]) for k in FLOW_CODES}
        return self._chart(charts.channels(now, before, self.period.label,
                                           self.period.comparable.label),
                           "Không có hồ sơ mới trong kỳ.")

    def unit_targets_table(self) -> Md:
        """Targets apportioned to the units (params/targets.yml → apportion)."""
        t = self.frames.get("targets_by_unit")
        specs = self.params.apportioned_targets(self.period.year)
        if t is None or not specs:
            return Md("_Không có chỉ tiêu phân bổ cho các đơn vị trong năm._")
        names = {u.code: u.name for u in self.agency.units}
        header = ["Đơn vị", "Số TTHC"]
        for spec in specs:
            header += [f"{spec['label']}: chỉ tiêu", "thực hiện", "đánh giá"]
        rows = []
        for _, r in t.iterrows():
            row = [md.escape(names.get(r["unit"], r["unit"])), vn.integer(r["procedures"])]
            for spec in specs:
                c = spec["code"]
                row += [vn.integer(r[f"{c}.required"]), vn.integer(r[f"{c}.actual"]),
                        met_text(bool(r[f"{c}.met"]))]
            rows.append(row)
        rule = "; ".join(f"{s['label']}: ít nhất {vn.target('rate.x', s['rate'])}"
                         + (" của chỉ tiêu trên" if s.get("of") else " số TTHC của đơn vị")
                         for s in specs)
        return Md(md.table(rows, header) + f"\n\nChỉ tiêu phân bổ ({rule}); phần dư giao cho "
                  "đơn vị có phần lẻ lớn nhất, tổng các đơn vị bằng đúng chỉ tiêu chung.")

    def _ratings_by_channel(self) -> list[tuple[str, int, int]]:
        from .spec import SATISFIED

        r = self.data.ratings
        if r.empty:
            return []
        w = self.window
        r = r[(r["rated_on"] >= pd.Timestamp(w.start)) & (r["rated_on"] <= pd.Timestamp(w.end))]
        return [(str(c), int(g["result"].isin(SATISFIED).sum()), len(g))
                for c, g in r.groupby("channel")]

    def satisfaction_table(self) -> Md:
        rows = [[md.escape(c), vn.integer(s), vn.integer(n), vn.percent(s / n if n else None)]
                for c, s, n in self._ratings_by_channel()]
        if not rows:
            return Md("Trong kỳ không có lượt đánh giá nào: tỷ lệ hài lòng "
                      f"**{vn.NOT_APPLICABLE}**.")
        i = self.ind["rate.satisfaction"]
        rows.append(["**Tổng cộng**", vn.integer(i["numerator"]), vn.integer(i["denominator"]),
                     f"**{vn.percent(i['value'])}**"])
        return Md(md.table(rows, ["Kênh đánh giá", "Hài lòng, rất hài lòng", "Lượt đánh giá",
                                  "Tỷ lệ"]))

    def chart_satisfaction(self) -> Md:
        target = self.ind.get("rate.satisfaction", {}).get("target")
        return self._chart(charts.satisfaction(self._ratings_by_channel(), target),
                           "Không có lượt đánh giá trong kỳ.")

    def feedback_text(self) -> Md:
        received = self.value("feedback.received") or 0
        due = self.ind.get("feedback.due", {}).get("value") or 0
        if received == 0 and due == 0:
            return Md("Trong kỳ báo cáo, cơ quan không tiếp nhận phản ánh, kiến nghị nào về quy "
                      "định hành chính: tỷ lệ xử lý đúng hạn **không phát sinh**.")
        i = self.ind["rate.feedback_on_time"]
        return Md(f"Trong kỳ tiếp nhận **{vn.integer(received)}** phản ánh, kiến nghị; "
                  f"{vn.integer(due)} phản ánh đến hạn xử lý trong kỳ, đã xử lý đúng hạn "
                  f"{vn.integer(i['numerator'])}, đạt **{vn.percent(i['value'])}**.")

    def online_text(self) -> Md:
        parts = []
        if "rate.online_procedures" in self.ind:
            i = self.ind["rate.online_procedures"]
            g = self.ind.get("growth.online_procedures", {})
            parts.append(
                f"Cung cấp dịch vụ công trực tuyến (toàn trình hoặc một phần) cho "
                f"**{vn.integer(i['numerator'])}/{vn.integer(i['denominator'])}** TTHC, đạt "
                f"**{vn.percent(i['value'])}**"
                + (f", {'tăng' if (g.get('value') or 0) >= 0 else 'giảm'} "
                   f"{vn.growth(g['value']).lstrip('+-')} so với {self.comparable_label} "
                   f"({vn.integer(g['denominator'])} TTHC)" if g.get("value") is not None else "")
                + ".")
        for code in ("rate.online_dossiers", "rate.postal_dossiers", "rate.paid_online",
                     "rate.digitized", "rate.e_result"):
            if code in self.ind:
                i = self.ind[code]
                parts.append(f"{label(code)}: **{vn.percent(i['value'])}** "
                             f"({vn.integer(i['numerator'])}/{vn.integer(i['denominator'])}).")
        return Md("\n".join(f"- {p}" for p in parts) if parts else "_Không có dữ liệu._")

    def tasks_summary(self) -> Md:
        states = self.frames.get("tasks")
        if states is None:
            return Md("_Không có phụ lục nhiệm vụ của kế hoạch năm._")
        table = summary_by(states, "group")
        rows = []
        for g, r in table.iterrows():
            rate = r["due_done"] / r["due"] if r["due"] else None
            rows.append([md.escape(g), *[vn.integer(r[s]) for s in STATES],
                         vn.integer(r["total"]), vn.percent(rate)])
        i = self.ind["rate.tasks_done"]
        rows.append(["**Tổng cộng**", *[vn.integer(self.value(f"tasks.{s}")) for s in STATES],
                     vn.integer(self.value("tasks.total")), f"**{vn.percent(i['value'])}**"])
        return Md(md.table(rows, ["Nhóm nhiệm vụ", *[STATE_LABELS[s] for s in STATES], "Tổng",
                                  "Tỷ lệ đến hạn đã xong"],
                           caption=f"Tiến độ nhiệm vụ tính đến {vn.day(self.window.end)}"))

    def tasks_by_lead(self) -> Md:
        states = self.frames.get("tasks")
        if states is None:
            return Md("")
        s = states.assign(lead=states["lead"].fillna("(không ghi)"))
        table = summary_by(s, "lead")
        rows = [[md.escape(g), vn.integer(r["total"]), vn.integer(r["done"] + r["done_late"]),
                 vn.integer(r["overdue"]), vn.percent(r["due_done"] / r["due"] if r["due"]
                                                      else None)]
                for g, r in table.iterrows()]
        return Md(md.table(rows, ["Đơn vị chủ trì", "Số nhiệm vụ", "Hoàn thành", "Quá hạn",
                                  "Tỷ lệ đến hạn đã xong"]))

    def chart_tasks(self) -> Md:
        states = self.frames.get("tasks")
        chart = charts.tasks_by_group(summary_by(states, "group")) if states is not None else None
        return self._chart(chart, "Không có nhiệm vụ.")

    def tasks_appendix(self) -> Md:
        """Every task in the seed report's shape: task, product, deadline, result, state."""
        states = self.frames.get("tasks")
        if states is None:
            return Md("_Không có phụ lục nhiệm vụ._")
        rows = []
        for _, t in states.iterrows():
            rows.append([md.escape(t["task_id"]), md.escape(t["task"]),
                         md.escape(text_of(t["product"])), md.escape(text_of(t["lead"])),
                         md.escape(text_of(t["deadline"]) or "(không ghi)"),
                         md.escape(text_of(t["evidence"])), STATE_LABELS[t["state"]]])
        return Md(md.table(rows, ["STT", "Nhiệm vụ", "Sản phẩm", "Chủ trì", "Thời gian hoàn thành",
                                  "Kết quả, văn bản", "Tiến độ"], ["l"] * 7))

    def budget_table(self) -> Md:
        b = self.frames.get("budget")
        if b is None:
            return Md("_Không có dự toán kinh phí cho năm của kỳ báo cáo._")
        rows = []
        for _, r in b.iterrows():
            total = r["area"] == "Tổng cộng"
            name = "**Tổng cộng**" if total else md.escape(r["area"])
            rate = r["spent_vnd"] / r["planned_vnd"] if r["planned_vnd"] else None
            rows.append([name, vn.integer(r["items"]), vn.money(r["planned_vnd"]),
                         vn.money(r["spent_vnd"]), vn.percent(rate)])
        return Md(md.table(rows, ["Nhiệm vụ chung", "Số nhiệm vụ", "Dự kiến kinh phí",
                                  "Đã thực hiện", "Tỷ lệ"]))

    def self_assessed_table(self) -> Md:
        rows = []
        for code, i in sorted(self.ind.items()):
            if not code.startswith(("self.", "rate.self.")):
                continue
            frac = (f" ({vn.number(i['numerator'], 0)}/{vn.number(i['denominator'], 0)})"
                    if i["denominator"] else "")
            value = vn.indicator(code, i["value"])
            target = "–" if i["target"] is None else vn.target(code, i["target"])
            rows.append([md.escape(i.get("name", code)), value + frac, target, met_text(i["met"])])
        if not rows:
            return Md("_Không có chỉ số tự đánh giá._")
        return Md(md.table(rows, ["Chỉ số tự đánh giá", "Kết quả", "Chỉ tiêu", "Đánh giá"]))

    def quality_section(self) -> Md:
        acc = self.ingest["accounting"]
        rows = [[md.escape(a["file"]), md.escape(a["sheet"] or "–"), a["table"],
                 vn.integer(a["rows_read"]), vn.integer(a["rows_accepted"]),
                 vn.integer(a["rows_rejected"])] for a in acc]
        warnings = [i for i in self.ingest["issues"] if i["severity"] == "warning"]
        text = [md.table(rows, ["Tệp", "Sheet", "Bảng", "Dòng đọc", "Dòng nhận", "Dòng loại"],
                         ["l", "l", "l", "r", "r", "r"])]
        dropped = self.ingest.get("personal_columns_dropped") or []
        if dropped:
            text.append(f"Các cột dữ liệu cá nhân đã được loại bỏ ngay khi đọc: "
                        f"{', '.join(md.escape(d) for d in dropped)}.")
        if warnings:
            text.append(f"{len(warnings)} cảnh báo khi đọc dữ liệu:")
            text.append("\n".join(f"- {md.escape(w['file'])}"
                                  + (f", dòng {w['row']}" if w["row"] else "")
                                  + f": {md.escape(w['message'])}" for w in warnings[:20]))
        else:
            text.append("Không có cảnh báo khi đọc dữ liệu.")
        return Md("\n\n".join(text))

    def downloads(self) -> Md:
        return Md("- [Bảng số liệu (Excel)](tables.xlsx)\n- [Chỉ số (JSON)](indicators.json)\n"
                  "- [Tình hình giải quyết TTHC (CSV)](dossier_flow.csv)\n"
                  "- [Chất lượng dữ liệu (Excel)](quality.xlsx)")

    # ------------------------------------------------------------ outputs
    @property
    def out_dir(self) -> Path:
        return self.out / self.period.id / self.agency.id

    def save(self) -> Md:
        """Write indicators.json, tables.xlsx, dossier_flow.csv and quality.xlsx."""
        d = self.out_dir
        d.mkdir(parents=True, exist_ok=True)
        write_json_atomic(d / "indicators.json", self.result)
        self._tables_xlsx(d / "tables.xlsx")
        flow = self.frames.get("dossier_flow")
        if flow is not None:
            csv = flow.rename(columns={"field": "Lĩnh vực", **FLOW_LABELS}).map(export.neutralise)
            from .atomic import write_bytes_atomic

            write_bytes_atomic(d / "dossier_flow.csv",
                               csv.to_csv(index=False).encode("utf-8-sig"))
        write_quality(d / "quality.xlsx", self.ingest)
        return Md(f"Đã ghi `indicators.json`, `tables.xlsx`, `dossier_flow.csv`, `quality.xlsx` "
                  f"({len(self.ind)} chỉ số).")

    def _tables_xlsx(self, path: Path) -> None:
        wb = export.new_workbook()
        ind = pd.DataFrame([
            {"code": c, "name": label(c, self.ind), "value": i["value"],
             "shown": vn.indicator(c, i["value"]), "numerator": i["numerator"],
             "denominator": i["denominator"], "target": i["target"],
             "met": {True: "Đạt", False: "Chưa đạt", None: ""}[i["met"]],
             "comparable": i["comparable"]} for c, i in self.ind.items()])
        export.add_sheet(wb, "Chỉ số", ind, ["Mã", "Chỉ số", "Giá trị", "Hiển thị", "Tử số",
                                              "Mẫu số", "Chỉ tiêu", "Đánh giá", "Cùng kỳ"],
                         heading=f"{self.agency.name} – {self.period.label}")
        flow = self.frames.get("dossier_flow")
        if flow is not None:
            export.add_sheet(wb, "Giải quyết TTHC", flow,
                             ["Lĩnh vực", *[FLOW_LABELS[c] for c in FLOW_CODES]],
                             heading=f"Tình hình, kết quả giải quyết TTHC – {self.period.label} "
                                     f"({vn.day(self.window.start)} – {vn.day(self.window.end)})")
        states = self.frames.get("tasks")
        if states is not None:
            t = states[["task_id", "group", "task", "product", "lead", "deadline",
                        "deadline_on", "status", "completed_on", "evidence"]].copy()
            t["state"] = states["state"].map(STATE_LABELS)
            export.add_sheet(wb, "Nhiệm vụ", t, ["STT", "Nhóm", "Nhiệm vụ", "Sản phẩm", "Chủ trì",
                                                 "Thời gian (văn bản)", "Hạn (ngày)", "Tiến độ",
                                                 "Ngày hoàn thành", "Kết quả, văn bản",
                                                 "Trạng thái tại cuối kỳ"])
        b = self.frames.get("budget")
        if b is not None:
            export.add_sheet(wb, "Kinh phí", b, ["Nhiệm vụ chung", "Số nhiệm vụ", "Dự kiến (đ)",
                                                 "Đã thực hiện (đ)"],
                             number_formats={"planned_vnd": "#,##0", "spent_vnd": "#,##0"})
        export.save(wb, path)


def build(agency: str, period: str, data_dir: str | Path = "../data",
          params_dir: str | Path = "../params", out_dir: str | Path = "../reports",
          store_dir: str | Path | None = None, base: Path | None = None) -> AgencyReport:
    """Ingest if needed, load and compute; raises ``InputError`` for inputs with errors
    and ``NoDataError`` when the agency has no data for the period."""
    base = base or Path.cwd()
    data_dir, params_dir, out = (_resolve(base, x) for x in (data_dir, params_dir, out_dir))
    store = _resolve(base, store_dir) if store_dir else out / "_store"
    params = load_params(params_dir)
    a = params.agency(agency)
    p = parse_period(period)
    meta = ingest_for(params, a, data_dir, store)
    if not meta["ok"]:
        errors = [i for i in meta["issues"] if i["severity"] == "error"]
        raise InputError(f"{a.id}: {len(errors)} lỗi dữ liệu đầu vào, không lập báo cáo từ một "
                         f"phần dữ liệu. Lỗi đầu tiên: {errors[0]['file']} dòng "
                         f"{errors[0]['row']}: {errors[0]['message']} (chạy `cchc check`)")
    data = AgencyData.load(store, a.id, [p.year - 2, p.year - 1, p.year])
    window = p.window(a.rule)  # type: ignore[arg-type]
    if not data.has_data(window, p.year):
        raise NoDataError(f"{a.id}: không có dữ liệu cho kỳ {p.label} "
                          f"({vn.day(window.start)}–{vn.day(window.end)})")
    result, frames = compute(data, p, a.rule, params.targets_for(a.id, p.year), a.id,
                             params.apportioned_targets(p.year))
    return AgencyReport(a, p, params, result, frames, data, meta, out, data_dir)

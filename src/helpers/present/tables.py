"""The report's tables as Markdown, each from the frame or figures a notebook holds.

A table's caption comes from its notebook cell (``#| tbl-cap:``), so the same function
serves the report and an analyst's own cell. Every text that came from a file is escaped;
labels and formats come from the indicator catalogue.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..indicators import catalogue, dossiers
from ..indicators.periods import Period
from ..indicators.tasks import STATE_LABELS, STATES, summary_by
from . import vnformat as vn
from .markdown import Md, escape, table

NO_DATA = "không có dữ liệu"
NO_COMPARABLE = "không có số liệu cùng kỳ"
VERDICTS = {True: "✓ Đạt", False: "✗ **Không đạt**", None: "—"}


def verdict(met: bool | None) -> str:
    """"✓ Đạt" / "✗ Không đạt" / "—" (no target): read by the mark and the word, not
    by colour, and never confused with each other."""
    return VERDICTS[met]


def verdict_cell(code: str, item: dict[str, Any]) -> str:
    """The "Đánh giá" cell of an indicator row: a verdict against its target, "—" for a
    rate without one, and nothing for a count or amount without one (a count is a fact,
    not a result to judge)."""
    if item["target"] is not None:
        return verdict(item["met"])
    return VERDICTS[None] if catalogue.kind(code) in ("rate", "growth") else ""


def text_of(value: object) -> str:
    """A text cell, empty for missing values (None, NaN, pd.NA)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _none(what: str) -> Md:
    return Md(f"_Không có dữ liệu {what}._")


def cover(name: str, period: Period, rule: str) -> Md:
    """Title, agency name, period, the data window and the cut-off rule it follows."""
    w, cw = period.window(rule), period.comparable.window(rule)  # type: ignore[arg-type]
    rule_text = ("theo Nghị định 09/2019/NĐ-CP: từ ngày 15 tháng trước kỳ đến ngày 14 tháng "
                 "cuối kỳ" if rule == "decree09" else "theo tháng dương lịch")
    return Md("\n".join([
        f"# Báo cáo công tác cải cách hành chính {period.label}",
        f"**{escape(name)}**",
        "",
        f"- Kỳ báo cáo: **{period.label}**",
        f"- Thời gian lấy số liệu: **từ {vn.day(w.start)} đến {vn.day(w.end)}** ({rule_text})",
        f"- Kỳ so sánh: {period.comparable.label}, từ {vn.day(cw.start)} đến {vn.day(cw.end)}",
    ]))


def headline(indicators: dict[str, dict[str, Any]], period: Period) -> Md:
    """The catalogue's headline codes: result (with its fraction), target, verdict and the
    comparable period's value."""
    rows = []
    for code in catalogue.headline():
        if code not in indicators:
            continue
        i = indicators[code]
        frac = (f" ({vn.integer(i['numerator'])}/{vn.integer(i['denominator'])})"
                if i["denominator"] else "")
        comp = vn.indicator(code, i["comparable"]) if i["comparable"] is not None \
            else NO_COMPARABLE
        missing = i["value"] is None and i["denominator"] is None
        if missing and code.startswith("growth."):  # nothing to grow from
            shown = NO_COMPARABLE
        elif missing and i["numerator"] is None and code.startswith("rate."):
            shown = NO_DATA
        else:
            shown = vn.indicator(code, i["value"]) + frac
        rows.append([catalogue.label(code), shown, vn.target(code, i["target"]),
                     verdict_cell(code, i), comp])
    if not rows:
        return _none("cho các chỉ số chính")
    return table(rows, ["Chỉ số", "Kết quả", "Chỉ tiêu", "Đánh giá",
                        f"Cùng kỳ năm {period.year - 1}"], ["l", "r", "r", "l", "r"])


FLOW_COLUMNS = ("carried_over", "new_online", "new_offline", "received_total",
                "resolved_early", "resolved_on_time", "resolved_late", "resolved_total",
                "pending_not_due", "pending_overdue", "pending_total")
FLOW_HEADS = ("Kỳ trước chuyển qua", "Mới, trực tuyến", "Mới, trực tiếp và BCCI",
              "Tổng tiếp nhận", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng đã giải quyết",
              "Đang giải quyết, chưa đến hạn", "Đang giải quyết, quá hạn",
              "Tổng đang giải quyết")


def dossier_flow(flow: pd.DataFrame) -> Md:
    """The official dossier table of a flow: a row per lĩnh vực and the total row."""
    if flow is None or flow.empty:
        return _none("hồ sơ TTHC trong kỳ")
    t = dossiers.table(flow)
    rows = []
    for i, (_, r) in enumerate(t.iterrows(), start=1):
        last = i == len(t)
        name = "**Tổng cộng**" if last else escape(r["field"])
        rows.append(["" if last else str(i), name, *[vn.integer(r[c]) for c in FLOW_COLUMNS]])
    withdrawn = int(t.iloc[-1]["withdrawn"])
    return Md(table(rows, ["STT", "Lĩnh vực", *FLOW_HEADS], ["r", "l"] + ["r"] * len(FLOW_COLUMNS))
              + f"\n\nĐơn vị: hồ sơ. Không gồm {vn.integer(withdrawn)} hồ sơ rút hoặc bị từ chối.")


def unit_targets(rows: list[dict[str, Any]] | None, specs: list[dict[str, Any]],
                 names: dict[str, str] | None = None) -> Md:
    """Targets apportioned to the units (``params/targets.yml`` → ``apportion``); ``names``
    gives each unit code's name."""
    if not rows or not specs:
        return Md("_Không có chỉ tiêu phân bổ cho các đơn vị trong năm._")
    names = names or {}
    header = ["Đơn vị", "Số TTHC"]
    for spec in specs:
        header += [f"{spec['label']}: chỉ tiêu", "thực hiện", "đánh giá"]
    body = []
    for r in rows:
        row = [escape(names.get(r["unit"], r["unit"])), vn.integer(r["procedures"])]
        for spec in specs:
            c = spec["code"]
            row += [vn.integer(r[f"{c}.required"]), vn.integer(r[f"{c}.actual"]),
                    verdict(bool(r[f"{c}.met"]))]
        body.append(row)
    rule = "; ".join(f"{escape(s['label'])}: ít nhất {vn.share(s['rate'])}"
                     + (" của chỉ tiêu trên" if s.get("of") else " số TTHC của đơn vị")
                     for s in specs)
    return Md(table(body, header) + f"\n\nChỉ tiêu phân bổ ({rule}); phần dư giao cho đơn vị "
              "có phần lẻ lớn nhất, tổng các đơn vị bằng đúng chỉ tiêu chung.")


def satisfaction(by_channel: pd.DataFrame) -> Md:
    """Ratings per channel (``rates.satisfaction_by_channel``) and the total."""
    if by_channel.empty:
        return Md(f"Trong kỳ không có lượt đánh giá nào: tỷ lệ hài lòng **{vn.NOT_APPLICABLE}**.")
    rows = [[escape(r.channel), vn.integer(r.satisfied), vn.integer(r.ratings),
             vn.percent(r.rate)] for r in by_channel.itertuples()]
    s, n = int(by_channel["satisfied"].sum()), int(by_channel["ratings"].sum())
    rows.append(["**Tổng cộng**", vn.integer(s), vn.integer(n), f"**{vn.percent(s / n)}**"])
    return table(rows, ["Kênh đánh giá", "Hài lòng, rất hài lòng", "Lượt đánh giá", "Tỷ lệ"])


def tasks_by_group(states: pd.DataFrame) -> Md:
    """Task states per plan group, with the share of due tasks done."""
    if states.empty:
        return _none("nhiệm vụ của kế hoạch năm")
    t = summary_by(states, "group")
    rows = []
    for g, r in t.iterrows():
        rows.append([escape(g), *[vn.integer(r[s]) for s in STATES], vn.integer(r["total"]),
                     vn.percent(r["due_done"] / r["due"] if r["due"] else None)])
    tot = t.sum()
    rows.append(["**Tổng cộng**", *[vn.integer(tot[s]) for s in STATES],
                 vn.integer(tot["total"]),
                 f"**{vn.percent(tot['due_done'] / tot['due'] if tot['due'] else None)}**"])
    return table(rows, ["Nhóm nhiệm vụ", *[STATE_LABELS[s] for s in STATES], "Tổng",
                        "Tỷ lệ đến hạn đã xong"])


def tasks_by_lead(states: pd.DataFrame) -> Md:
    if states.empty:
        return Md("")
    t = summary_by(states.assign(lead=states["lead"].fillna("(không ghi)")), "lead")
    rows = [[escape(g), vn.integer(r["total"]), vn.integer(r["done"] + r["done_late"]),
             vn.integer(r["overdue"]), vn.percent(r["due_done"] / r["due"] if r["due"] else None)]
            for g, r in t.iterrows()]
    return table(rows, ["Đơn vị chủ trì", "Số nhiệm vụ", "Hoàn thành", "Quá hạn",
                        "Tỷ lệ đến hạn đã xong"])


def tasks_appendix(states: pd.DataFrame) -> Md:
    """Every task in the seed report's shape: task, product, lead, time, result, state."""
    if states.empty:
        return _none("nhiệm vụ")
    rows = [[escape(t["task_id"]), escape(t["task"]), escape(text_of(t["product"])),
             escape(text_of(t["lead"])), escape(text_of(t["deadline"]) or "(không ghi)"),
             escape(text_of(t["evidence"])), STATE_LABELS[t["state"]]]
            for _, t in states.iterrows()]
    return table(rows, ["STT", "Nhiệm vụ", "Sản phẩm", "Chủ trì", "Thời gian hoàn thành",
                        "Kết quả, văn bản", "Tiến độ"], ["l"] * 7)


def budget(by_area: pd.DataFrame) -> Md:
    """Planned and spent per area (``budget.by_area``), with the total row."""
    if by_area.empty:
        return _none("dự toán kinh phí cho năm của kỳ báo cáo")
    rows = []
    for _, r in by_area.iterrows():
        total = r["area"] == "Tổng cộng"
        spent = None if pd.isna(r["spent_vnd"]) else int(r["spent_vnd"])
        rows.append(["**Tổng cộng**" if total else escape(r["area"]), vn.integer(r["items"]),
                     vn.money(r["planned_vnd"]),
                     "không có dữ liệu" if spent is None else vn.money(spent),
                     vn.percent(spent / r["planned_vnd"] if spent is not None and r["planned_vnd"]
                                else None)])
    return table(rows, ["Nhiệm vụ chung", "Số nhiệm vụ", "Dự kiến kinh phí", "Đã thực hiện",
                        "Tỷ lệ"])


def self_assessed(indicators: dict[str, dict[str, Any]]) -> Md:
    rows = []
    for code, i in sorted(indicators.items()):
        if catalogue.entry(code) is None or catalogue.entry(code).group != "self":
            continue
        frac = (f" ({vn.number(i['numerator'], 0)}/{vn.number(i['denominator'], 0)})"
                if i["denominator"] else "")
        rows.append([escape(i.get("name", code)), vn.indicator(code, i["value"]) + frac,
                     vn.target(code, i["target"]), verdict_cell(code, i)])
    if not rows:
        return _none("chỉ số tự đánh giá")
    return table(rows, ["Chỉ số tự đánh giá", "Kết quả", "Chỉ tiêu", "Đánh giá"])


def data_quality(meta: dict[str, Any]) -> Md:
    """Row accounting per file, personal columns dropped, warnings, and the inputs' hashes."""
    acc = meta["accounting"]
    rows = [[escape(a["file"]), escape(a["sheet"] or "–"), a["table"],
             vn.integer(a["rows_read"]), vn.integer(a["rows_accepted"]),
             vn.integer(a["rows_rejected"])] for a in acc]
    text = [table(rows, ["Tệp", "Trang tính", "Bảng", "Dòng đọc", "Dòng nhận", "Dòng loại"],
                  ["l", "l", "l", "r", "r", "r"])]
    dropped = meta.get("personal_columns_dropped") or []
    if dropped:
        text.append("Các cột dữ liệu cá nhân đã được loại bỏ ngay khi đọc: "
                    f"{', '.join(escape(d) for d in dropped)}.")
    warnings = [i for i in meta["issues"] if i["severity"] == "warning"]
    if warnings:
        text.append(f"{len(warnings)} cảnh báo khi đọc dữ liệu:")
        text.append("\n".join(f"- {escape(w['file'])}" + (f", dòng {w['row']}" if w["row"] else "")
                              + f": {escape(w['message'])}" for w in warnings[:20]))
    else:
        text.append("Không có cảnh báo khi đọc dữ liệu.")
    files = meta["fingerprint"]["files"]
    text.append("Tệp nguồn và mã băm SHA-256 (truy vết số liệu):")
    text.append(table([[escape(f), f"`{h[:16]}`"] for f, h in sorted(files.items())],
                      ["Tệp", "SHA-256 (16 ký tự đầu)"], ["l", "l"]))
    return Md("\n\n".join(text))


DOWNLOADS = {"tables.xlsx": "Bảng số liệu, Biểu số 06 (Excel)", "indicators.json": "Chỉ số (JSON)",
             "dossier_flow.csv": "Tình hình giải quyết TTHC (CSV)",
             "quality.xlsx": "Chất lượng dữ liệu (Excel)"}


def downloads(files: tuple[str, ...] = tuple(DOWNLOADS)) -> Md:
    """Links to the report's files (a compiled report has no CSV or quality workbook)."""
    return Md("\n".join(f"- [{DOWNLOADS[f]}]({f})" for f in files))

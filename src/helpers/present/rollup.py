"""A parent's compiled report in words and tables: which children it compiles (and over
which windows), their figures side by side, their ranking by the national index, and who
has not reported. Everything is read from ``tables.children`` (``indicators.rollup``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..indicators.periods import Period
from . import vnformat as vn
from .index766 import points
from .markdown import Md, escape, table

RULE_WORDS = {"decree09": "theo Nghị định 09/2019/NĐ-CP (từ ngày 15 tháng trước kỳ đến ngày 14 "
                          "tháng cuối kỳ)",
              "calendar": "theo tháng dương lịch"}
Rows = list[dict[str, Any]]


def _day(iso: str) -> str:
    return vn.day(pd.Timestamp(iso))


def cover(name: str, period: Period, rule: str, rows: Rows) -> Md:
    """Title, the compiling body, the period, its data window and how many of its
    children have reported."""
    w = period.window(rule)  # type: ignore[arg-type]
    done = sum(1 for r in rows if r["reported"])
    return Md("\n".join([
        f"# Báo cáo tổng hợp công tác cải cách hành chính {period.label}",
        f"**{escape(name)}**",
        "",
        f"- Kỳ báo cáo: **{period.label}**",
        f"- Thời gian lấy số liệu: **từ {vn.day(w.start)} đến {vn.day(w.end)}** "
        f"({RULE_WORDS.get(rule, rule)})",
        f"- Tổng hợp từ báo cáo của **{done}/{len(rows)}** cơ quan, đơn vị trực thuộc "
        "(số liệu đọc từ báo cáo của từng cơ quan, không tính lại).",
    ]))


def windows_note(rule: str, rows: Rows) -> Md:
    """Children whose cut-off rule differs from the parent's, with their own windows."""
    other = [r for r in rows if r["rule"] != rule]
    if not other:
        return Md(f"Mọi cơ quan trực thuộc lấy số liệu cùng quy tắc với cơ quan tổng hợp "
                  f"({RULE_WORDS.get(rule, rule)}).")
    lines = [f"- {escape(r['name'])}: {RULE_WORDS.get(r['rule'], r['rule'])}, từ ngày "
             f"{_day(r['window']['start'])} đến ngày {_day(r['window']['end'])}" for r in other]
    return Md(f"**Lưu ý:** {len(other)} cơ quan lấy số liệu theo quy tắc khác với cơ quan tổng "
              "hợp; số liệu của các cơ quan này được cộng theo kỳ lấy số liệu của chính cơ "
              "quan:\n\n" + "\n".join(lines))


def children_table(rows: Rows) -> Md:
    """Each reported child's main figures: dossiers received, resolved, on time, overdue
    pending, Tiến độ and its index points."""
    body = []
    for r in rows:
        if not r["reported"]:
            continue
        body.append([f"[{escape(r['name'])}](../{r['agency']}/report.html)", escape(r["section"]),
                     vn.integer(r.get("dossiers.received_total")),
                     vn.integer(r.get("dossiers.resolved_total")),
                     vn.percent(r.get("rate.on_time")),
                     vn.integer(r.get("dossiers.pending_overdue")),
                     vn.percent(r.get("index766.tien_do")),
                     points(r.get("index766.points"))])
    if not body:
        return Md("_Chưa có cơ quan trực thuộc nào có báo cáo trong kỳ._")
    return table(body, ["Cơ quan", "Khối", "Tiếp nhận", "Đã giải quyết",
                        "Đã giải quyết đúng hạn", "Đang giải quyết quá hạn",
                        "Tiến độ (QĐ 766)", "Điểm QĐ 766 (/100)"], ["l", "l", *["r"] * 6])


def ranking(frame: pd.DataFrame, config: dict[str, Any]) -> Md:
    """The children ranked by index points over what could be measured (``rollup.ranking``),
    with the points of each group."""
    if frame.empty:
        return Md("_Chưa có cơ quan trực thuộc nào có điểm Chỉ số phục vụ trong kỳ._")
    groups = config.get("groups") or []
    body = [[str(r["rank"]), f"[{escape(r['name'])}](../{r['agency']}/report.html)",
             points(r["points"]), points(r["measured_max"]), vn.percent(r["share"]),
             *[points(r["groups"].get(g["key"])) for g in groups]]
            for _, r in frame.iterrows()]
    heads = ["Hạng", "Cơ quan", "Điểm (/100)", "Tối đa đo được", "Tỷ lệ trên phần đo được",
             *[f"{escape(g['name'])} (/{points(g['max'])})" for g in groups]]
    return Md(table(body, heads, ["r", "l", *["r"] * (len(heads) - 2)])
              + "\n\nXếp hạng theo tỷ lệ điểm trên phần đo được từ dữ liệu của từng cơ quan "
                "(chỉ số thành phần không có dữ liệu hoặc không phát sinh ở một cơ quan không "
                "tính vào điểm tối đa của cơ quan đó).")


def missing(rows: Rows) -> Md:
    """Children without a report for the period, with the run's word for each."""
    gone = [r for r in rows if not r["reported"]]
    if not gone:
        return Md("Tất cả cơ quan trực thuộc đã có báo cáo trong kỳ.")
    return Md("\n".join(f"- {escape(r['name'])}: {escape(r['status'] or 'chưa chạy')}"
                        for r in gone))

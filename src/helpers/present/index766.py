"""The national service index (QĐ 766) in the report: the group table with each
sub-indicator's numerator, denominator, ratio, points and maximum; the sentence that says
why Tiến độ differs from the on-time rate; and, per group, what costs the most points.

Wording (groups, items, what counts against them) comes from ``params/index766.yml`` and is
escaped; figures from ``indicators.index766``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..indicators.index766 import STATES, TOTAL
from . import vnformat as vn
from .markdown import Md, escape, table

Figures = dict[str, dict[str, Any]]


def points(value: float | None) -> str:
    """Points with two decimals, as the portal shows them: 19.8224 → "19,82", 6 → "6,00"."""
    return "–" if value is None else f"{value:.2f}".replace(".", ",")


def _item_row(number: str, i: dict[str, Any]) -> list[str]:
    name = f"{number} {escape(i.get('name', ''))}"
    state = i.get("state")
    if state == "measured":
        shown = vn.percent(i["value"])
    elif state == "not_arising":
        shown = vn.NOT_APPLICABLE
    else:
        shown = STATES.get(state or "no_data", "")
    frac = ([vn.integer(i["numerator"]), vn.integer(i["denominator"])]
            if i.get("numerator") is not None else ["–", "–"])
    return [name, *frac, shown, points(i.get("points")), points(i.get("max"))]


def group_table(ind: Figures, config: dict[str, Any]) -> Md:
    """One row per group (its points and maximum) and per sub-indicator, then the total
    over 100 and over the maximum of what could be measured."""
    if TOTAL not in ind:
        return Md("_Không tính được chỉ số (thiếu params/index766.yml)._")
    rows = []
    for g, group in enumerate(config["groups"], start=1):
        items = [ind[f"index766.{it['key']}"] for it in group["items"]]
        got = [i["points"] for i in items if i.get("points") is not None]
        rows.append([f"**{g}. {escape(group['name'])}**", "", "", "",
                     f"**{points(sum(got)) if got else '–'}**", f"**{points(group['max'])}**"])
        rows += [_item_row(f"{g}.{k}", i) for k, i in enumerate(items, start=1)]
    t = ind[TOTAL]
    share = t["points"] / t["measured_max"] if t["measured_max"] else None
    rows.append(["**Tổng điểm**", "", "", "", f"**{points(t['points'])}**",
                 f"**{points(t['max'])}**"])
    rows.append(["Trên phần đo được", "", "", vn.percent(share), points(t["points"]),
                 points(t["measured_max"])])
    moved = {i["group"] for code, i in ind.items() if code.startswith("index766.")
             and i.get("state") == "moved"}
    names = ", ".join(escape(g["name"]) for g in config["groups"] if g["key"] in moved)
    note = ("Trong kỳ không có phản ánh, kiến nghị: điểm của các chỉ số về phản ánh, kiến nghị "
            f"được chia đều cho các chỉ số còn lại của nhóm {names} (theo bảng hướng dẫn tính "
            "điểm). " if moved else "")
    note += (f"Điểm = điểm tối đa × tỷ lệ, không vượt điểm tối đa. Chỉ số phục vụ: "
            f"**{points(t['points'])}/{points(t['max'])} điểm**; trên phần đo được từ dữ liệu "
            f"của cơ quan: {points(t['points'])}/{points(t['measured_max'])} điểm "
            f"({vn.percent(share)}). Nguồn: {escape(config.get('source', ''))}.")
    return Md(table(rows, ["Nhóm, chỉ số thành phần", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm",
                           "Tối đa"], ["l", "r", "r", "r", "r", "r"]) + "\n\n" + note)


def progress_note(ind: Figures) -> Md:
    """Tiến độ against the on-time rate: the overdue pending dossiers make the difference."""
    t, on = ind.get("index766.tien_do"), ind.get("rate.on_time")
    if not t or t.get("value") is None or on is None:
        return Md("")

    def n(code: str) -> str:
        return vn.integer(ind[f"dossiers.{code}"]["value"])

    return Md(
        f"Chỉ số Tiến độ tính cả hồ sơ chưa giải quyết xong: ({n('resolved_early')} hồ sơ "
        f"trước hạn + {n('resolved_on_time')} đúng hạn + {n('pending_not_due')} đang giải quyết "
        f"chưa đến hạn) / {n('received_total')} hồ sơ tiếp nhận, giải quyết trong kỳ = "
        f"**{vn.percent(t['value'])}**: {n('pending_overdue')} hồ sơ đang giải quyết quá hạn "
        f"và {n('resolved_late')} hồ sơ giải quyết quá hạn bị trừ. Tỷ lệ hồ sơ đã giải quyết "
        f"đúng hạn, trước hạn (chỉ tính hồ sơ đã giải quyết) là "
        f"{vn.percent(on['value'])} ({vn.integer(on['numerator'])}/"
        f"{vn.integer(on['denominator'])}).")


def channels_note(ind: Figures) -> Md:
    """Online, direct and postal shares of the window's new dossiers (not scored)."""
    codes = (("rate.online_dossiers", "trực tuyến"), ("rate.direct_dossiers", "trực tiếp"),
             ("rate.postal_dossiers", "qua bưu chính công ích"))
    parts = [f"{word} {vn.percent(ind[c]['value'])} ({vn.integer(ind[c]['numerator'])}/"
             f"{vn.integer(ind[c]['denominator'])})" for c, word in codes if c in ind]
    if not parts:
        return Md("")
    return Md("Hồ sơ mới tiếp nhận trong kỳ theo hình thức nộp (không tính điểm): "
              + "; ".join(parts) + ". Hồ sơ không ghi hình thức nộp được tính là trực tiếp.")


def costs(found: dict[str, list[tuple[dict, pd.DataFrame]]], config: dict[str, Any]) -> Md:
    """Per group and sub-indicator, the procedures (or feedback topics) that cost the most
    points (``indicators.index766.costs``)."""
    out = []
    for g, group in enumerate(config.get("groups") or [], start=1):
        for item, top in found.get(group["key"], []):
            what = escape(item.get("lost") or "bị trừ điểm")
            out.append(f"**{g}. {escape(group['name'])} – {escape(item['name'])}**: "
                       f"{len(top)} mục có nhiều {what} nhất.")
            out.append(_cost_table(item, top))
    if not out:
        return Md("Không có chỉ số thành phần nào bị trừ điểm trong kỳ.")
    return Md("\n\n".join(out))


def _cost_table(item: dict[str, Any], top: pd.DataFrame) -> str:
    if item.get("measure") == "feedback_on_time":
        rows = [[escape(r["name"]), vn.integer(r["count"]), points(r["points"])]
                for _, r in top.iterrows()]
        return table(rows, ["Nội dung phản ánh, kiến nghị", "Số phản ánh", "Điểm bị trừ"])
    unit = "Số TTHC" if item.get("measure") == "published_procedures" else "Số hồ sơ"
    rows = [[escape(r["key"] if r["key"] != r["name"] else ""), escape(r["name"]),
             escape(r["field"]), vn.integer(r["count"]), vn.number(r["points"], 3)]
            for _, r in top.iterrows()]
    return table(rows, ["Mã TTHC", "Tên thủ tục", "Lĩnh vực", unit, "Điểm bị trừ"],
                 ["l", "l", "l", "r", "r"])

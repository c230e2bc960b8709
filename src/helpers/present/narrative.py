"""The narrative summary in Vietnamese, drafted from the figures.

Every number in it is computed; sentences are chosen by whether targets are met and how
figures moved against the comparable period. The specialist edits it (the DOCX) before
signing: it is a draft, and says so.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..indicators import catalogue
from ..indicators.periods import Period, Window
from . import vnformat as vn
from .markdown import Md, escape

DOTTED = "……………………………………"  # a line left for the specialist to write

Figures = dict[str, dict[str, Any]]
NO_DATA = "không có dữ liệu"
NO_COMPARABLE = "không có số liệu cùng kỳ"


def _missing(i: dict[str, Any]) -> bool:
    """A figure whose data is missing (an optional column or table not exported), as
    opposed to a rate whose denominator is zero ("không phát sinh")."""
    return i.get("value") is None and i.get("denominator") is None and i.get("numerator") is None

SUGGESTIONS = {
    "rate.on_time": "Rà soát quy trình nội bộ của các lĩnh vực có hồ sơ trễ hạn, nhắc việc "
                    "tự động trên phần mềm một cửa trước hạn trả kết quả.",
    "rate.online_procedures": "Tiếp tục rà soát, đề xuất cung cấp thêm dịch vụ công trực tuyến "
                              "toàn trình, một phần.",
    "rate.online_dossiers": "Đẩy mạnh tuyên truyền, hướng dẫn người dân, doanh nghiệp nộp hồ sơ "
                            "trực tuyến.",
    "rate.satisfaction": "Tìm hiểu nguyên nhân các lượt đánh giá chưa hài lòng, chấn chỉnh thái "
                         "độ, tác phong phục vụ.",
    "rate.digitized": "Bố trí nhân lực, thiết bị số hóa hồ sơ, kết quả giải quyết TTHC.",
    "rate.e_result": "Tăng cường trả kết quả giải quyết TTHC dưới dạng điện tử.",
    "rate.tasks_done": "Đôn đốc các đơn vị chủ trì hoàn thành các nhiệm vụ quá hạn.",
    "rate.feedback_on_time": "Xử lý dứt điểm các phản ánh, kiến nghị quá hạn.",
    "rate.apology": "Gửi thư xin lỗi cho mọi hồ sơ trễ hạn theo quy định.",
    "rate.late_of_received": "Giảm số hồ sơ trễ hạn, công khai lý do trễ hạn.",
}


def _target_phrase(i: dict[str, Any], code: str) -> str:
    t = i.get("target")
    if t is None or i.get("value") is None:
        return ""
    tv = vn.target(code, t)
    if i["met"]:
        return f", vượt chỉ tiêu {tv}" if i["value"] > t else f", đạt chỉ tiêu {tv}"
    return f", chưa đạt chỉ tiêu {tv}"


def _moved(i: dict[str, Any], code: str, comparable_label: str) -> str:
    v, c = i.get("value"), i.get("comparable")
    if v is None or c is None:
        return ""
    if code.startswith("rate."):
        diff = round((v - c) * 100, 2)
        if diff == 0:
            return f", bằng {comparable_label} ({vn.percent(c)})"
        word = "tăng" if diff > 0 else "giảm"
        return (f", {word} {vn.number(abs(diff))} điểm phần trăm so với {comparable_label} "
                f"({vn.percent(c)})")
    if c == 0:
        return ""
    change = (v - c) / c
    word = "tăng" if change > 0 else "giảm"
    return f", {word} {vn.growth(abs(change)).lstrip('+')} so với {comparable_label}"


def summary(ind: Figures, name: str, period: Period, window: Window,
            by_channel: pd.DataFrame) -> Md:
    """The narrative of the figures, for the specialist to edit before signing: ``name``
    is the agency's short name, ``by_channel`` the ratings per channel."""
    return Md("\n\n".join(_paragraphs(ind, escape(name), period, window, by_channel)))


def _paragraphs(ind: Figures, name: str, period: Period, w: Window, by_channel: pd.DataFrame
                ) -> list[str]:
    cl = f"cùng kỳ năm {period.year - 1}"
    out: list[str] = []

    def n(code: str) -> str:
        return vn.integer(ind[code]["value"])

    if "dossiers.received_total" in ind:
        out.append(_dossiers(ind, name, w, cl, n))
    if "rate.satisfaction" in ind:
        s = ind["rate.satisfaction"]
        if _missing(s):
            out.append(f"Đánh giá sự hài lòng: {NO_DATA}.")
        elif s["value"] is None:
            out.append("Trong kỳ không có lượt đánh giá sự hài lòng nào.")
        else:
            ch = "; ".join(f"qua {escape(r.channel)} {vn.integer(r.satisfied)}/"
                           f"{vn.integer(r.ratings)} lượt" for r in by_channel.itertuples())
            out.append(f"Có {vn.integer(s['denominator'])} lượt đánh giá, trong đó "
                       f"{vn.integer(s['numerator'])} lượt hài lòng, rất hài lòng, đạt "
                       f"**{vn.percent(s['value'])}**{_target_phrase(s, 'rate.satisfaction')}"
                       f"{_moved(s, 'rate.satisfaction', cl)} ({ch}).")
    if "rate.online_procedures" in ind:
        o = ind["rate.online_procedures"]
        g = ind.get("growth.online_procedures", {})
        text = (f"Cung cấp {vn.integer(o['numerator'])}/{vn.integer(o['denominator'])} TTHC trực "
                f"tuyến, đạt {vn.percent(o['value'])}{_target_phrase(o, 'rate.online_procedures')}")
        if g.get("value") is not None:
            text += (f", {'tăng' if g['value'] > 0 else 'giảm'} "
                     f"{vn.growth(abs(g['value'])).lstrip('+')} so với {cl} "
                     f"({vn.integer(g['denominator'])} TTHC)")
        elif g.get("denominator") is None:
            text += f" ({NO_COMPARABLE} năm {period.year - 1})"
        out.append(text + ".")
    if "rate.tasks_done" in ind and _missing(ind["rate.tasks_done"]):
        out.append(f"Kế hoạch CCHC năm {period.year} có {n('tasks.total')} nhiệm vụ; tiến độ "
                   f"thực hiện: {NO_DATA} (tệp kế hoạch không có cột tiến độ hoặc thời hạn).")
    elif "rate.tasks_done" in ind:
        t = ind["rate.tasks_done"]
        text = (f"Kế hoạch CCHC năm {period.year} có {n('tasks.total')} nhiệm vụ; tính đến "
                f"{vn.day(w.end)} có {n('tasks.due')} nhiệm vụ đến hạn, đã hoàn thành "
                f"{vn.integer(t['numerator'])}")
        text += (f" ({vn.percent(t['value'])}{_target_phrase(t, 'rate.tasks_done')})"
                 if t["value"] is not None else "")
        text += (f"; {n('tasks.overdue')} nhiệm vụ quá hạn" if ind["tasks.overdue"]["value"]
                 else "; không có nhiệm vụ quá hạn")
        text += f"; {n('tasks.continuing')} nhiệm vụ thường xuyên đang tiếp tục thực hiện."
        out.append(text)
    if "budget.planned" in ind:
        b = ind["rate.budget_spent"]
        spent = ind["budget.spent"]["value"]
        out.append(f"Kinh phí thực hiện kế hoạch dự kiến {vn.money(ind['budget.planned']['value'])}"
                   + (f", đã thực hiện: {NO_DATA}." if spent is None else
                      f", đã thực hiện {vn.money(spent)}"
                      + (f" ({vn.percent(b['value'])})." if b["value"] is not None else ".")))
    out += _assessment(ind, n)
    return out


def _dossiers(ind: Figures, name: str, w: Any, cl: str, n: Any) -> str:
    on = ind["rate.on_time"]
    late = ind["dossiers.resolved_late"]["value"]
    new = ind["dossiers.new_online"]["value"] + ind["dossiers.new_offline"]["value"]
    text = (f"Từ ngày {vn.day(w.start)} đến ngày {vn.day(w.end)}, {name} tiếp nhận "
            f"**{n('dossiers.received_total')}** hồ sơ TTHC ({n('dossiers.carried_over')} hồ "
            f"sơ kỳ trước chuyển qua, {vn.integer(new)} hồ sơ mới, trong đó "
            f"{n('dossiers.new_online')} hồ sơ trực tuyến, chiếm "
            f"{vn.percent(ind['rate.online_dossiers']['value'])}); đã giải quyết "
            f"{n('dossiers.resolved_total')} hồ sơ.")
    if on["value"] is None:
        text += " Trong kỳ chưa có hồ sơ nào được giải quyết: tỷ lệ đúng hạn không phát sinh."
    else:
        text += (f" Tỷ lệ hồ sơ giải quyết đúng hạn đạt **{vn.percent(on['value'])}**"
                 f"{_target_phrase(on, 'rate.on_time')}{_moved(on, 'rate.on_time', cl)}.")
    if late:
        ap = ind["rate.apology"]
        text += (f" Có {vn.integer(late)} hồ sơ trễ hạn/{n('dossiers.received_total')} tổng "
                 f"số hồ sơ tiếp nhận (chiếm {vn.percent(ind['rate.late_of_received']['value'])}"
                 + (f"); thư xin lỗi: {NO_DATA}." if _missing(ap) else
                    f"); đã gửi {vn.integer(ap['numerator'])} thư xin lỗi/{vn.integer(late)} hồ "
                    f"sơ trễ hạn (đạt {vn.percent(ap['value'])})."))
    else:
        text += " Không có hồ sơ giải quyết trễ hạn."
    pend, over = ind["dossiers.pending_total"]["value"], ind["dossiers.pending_overdue"]["value"]
    return text + (f" Đang giải quyết {vn.integer(pend)} hồ sơ"
                   + (f", trong đó {vn.integer(over)} hồ sơ đã quá hạn." if over else
                      ", không có hồ sơ quá hạn."))


def _assessment(ind: Figures, n: Any) -> list[str]:
    """Mặt làm được, tồn tại, đề xuất: from the targets met and missed."""
    met = [c for c, i in ind.items() if i.get("met") is True and c in SUGGESTIONS]
    missed = [c for c, i in ind.items() if i.get("met") is False]

    def lab(c: str) -> str:
        return catalogue.label(c, ind[c].get("name"))

    out = ["**Mặt làm được.** " + ("; ".join(
        f"{lab(c)} đạt {vn.indicator(c, ind[c]['value'])} (chỉ tiêu "
        f"{vn.target(c, ind[c]['target'])})" for c in met) + "." if met else
        "Chưa có chỉ tiêu nào được đánh giá là đạt trong kỳ.")]
    problems = [f"{escape(lab(c))} {vn.indicator(c, ind[c]['value'])}, chưa đạt chỉ tiêu "
                f"{vn.target(c, ind[c]['target'])}" for c in missed]
    if ind.get("tasks.overdue", {}).get("value"):
        problems.append(f"{n('tasks.overdue')} nhiệm vụ quá hạn")
    out.append("**Tồn tại, hạn chế.** " + ("; ".join(problems) + "." if problems else
                                           "Không có chỉ tiêu nào chưa đạt trong kỳ."))
    proposals = [SUGGESTIONS[c] for c in missed if c in SUGGESTIONS]
    # without a proposal the line is left dotted for the specialist, as the DOCX leaves an
    # unset report number: nothing invented, no instruction in a signed text
    out.append("**Đề xuất, kiến nghị.** " + (" ".join(proposals) if proposals else
                                             DOTTED))
    return out


def online(ind: Figures, period: Period) -> Md:
    """Online services, postal service, online payment and digitisation in sentences."""
    parts = []
    if "rate.online_procedures" in ind:
        i = ind["rate.online_procedures"]
        g = ind.get("growth.online_procedures", {})
        parts.append(
            f"Cung cấp dịch vụ công trực tuyến (toàn trình hoặc một phần) cho "
            f"**{vn.integer(i['numerator'])}/{vn.integer(i['denominator'])}** TTHC, đạt "
            f"**{vn.percent(i['value'])}**"
            + (f", {'tăng' if (g.get('value') or 0) >= 0 else 'giảm'} "
               f"{vn.growth(g['value']).lstrip('+-')} so với cùng kỳ năm {period.year - 1} "
               f"({vn.integer(g['denominator'])} TTHC)" if g.get("value") is not None else "")
            + ".")
    for code in ("rate.online_dossiers", "rate.postal_dossiers", "rate.paid_online",
                 "rate.digitized", "rate.e_result"):
        if code in ind:
            i = ind[code]
            parts.append(f"{catalogue.label(code)}: {NO_DATA}." if _missing(i) else
                         f"{catalogue.label(code)}: **{vn.percent(i['value'])}** "
                         f"({vn.integer(i['numerator'])}/{vn.integer(i['denominator'])}).")
    return Md("\n".join(f"- {p}" for p in parts) if parts else "_Không có dữ liệu._")


def feedback(ind: Figures) -> Md:
    if "feedback.received" not in ind or ind["feedback.received"]["value"] is None:
        return Md("_Không có dữ liệu phản ánh, kiến nghị._")
    received = ind["feedback.received"]["value"] or 0
    due = ind["feedback.due"]["value"] or 0
    if received == 0 and due == 0:
        return Md("Trong kỳ báo cáo, cơ quan không tiếp nhận phản ánh, kiến nghị nào về quy "
                  "định hành chính: tỷ lệ xử lý đúng hạn **không phát sinh**.")
    i = ind["rate.feedback_on_time"]
    return Md(f"Trong kỳ tiếp nhận **{vn.integer(received)}** phản ánh, kiến nghị; "
              f"{vn.integer(due)} phản ánh đến hạn xử lý trong kỳ, đã xử lý đúng hạn "
              f"{vn.integer(i['numerator'])}, đạt **{vn.percent(i['value'])}**.")

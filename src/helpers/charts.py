"""Charts with Vietnamese labels and alt text that states what the chart shows.

Figures are built with the object API (``matplotlib.figure.Figure``), not pyplot, so
nothing leaks between charts and no GUI backend is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import vnformat as vn

BLUE, GREEN, RED, GREY = "#1f5fa8", "#2e8b57", "#c0392b", "#8c8c8c"


@dataclass
class Chart:
    figure: Figure
    alt: str
    title: str


def _pct_axis(ax) -> None:
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: vn.percent(v, 0)))


MAX_BARS = 25


def on_time_by_field(flow: pd.DataFrame, target: float | None, what: str = "lĩnh vực"
                     ) -> Chart | None:
    """Share of resolved dossiers resolved on time, per lĩnh vực (or agency), against the
    target; with more than ``MAX_BARS`` rows, the lowest ones: those that need attention."""
    rows = flow[(flow["field"] != "Tổng cộng") & (flow["resolved_total"] > 0)].copy()
    if rows.empty:
        return None
    rows["rate"] = (rows["resolved_early"] + rows["resolved_on_time"]) / rows["resolved_total"]
    rows = rows.sort_values("rate")
    shown_all = len(rows) <= MAX_BARS
    total_rows = len(rows)
    rows = rows.head(MAX_BARS)
    fig = Figure(figsize=(7.5, 0.45 * len(rows) + 1.2))
    ax = fig.subplots()
    colors = [GREEN if target is None or r >= target else RED for r in rows["rate"]]
    ax.barh(rows["field"], rows["rate"], color=colors)
    lo = max(0.0, min(rows["rate"].min(), target or 1) - 0.05)
    ax.set_xlim(lo, 1.0)
    _pct_axis(ax)
    if target is not None:
        ax.axvline(target, color=GREY, linestyle="--", linewidth=1)
        ax.text(target, len(rows) - 0.4, f" chỉ tiêu {vn.percent(target, 0)}", color=GREY,
                fontsize=8, va="bottom")
    for y, r in enumerate(rows["rate"]):
        ax.text(r, y, " " + vn.percent(r), va="center", fontsize=8)
    ax.set_xlabel("Tỷ lệ giải quyết đúng hạn và trước hạn")
    ax.spines[["top", "right"]].set_visible(False)
    best, worst = rows.iloc[-1], rows.iloc[0]
    missed = int(sum(1 for r in rows["rate"] if target is not None and r < target))
    scope = (f"{len(rows)} {what}" if shown_all else
             f"{len(rows)} {what} có tỷ lệ thấp nhất trong {total_rows}")
    alt = (f"Biểu đồ thanh ngang: tỷ lệ hồ sơ giải quyết đúng hạn, {scope}; "
           f"cao nhất {best['field']} {vn.percent(best['rate'])}, thấp nhất {worst['field']} "
           f"{vn.percent(worst['rate'])}"
           + (f"; {missed} {what} dưới chỉ tiêu {vn.percent(target, 0)}." if target else "."))
    title = (f"Tỷ lệ giải quyết đúng hạn theo {what}" if shown_all else
             f"Tỷ lệ giải quyết đúng hạn: {len(rows)} {what} thấp nhất trong {total_rows}")
    return Chart(fig, alt, title)


def channels(flow_total: dict[str, int], comparable: dict[str, int] | None, label: str,
             comparable_label: str) -> Chart | None:
    """New dossiers by channel, this period against the comparable one."""
    keys = [("new_online", "Trực tuyến"), ("new_offline_direct", "Trực tiếp"),
            ("new_postal", "Bưu chính công ích")]

    def parts(t: dict[str, int]) -> list[int]:
        direct = t["new_offline"] - t["new_postal"]
        return [t["new_online"], direct, t["new_postal"]]

    now = parts(flow_total)
    if sum(now) == 0:
        return None
    fig = Figure(figsize=(7.5, 3.2))
    ax = fig.subplots()
    names = [k[1] for k in keys]
    width = 0.38
    xs = range(len(names))
    ax.bar([x + width / 2 for x in xs], now, width, label=label, color=BLUE)
    if comparable:
        before = parts(comparable)
        ax.bar([x - width / 2 for x in xs], before, width, label=comparable_label, color=GREY)
    for x, v in zip(xs, now, strict=True):
        ax.text(x + width / 2, v, vn.integer(v), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(xs), names)
    ax.set_ylabel("Số hồ sơ mới tiếp nhận")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: vn.integer(v)))
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    total = sum(now)
    alt = (f"Biểu đồ cột: hồ sơ mới tiếp nhận theo hình thức nộp, {label}: trực tuyến "
           f"{vn.integer(now[0])} ({vn.percent(now[0] / total)}), trực tiếp {vn.integer(now[1])}, "
           f"bưu chính công ích {vn.integer(now[2])}"
           + (f"; {comparable_label}: trực tuyến {vn.integer(parts(comparable)[0])}."
              if comparable else "."))
    return Chart(fig, alt, "Hồ sơ mới tiếp nhận theo hình thức nộp")


def satisfaction(by_channel: list[tuple[str, int, int]], target: float | None) -> Chart | None:
    """Satisfied share per rating channel: (channel, satisfied, ratings)."""
    rows = [(c, s, n) for c, s, n in by_channel if n > 0]
    if not rows:
        return None
    fig = Figure(figsize=(7.5, 0.5 * len(rows) + 1.2))
    ax = fig.subplots()
    rates = [s / n for _, s, n in rows]
    ax.barh([c for c, _, _ in rows], rates,
            color=[GREEN if target is None or r >= target else RED for r in rates])
    ax.set_xlim(max(0.0, min(rates + [target or 1]) - 0.1), 1.0)
    _pct_axis(ax)
    for y, ((_, s, n), r) in enumerate(zip(rows, rates, strict=True)):
        ax.text(r, y, f" {vn.percent(r)} ({vn.integer(s)}/{vn.integer(n)})", va="center",
                fontsize=8)
    if target is not None:
        ax.axvline(target, color=GREY, linestyle="--", linewidth=1)
    ax.set_xlabel("Tỷ lệ đánh giá hài lòng và rất hài lòng")
    ax.spines[["top", "right"]].set_visible(False)
    alt = "Biểu đồ thanh ngang: tỷ lệ hài lòng theo kênh đánh giá; " + "; ".join(
        f"{c} {vn.percent(s / n)} ({vn.integer(s)}/{vn.integer(n)} lượt)" for c, s, n in rows) + "."
    return Chart(fig, alt, "Mức độ hài lòng theo kênh đánh giá")


def tasks_by_group(summary: pd.DataFrame) -> Chart | None:
    """Stacked bars of task states per plan group."""
    if summary.empty:
        return None
    from .tasks import STATE_LABELS, STATES

    colors = {"done": GREEN, "done_late": "#8fbc8f", "overdue": RED, "in_progress": BLUE,
              "not_started": "#e0a800", "continuing": GREY}
    fig = Figure(figsize=(7.5, 0.45 * len(summary) + 1.6))
    ax = fig.subplots()
    left = [0] * len(summary)
    labels = [str(g)[:48] for g in summary.index]
    for s in STATES:
        vals = summary[s].tolist()
        ax.barh(labels, vals, left=left, color=colors[s], label=STATE_LABELS[s])
        left = [a + b for a, b in zip(left, vals, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("Số nhiệm vụ")
    ax.legend(frameon=False, fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    ax.spines[["top", "right"]].set_visible(False)
    alt = "Biểu đồ thanh chồng: trạng thái nhiệm vụ theo nhóm; " + "; ".join(
        f"{g}: {int(r['done'] + r['done_late'])}/{int(r['total'])} hoàn thành"
        for g, r in summary.iterrows()) + "."
    return Chart(fig, alt, "Tiến độ nhiệm vụ theo nhóm")


def trend(points: list[tuple[str, float | None]], title: str, target: float | None) -> Chart:
    """A rate over periods (the agency trend page)."""
    fig = Figure(figsize=(7.5, 2.8))
    ax = fig.subplots()
    xs = [p for p, _ in points]
    ys = [v for _, v in points]
    ax.plot(xs, [y if y is not None else float("nan") for y in ys], marker="o", color=BLUE)
    if target is not None:
        ax.axhline(target, color=GREY, linestyle="--", linewidth=1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: vn.percent(v, 0)))
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    alt = f"Biểu đồ đường: {title}; " + "; ".join(f"{p}: {vn.percent(v)}" for p, v in points) + "."
    return Chart(fig, alt, title)

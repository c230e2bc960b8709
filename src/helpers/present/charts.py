"""Charts with Vietnamese labels and alt text that states what the chart shows.

Each function takes the frame a notebook holds (a flow, ratings by channel, task states)
and returns a ``Chart``: JupyterLab shows it as a PNG, and the PNG output carries its alt
text in its metadata for the publishing engines. With nothing to draw it returns a
sentence saying so. Figures use the object API (``matplotlib.figure.Figure``), not pyplot,
so nothing leaks between charts and no GUI backend is needed.

Print size: a chart is drawn at the text width of an A4 page with the margins of Nghị định
30/2020 (165 mm) and laid out inside that box (no tight cropping), so the PDF and the DOCX
place it at its natural size and every text prints at its own size, never under 8 pt.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from ..indicators import dossiers
from ..indicators.tasks import STATE_LABELS, STATES
from . import vnformat as vn
from .markdown import Md

BLUE, GREEN, RED, GREY = "#1f5fa8", "#2e8b57", "#c0392b", "#8c8c8c"
DPI = 150
WIDTH = 165 / 25.4  # inches: the text width of A4 (210 mm less 30 + 15 mm margins)
FONT_PT = 9  # every text of a chart: ≥ 8 pt on paper, since charts print at natural size
LABEL_CHARS = 38  # a category label wraps (never is cut) at this width
LABEL_LINES = 3  # … on at most this many lines (a bar's height): a 5 000-character name stays a label
MAX_BARS = 25


def _figure(height: float) -> Figure:
    """A figure of the print width whose layout keeps every label inside it."""
    fig = Figure(figsize=(WIDTH, height), layout="constrained")
    return fig


# How a chart becomes a PNG (what the notebook output, the PDF and the DOCX carry):
# one Agg draw at print resolution, laid out by the figure's layout engine (constrained),
# instead of ``savefig(bbox_inches="tight")``, which measures every text with one renderer
# and then measures and draws it again with another (shaping a Vietnamese label costs about
# a millisecond); glyphs without FreeType's hinting (a fifth of a draw, invisible at 150
# dpi); the opaque RGB pixels encoded once, at zlib's fastest level (40% less encoding time
# than its default, the same size within 2%). The image is WIDTH × DPI pixels wide. A figure
# the layout cannot fit (a legend wider than the figure, no room left for the axes) falls
# back to the cropped ``savefig``.
RENDER_RC = {"text.hinting": "no_hinting"}


@dataclass
class Chart:
    figure: Figure
    alt: str
    title: str

    def png(self) -> bytes:
        import matplotlib as mpl
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        fig = self.figure
        if fig.get_layout_engine() is None:
            fig.set_layout_engine("constrained")
        fig.set_dpi(DPI)
        canvas = FigureCanvasAgg(fig)
        buf = io.BytesIO()
        with mpl.rc_context(RENDER_RC):
            with warnings.catch_warnings(record=True) as said:
                warnings.simplefilter("always")
                canvas.draw()
            collapsed = False
            for w in said:  # the layout's own complaint is handled here; others pass on
                if "constrained_layout not applied" in str(w.message):
                    collapsed = True
                else:
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            if collapsed or _sticks_out(fig, canvas.get_renderer()):
                fig.set_layout_engine(None)
                fig.subplots_adjust()  # the axes where they were before the layout moved them
                fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
                return buf.getvalue()
        rgba = canvas.buffer_rgba()
        image = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
        image.convert("RGB").save(buf, format="png", dpi=(DPI, DPI), compress_level=1)
        return buf.getvalue()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None
                          ) -> tuple[dict[str, Any], dict[str, Any]]:
        return {"image/png": self.png()}, {"image/png": {"alt": self.alt}}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _sticks_out(fig: Figure, renderer: Any) -> bool:
    """Whether a legend lies partly outside the figure once drawn: the layout engine fits
    the axes, their labels and texts, but cannot shrink a legend wider than the figure."""
    box = fig.bbox
    for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes)]:
        if legend is None:
            continue
        b = legend.get_window_extent(renderer)
        if b.x0 < box.x0 - 1 or b.y0 < box.y0 - 1 or b.x1 > box.x1 + 1 or b.y1 > box.y1 + 1:
            return True
    return False


def plain(text: object) -> str:
    """Text from a file drawn literally. matplotlib reads a text holding an even number
    of unescaped ``$`` as mathtext, where ``\\``, ``^``, ``_`` and ``{`` are commands and a
    bad formula raises when the figure is drawn. With every ``$`` escaped nothing is
    math, and matplotlib shows each ``\\$`` as ``$``. Control characters (no glyph)
    become spaces."""
    s = "" if text is None else _CONTROL.sub(" ", str(text))
    return s.replace("$", r"\$")


def wrap(text: object, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> str:
    """A label on lines of ``width`` characters, at most ``lines`` of them (the table
    beside the chart shows it whole). Wrapped first, escaped after, so a break never
    separates an escape from its ``$``."""
    out = textwrap.wrap(_CONTROL.sub(" ", "" if text is None else str(text)), width)
    if len(out) > lines:
        out = out[:lines - 1] + [out[lines - 1][:width - 1] + "…"]
    return "\n".join(plain(line) for line in out)


def _pct_axis(axis, span: float) -> None:
    """Percent ticks at round steps (1, 2, 5, 10, 20 or 25 points), labelled without
    rounding a tick to a value it is not."""
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25) if span / s <= 6)
    axis.set_major_locator(MultipleLocator(step))
    axis.set_major_formatter(FuncFormatter(lambda v, _: vn.percent(v, 0)))


def _round_step(top: float, ticks: int = 6) -> int:
    """A whole, round tick step (1, 2, 5, 10, 20, 50 …) giving at most ``ticks`` ticks."""
    step = 1
    while top / step > ticks:
        lead, zeros = int(str(step)[0]), len(str(step)) - 1
        step = {1: 2, 2: 5, 5: 10}[lead] * 10 ** zeros
    return step


def _lower_bound(values: list[float], target: float | None) -> float:
    """A round lower limit for a rate axis: a little under the lowest bar or target."""
    lo = min(values + ([target] if target is not None else []))
    return max(0.0, math.floor((lo - 0.05) * 20) / 20)


def rate_bars(names: list[str], rates: list[float], target: float | None, xlabel: str,
              title: str, what: str) -> Chart:
    """Horizontal bars of rates (lowest first), green at or above the target, red below,
    the target drawn as a dashed line, each bar labelled with its value."""
    fig = _figure(0.45 * sum(wrap(n).count("\n") + 1 for n in names) + 1.3)
    ax = fig.subplots()
    colors = [GREEN if target is None or r >= target else RED for r in rates]
    ax.barh([wrap(n) for n in names], rates, color=colors)
    lo = _lower_bound(rates, target)
    ax.set_xlim(lo, 1.0)
    _pct_axis(ax.xaxis, 1.0 - lo)
    if target is not None:
        ax.axvline(target, color=GREY, linestyle="--", linewidth=1)
        ax.text(target, len(names) - 0.4, f" chỉ tiêu {vn.share(target)}", color=GREY,
                fontsize=FONT_PT, va="bottom")
    for y, r in enumerate(rates):
        ax.text(r, y, " " + vn.percent(r), va="center", fontsize=FONT_PT)
    ax.set_xlabel(xlabel, fontsize=FONT_PT + 1)
    ax.tick_params(labelsize=FONT_PT)
    ax.spines[["top", "right"]].set_visible(False)
    missed = sum(1 for r in rates if target is not None and r < target)
    alt = (f"Biểu đồ thanh ngang: {title.lower()}, {len(names)} {what}; cao nhất "
           f"{names[-1]} {vn.percent(rates[-1])}, thấp nhất {names[0]} {vn.percent(rates[0])}"
           + (f"; {missed} {what} dưới chỉ tiêu {vn.share(target)}." if target else "."))
    return Chart(fig, alt, title)


def on_time(flow: pd.DataFrame, target: float | None = None, what: str = "lĩnh vực"
            ) -> Chart | Md:
    """Share of resolved dossiers resolved on time per lĩnh vực of a flow, against the
    target; with more than ``MAX_BARS`` lĩnh vực, the lowest: those that need attention."""
    rows = dossiers.table(flow).iloc[:-1]
    rows = rows[rows["resolved_total"] > 0].copy()
    if rows.empty:
        return Md("_Không có hồ sơ được giải quyết trong kỳ._")
    rows["rate"] = (rows["resolved_early"] + rows["resolved_on_time"]) / rows["resolved_total"]
    rows = rows.sort_values(["rate", "field"])
    total = len(rows)
    rows = rows.head(MAX_BARS)
    title = (f"Tỷ lệ giải quyết đúng hạn theo {what}" if total <= MAX_BARS else
             f"Tỷ lệ giải quyết đúng hạn: {len(rows)} {what} thấp nhất trong {total}")
    return rate_bars(rows["field"].tolist(), rows["rate"].tolist(), target,
                     "Tỷ lệ giải quyết đúng hạn và trước hạn", title, what)


def channels(indicators: dict[str, dict[str, Any]], label: str, comparable_label: str
             ) -> Chart | Md:
    """New dossiers by channel, this period against the comparable one (from the
    ``dossiers.*`` indicators and their comparable values)."""

    def parts(key: str) -> list[int] | None:
        try:
            online = indicators["dossiers.new_online"][key]
            offline = indicators["dossiers.new_offline"][key]
            postal = indicators["dossiers.new_postal"][key]
        except KeyError:
            return None
        if online is None or offline is None or postal is None:
            return None
        return [int(online), int(offline - postal), int(postal)]

    now, before = parts("value"), parts("comparable")
    if not now or sum(now) == 0:
        return Md("_Không có hồ sơ mới tiếp nhận trong kỳ._")
    if before is not None and sum(before) == 0:
        before = None
    names = ["Trực tuyến", "Trực tiếp", "Bưu chính công ích"]
    fig = _figure(3.2)
    ax = fig.subplots()
    width = 0.38
    xs = range(len(names))
    ax.bar([x + width / 2 for x in xs], now, width, label=label, color=BLUE)
    if before:
        ax.bar([x - width / 2 for x in xs], before, width, label=comparable_label, color=GREY)
    for x, v in zip(xs, now, strict=True):
        ax.text(x + width / 2, v, vn.integer(v), ha="center", va="bottom", fontsize=FONT_PT)
    ax.set_xticks(list(xs), names)
    ax.set_ylabel("Số hồ sơ mới tiếp nhận", fontsize=FONT_PT + 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: vn.integer(v)))
    ax.tick_params(labelsize=FONT_PT)
    ax.legend(frameon=False, fontsize=FONT_PT)
    ax.spines[["top", "right"]].set_visible(False)
    alt = (f"Biểu đồ cột: hồ sơ mới tiếp nhận theo hình thức nộp, {label}: trực tuyến "
           f"{vn.integer(now[0])} ({vn.percent(now[0] / sum(now))}), trực tiếp "
           f"{vn.integer(now[1])}, bưu chính công ích {vn.integer(now[2])}"
           + (f"; {comparable_label}: trực tuyến {vn.integer(before[0])}." if before else "."))
    return Chart(fig, alt, "Hồ sơ mới tiếp nhận theo hình thức nộp")


def satisfaction(by_channel: pd.DataFrame, target: float | None = None) -> Chart | Md:
    """Satisfied share per rating channel (``rates.satisfaction_by_channel``)."""
    rows = by_channel[by_channel["ratings"] > 0].sort_values(["rate", "channel"])
    if rows.empty:
        return Md("_Không có lượt đánh giá trong kỳ._")
    chart = rate_bars(rows["channel"].tolist(), rows["rate"].tolist(), target,
                      "Tỷ lệ đánh giá hài lòng và rất hài lòng",
                      "Mức độ hài lòng theo kênh đánh giá", "kênh")
    chart.alt = "Biểu đồ thanh ngang: tỷ lệ hài lòng theo kênh đánh giá; " + "; ".join(
        f"{r.channel} {vn.percent(r.rate)} ({vn.integer(r.satisfied)}/{vn.integer(r.ratings)} "
        "lượt)" for r in rows.itertuples()) + "."
    return chart


def tasks(summary: pd.DataFrame) -> Chart | Md:
    """Stacked bars of task states per plan group (``tasks.summary_by(states, "group")``)."""
    if summary.empty:
        return Md("_Không có nhiệm vụ của kế hoạch năm._")
    colors = {"done": GREEN, "done_late": "#8fbc8f", "overdue": RED, "in_progress": BLUE,
              "not_started": "#e0a800", "continuing": GREY}
    labels = [wrap(g, 44) for g in summary.index]
    height = 0.3 * sum(label.count("\n") + 1 for label in labels) + 0.2 * len(labels) + 1.8
    fig = _figure(height)
    ax = fig.subplots()
    left = [0] * len(summary)
    for s in STATES:
        vals = summary[s].tolist()
        ax.barh(labels, vals, left=left, color=colors[s], label=STATE_LABELS[s])
        left = [a + b for a, b in zip(left, vals, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("Số nhiệm vụ", fontsize=FONT_PT + 1)
    ax.xaxis.set_major_locator(MultipleLocator(_round_step(max(left))))
    ax.tick_params(labelsize=FONT_PT)
    fig.legend(*ax.get_legend_handles_labels(), frameon=False, fontsize=FONT_PT, ncol=3,
               loc="outside lower center")
    ax.spines[["top", "right"]].set_visible(False)
    alt = "Biểu đồ thanh chồng: trạng thái nhiệm vụ theo nhóm; " + "; ".join(
        f"{g}: {int(r['done'] + r['done_late'])}/{int(r['total'])} hoàn thành"
        for g, r in summary.iterrows()) + "."
    return Chart(fig, alt, "Tiến độ nhiệm vụ theo nhóm")


def trend(points: list[tuple[str, float | None]], title: str, target: float | None) -> Chart:
    """A rate over periods (the agency trend page)."""
    fig = _figure(2.8)
    ax = fig.subplots()
    xs = [p for p, _ in points]
    ys = [v if v is not None else float("nan") for _, v in points]
    ax.plot(xs, ys, marker="o", color=BLUE, clip_on=False)  # a point at 100% stays whole
    if target is not None:
        ax.axhline(target, color=GREY, linestyle="--", linewidth=1)
    known = [v for _, v in points if v is not None] + ([target] if target is not None else [])
    if known:
        lo = _lower_bound(known, None)
        ax.set_ylim(lo, 1.0)  # a rate never passes 100%: no tick says it does
        _pct_axis(ax.yaxis, 1.0 - lo)
    ax.set_title(plain(title), fontsize=FONT_PT + 1)
    ax.tick_params(labelsize=FONT_PT)
    ax.spines[["top", "right"]].set_visible(False)
    alt = f"Biểu đồ đường: {title}; " + "; ".join(f"{p}: {vn.percent(v)}" for p, v in points) + "."
    return Chart(fig, alt, title)

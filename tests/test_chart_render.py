"""How a chart becomes a PNG (``Chart.png``): one draw at print resolution, the figure's
width, nothing cut at the edges; a legend wider than the figure keeps the cropped save."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from helpers.present import charts


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_rate_chart_is_the_figure_width_at_print_resolution_with_nothing_cut():
    names = ["Văn hóa cơ sở", "Mỹ thuật, nhiếp ảnh và triển lãm: một tên rất dài cần xuống dòng"]
    chart = charts.rate_bars(names, [0.91, 0.99], 0.95, "Tỷ lệ", "Thử", "lĩnh vực")
    img = pixels(chart.png())
    # 165 mm = 6.496 in × 150 dpi = 974 pixels wide; the height is the figure's: 0.45 in
    # per label line (the long name wraps at 38 characters onto 2 lines: 3 lines) + 1.3 in
    # = 2.65 in × 150 dpi = 397.5, which Agg truncates to 397 pixels
    assert img.shape[1] == int(charts.WIDTH * charts.DPI) == 974
    assert img.shape[0] == int(2.65 * charts.DPI) == 397
    white = np.array([255, 255, 255])
    for edge in (img[0], img[-1], img[:, 0], img[:, -1]):  # the layout kept a margin
        assert (edge == white).all()
    red = np.array([0xC0, 0x39, 0x2B])  # charts.RED: the bar below the target is drawn
    assert (np.abs(img.astype(int) - red).sum(axis=2) < 10).sum() > 1000
    assert chart.figure.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"


def test_legend_wider_than_the_figure_is_not_cut():
    fig = Figure(figsize=(charts.WIDTH, 2))
    ax = fig.subplots()
    for i in range(6):
        ax.bar([i], [1], label=f"Trạng thái số {i}: một nhãn chú giải rất dài")
    ax.legend(ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    img = pixels(charts.Chart(fig, "alt", "title").png())
    assert img.shape[1] > round(charts.WIDTH * charts.DPI)  # cropped to what was drawn
    assert (img[:, -1] == 255).all()  # the legend's last label ends inside the image


def test_a_missing_glyph_is_still_reported(recwarn):
    """Warnings of the draw other than the layout's own reach the notebook's output."""
    fig = Figure(figsize=(charts.WIDTH, 2))
    fig.subplots().set_title("\u4e2d")  # no CJK in DejaVu Sans
    charts.Chart(fig, "alt", "title").png()
    assert any("missing from font" in str(w.message) for w in recwarn.list)

"""Fast unit tests of the signed report's pieces: the form's texts, column widths from
content, the document tree's shapes, params/reports.yml, the verdict cells and the
charts at print size. No pandoc, no notebook."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml
from matplotlib.text import Text

from helpers.params import ConfigError, load_params
from helpers.present import charts, tables
from helpers.publish import doctree, layout
from helpers.publish.form import day_line, form

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- the form

def test_day_line_follows_the_decree():
    # days under 10 and the months 1 and 2 take a zero; other months do not
    assert day_line(date(2019, 10, 9)) == "ngày 09 tháng 10 năm 2019"
    assert day_line(date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert day_line(date(2024, 3, 15)) == "ngày 15 tháng 3 năm 2024"
    assert day_line(None) == "ngày …… tháng …… năm ……"


def test_form_texts_from_the_report_block():
    f = form({"name": "Sở Nội vụ tỉnh Đồng Nai", "parent_name": "UBND tỉnh Đồng Nai",
              "symbol": "SNV", "place": "Đồng Nai",
              "document": {"number": "88", "date": "2022-07-01", "recipients": ["UBND tỉnh;"]}},
             "6 tháng đầu năm 2022")
    assert f.number_line == "Số: 88/BC-SNV"
    assert f.place_date == "Đồng Nai, ngày 01 tháng 7 năm 2022"
    assert f.issuer == "SỞ NỘI VỤ TỈNH ĐỒNG NAI" and f.parent == "UBND TỈNH ĐỒNG NAI"
    assert f.subject == "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2022"
    assert f.closing.endswith("của Sở Nội vụ tỉnh Đồng Nai./.")
    assert f.recipients == ("- UBND tỉnh;", "- Lưu: VT.")  # no doubled ";"
    assert f.attachment == ("(Kèm theo Báo cáo số 88/BC-SNV ngày 01 tháng 7 năm 2022 của Sở "
                            "Nội vụ tỉnh Đồng Nai)")
    unset = form({"name": "X", "symbol": "X", "parent_name": "Y"}, "Quý I/2020")
    assert unset.number_line == "Số: ……/BC-X" and "……" in unset.signer_name
    assert unset.subject.endswith("quý I/2020") is False  # "Quý" keeps its capital


# ---------------------------------------------------------------- widths from content

def test_numbers_and_verdicts_are_unbreakable():
    assert layout.tokens("99,85% (6.103/6.112)") == ["99,85%", "(6.103/6.112)"]
    assert layout.tokens("✗ Không đạt") == ["✗ Không đạt"]
    assert layout.is_number("6.981") and layout.is_number("(6.103/6.112)")
    assert not layout.is_number("Kế hoạch")


def test_columns_are_never_narrower_than_their_widest_number():
    cells = [layout.Cell("STT", 0, header=True), layout.Cell("Lĩnh vực", 1, header=True),
             layout.Cell("Tổng đã giải quyết", 2, header=True)]
    cells += [layout.Cell(str(i), 0) for i in range(1, 30)]
    cells += [layout.Cell("Mỹ thuật, nhiếp ảnh và triển lãm", 1),
              layout.Cell("1.234.567", 2)]
    total = 165 * layout.MM
    fit = layout.fit_columns(cells, 3, total, 13, 9.5)
    assert fit.fits and abs(sum(fit.widths) - total) < 1e-6
    assert fit.widths[2] >= layout.text_pt("1.234.567", 13) + 9.5
    assert fit.widths[0] >= layout.text_pt("STT", 13, True) + 9.5


def test_a_table_too_wide_for_portrait_goes_landscape_at_a_readable_size():
    head = [layout.Cell(f"Cột số liệu {j}", j, header=True) for j in range(16)]
    body = [layout.Cell("1.234.567", j) for j in range(16)]
    medium = layout.Medium(13, (12, 11), 9.5)
    lay = layout.table_layout(head + body, 16, medium)
    # 16 numbers of about 56 pt each (9 characters at 13 pt, and the padding) need about
    # 900 pt: more than portrait's 468 pt and landscape's 743 pt at 13 pt, so a smaller size
    assert lay.landscape and lay.size < 13
    narrow = layout.table_layout(head[:3] + body[:3], 3, medium)
    assert not narrow.landscape and narrow.size == 13


# ---------------------------------------------------------------- the document tree

def _tree(*blocks):
    return {"pandoc-api-version": [1, 23, 1, 1], "meta": {}, "blocks": list(blocks)}


def _table(caption: str):
    cell = [["", [], []], {"t": "AlignDefault"}, 1, 1, [doctree.para("1")]]
    return {"t": "Table", "c": [["", [], []], [None, [doctree.para(caption)] if caption else []],
                                [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}]],
                                [["", [], []], [[["", [], []], [cell]]]],
                                [[["", [], []], 0, [], [[["", [], []], [cell]]]]],
                                [["", [], []], []]]}


def test_document_drops_site_only_moves_appendix_and_numbers_captions_in_order():
    site_only = {"t": "Div", "c": [["", ["content-visible"], [["when-format", "html"]]],
                                   [doctree.para("SHA-256 của tệp"), _table("Tệp nguồn")]]}
    appendix = {"t": "Div", "c": [["", [doctree.APPENDIX_CLASS], []], [
        {"t": "Header", "c": [2, ["phu-luc", [], []],
                              doctree.text_inlines("Phụ lục: kết quả thực hiện các nhiệm vụ")]},
        _table("Nhiệm vụ")]]}
    tree = _tree(_table("Một"), appendix, _table(""), site_only, _table("Hai"))
    d = doctree.document(tree)
    assert "SHA-256" not in doctree.stringify(d.body)
    assert [a.title for a in d.appendices] == ["Kết quả thực hiện các nhiệm vụ"]
    captions = [doctree.stringify(b["c"][1][1]) for b in d.body if b["t"] == "Table"]
    # the uncaptioned table takes no number; the appendix's table comes after the body's
    assert captions == ["Bảng 1. Một", "", "Bảng 2. Hai"]
    assert doctree.stringify(d.appendices[0].blocks[0]["c"][1][1]) == "Bảng 3. Nhiệm vụ"


# ---------------------------------------------------------------- params/reports.yml

def _params(tmp_path: Path, reports: dict) -> Path:
    params = tmp_path / "params"
    params.mkdir()
    (params / "agencies.yml").write_text(yaml.safe_dump({"agencies": [
        {"id": "so-a", "name": "Sở A", "symbol": "SA", "province": "Tỉnh X"}]},
        allow_unicode=True), encoding="utf-8")
    (params / "reports.yml").write_text(yaml.safe_dump(reports, allow_unicode=True),
                                        encoding="utf-8")
    return params


def test_reports_yml_levels_merge_field_by_field(tmp_path):
    params = load_params(_params(tmp_path, {
        "default": {"signer_title": "GIÁM ĐỐC", "recipients": ["UBND tỉnh"]},
        "agencies": {"so-a": {"signer_name": "Nguyễn Văn Mẫu", "periods": {
            "2024-Q1": {"number": "7", "date": "2024-04-02", "sign_for": "KT. GIÁM ĐỐC"}}}}}))
    a = params.agency("so-a")
    doc = params.about(a, "2024-Q1")["document"]
    assert doc == {"signer_title": "GIÁM ĐỐC", "recipients": ["UBND tỉnh"],
                   "signer_name": "Nguyễn Văn Mẫu", "number": "7", "date": "2024-04-02",
                   "sign_for": "KT. GIÁM ĐỐC"}
    assert "number" not in params.about(a, "2024-H1")["document"]  # never guessed
    assert params.about(a, "2024-Q1")["declared_agencies"] == ["so-a"]
    assert "document" not in params.about(a)


@pytest.mark.parametrize("reports, message", [
    ({"agencies": {"so-b": {"number": "1"}}}, "agencies.so-b: cơ quan chưa khai báo"),
    ({"agencies": {"so-a": {"number": "12/BC-SA"}}}, "chỉ ghi số"),
    ({"agencies": {"so-a": {"periods": {"2024-Q5": {}}}}}, "2024-Q5"),
    ({"default": {"date": "09/10/2019"}}, "default.date"),
])
def test_reports_yml_mistakes_are_named(tmp_path, reports, message):
    with pytest.raises(ConfigError) as err:
        load_params(_params(tmp_path, reports))
    assert message in str(err.value) and "reports.yml" in str(err.value)


def test_the_sample_params_carry_the_seed_report():
    params = load_params(ROOT / "params")
    doc = params.about(params.agency("so-vhtt-tphcm"), "2019-10M")["document"]
    assert (doc["number"], doc["date"]) == ("4317", "2019-10-09")  # Báo cáo số 4317/BC-SVHTT


# ---------------------------------------------------------------- verdicts

def test_verdicts_are_words_with_marks_and_counts_get_none():
    assert tables.verdict_cell("rate.on_time", {"target": 0.95, "met": True}) == "✓ Đạt"
    assert tables.verdict_cell("rate.on_time", {"target": 0.95, "met": False}) == \
        "✗ **Không đạt**"
    assert tables.verdict_cell("rate.on_time", {"target": None, "met": None}) == "—"
    assert tables.verdict_cell("dossiers.received_total", {"target": None, "met": None}) == ""
    assert tables.verdict_cell("self.kiem_tra", {"target": None, "met": None}) == ""


# ---------------------------------------------------------------- charts at print size

def _texts(chart: charts.Chart) -> list[Text]:
    chart.png()  # drawn as published: tick labels are made when the figure is drawn
    return [t for t in chart.figure.findobj(Text) if t.get_text().strip() and t.get_visible()]


def test_charts_are_the_text_width_with_text_of_8pt_or_more():
    names = ["Mỹ thuật, nhiếp ảnh và triển lãm", "Xuất nhập khẩu văn hóa phẩm", "Gia đình"]
    made = [charts.rate_bars(names, [0.9712, 0.9851, 1.0], 0.95, "Tỷ lệ", "Tỷ lệ đúng hạn",
                             "lĩnh vực"),
            charts.trend([("Quý I/2019", 0.82), ("Quý II/2019", 0.9)], "Tỷ lệ hài lòng", 0.9)]
    summary = pd.DataFrame({"done": [1, 0], "done_late": [0, 1], "overdue": [1, 0],
                            "in_progress": [3, 2], "not_started": [0, 1], "continuing": [1, 0],
                            "total": [6, 4]},
                           index=["V. Xây dựng và nâng cao chất lượng đội ngũ công chức, "
                                  "viên chức", "VI. Cải cách tài chính công"])
    made.append(charts.tasks(summary))
    for chart in made:
        width = chart.figure.get_size_inches()[0]
        assert abs(width * 25.4 - 165) < 0.5  # 165 mm: the A4 text width, printed 1:1
        sizes = [t.get_fontsize() for t in _texts(chart)]
        assert sizes and min(sizes) >= 8, chart.title
    labels = [t.get_text() for t in _texts(made[2])]
    # the long group name wraps, whole, onto lines: nothing is cut
    wrapped = next(x for x in labels if x.startswith("V. Xây dựng"))
    assert "\n" in wrapped and " ".join(wrapped.split()) == summary.index[0]


def test_percent_ticks_are_round_and_labelled_exactly():
    chart = charts.rate_bars(["A", "B"], [0.825, 0.99], 0.9, "Tỷ lệ", "T", "đơn vị")
    ax = chart.figure.axes[0]
    chart.png()
    lo, hi = ax.get_xlim()
    pairs = [(v, t.get_text()) for v, t in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)
             if lo - 1e-9 <= v <= hi + 1e-9]
    ticks, labels = [v for v, _ in pairs], [t for _, t in pairs]
    assert len(ticks) >= 3
    for value, label in pairs:
        assert abs(value * 100 - round(value * 100)) < 1e-9  # whole percents: 75%, 80% …
        assert label == f"{round(value * 100)}%", (value, label)
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and steps <= {0.01, 0.02, 0.05, 0.1, 0.2, 0.25}
    assert not any(re.search(r",5%", lbl) for lbl in labels)


def test_publishing_reads_outputs_not_configuration_nor_the_run():
    """publish/ imports neither helpers.run (the command hands it the executor) nor
    helpers.params (what it needs of params/ comes in each report's indicators.json)."""
    import ast

    for path in sorted((ROOT / "src" / "helpers" / "publish").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                assert not name.startswith(("..run", "helpers.run", "..params", "helpers.params")), \
                    (path.name, name)

"""Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP): its identities hold on every row and its cells
equal an independent count, on the sample (TP. HCM 2019-10M, the "Biểu 06" sheet the real
notebook writes) and on a second data set generated here with other shapes and seeds.

The independent count (``count_form``) reads plain rows (dicts of dates and texts) with
nothing of the package: a dossier belongs to the form of window [s, e] when received by e
and not resolved before s, and withdrawn or refused ones are left out. Column (6) counts
those received before s, (4) and (5) the others by channel (online; anything else, an
empty channel included, is direct or postal). (8)–(10) count those resolved within the
window against their due date; (12) and (13) those still open at e, by whether their due
date is before e. (3), (7), (11) are counted on their own, not summed from the others.
"""

from __future__ import annotations

import random
import shutil
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from conftest import HCM, ROOT, declare
from openpyxl import Workbook, load_workbook

from helpers.indicators import dossiers, official_form
from helpers.indicators.official_form import FormError, check
from helpers.indicators.periods import Window, parse_period
from helpers.present import official_form as form_layout
from helpers.present.markdown import grid_table

WITHDRAWN = ("Rút hồ sơ", "Từ chối")
TOTAL = "Tổng cộng"


def _day(v: object) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    d, m, y = str(v).split("/")
    return date(int(y), int(m), int(d))


def count_form(rows: list[dict], s: date, e: date) -> dict[str, dict[int, int]]:
    """The form's cells per lĩnh vực and for the total, counted one dossier at a time."""
    out: dict[str, dict[int, int]] = defaultdict(lambda: dict.fromkeys(range(3, 14), 0))
    for r in rows:
        received, due, resolved = _day(r["received_on"]), _day(r["due_on"]), _day(r["resolved_on"])
        if r.get("status") in WITHDRAWN or received > e or (resolved and resolved < s):
            continue
        for key in (r["field"], TOTAL):
            c = out[key]
            c[3] += 1
            if received < s:
                c[6] += 1
            elif r.get("channel") == "Trực tuyến":
                c[4] += 1
            else:
                c[5] += 1
            if resolved and resolved <= e:
                c[7] += 1
                c[8 if resolved < due else 9 if resolved == due else 10] += 1
            else:
                c[11] += 1
                c[12 if due >= e else 13] += 1
    return out


def sheet_form(path: Path) -> dict[str, dict[int, int]]:
    """The "Biểu 06" sheet read back: its column-number row must read (1) … (13); each
    row below it by its label."""
    ws = load_workbook(path)["Biểu 06"]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if list(r[:13]) == [f"({n})" for n in range(1, 14)])
    return {r[1]: dict(zip(range(3, 14), r[2:13], strict=True)) for r in rows[at + 1:] if r[1]}


def assert_identities(form: dict[str, dict[int, int]]) -> None:
    for label, c in form.items():
        assert c[3] == c[4] + c[5] + c[6], label
        assert c[7] == c[8] + c[9] + c[10], label
        assert c[11] == c[12] + c[13], label
        assert c[3] == c[7] + c[11], label


# ---------------------------------------------------------------- the form's own rules

def test_a_broken_identity_is_refused_naming_the_row():
    row = {3: 10, 4: 3, 5: 4, 6: 3, 7: 6, 8: 2, 9: 2, 10: 2, 11: 4, 12: 3, 13: 1}
    check(row, "Văn hóa")  # 10 = 3 + 4 + 3, 6 = 2 + 2 + 2, 4 = 3 + 1, 10 = 6 + 4
    row[13] = 2  # (11) = 4 but (12) + (13) = 5
    with pytest.raises(FormError, match=r"“Văn hóa”: \(11\) = 4 ≠ \(12\) \+ \(13\) = 5"):
        check(row, "Văn hóa")


def test_columns_are_the_projects_codes():
    # data-spec.md, "Additions": the mapping of the numbered columns
    assert official_form.CODES == {
        3: "received_total", 4: "new_online", 5: "new_offline", 6: "carried_over",
        7: "resolved_total", 8: "resolved_early", 9: "resolved_on_time", 10: "resolved_late",
        11: "pending_total", 12: "pending_not_due", 13: "pending_overdue"}


def test_compiled_form_sections_carry_their_sums():
    a = {3: 5, 4: 1, 5: 2, 6: 2, 7: 4, 8: 1, 9: 2, 10: 1, 11: 1, 12: 1, 13: 0}
    b = {3: 2, 4: 0, 5: 2, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0, 11: 2, 12: 0, 13: 2}
    f = official_form.sectioned([("Sở, ban, ngành", [("Sở A", a)]),
                                 ("UBND cấp xã", [("Xã B", b), ("Xã C", a)])])
    assert list(f["label"]) == ["Sở, ban, ngành", "Sở A", "UBND cấp xã", "Xã B", "Xã C",
                                "Tổng cộng"]
    assert list(f["stt"]) == ["I", "1", "II", "1", "2", ""]
    assert f.iloc[2][3] == 2 + 5 and f.iloc[2][13] == 2 + 0  # section II = Xã B + Xã C
    assert f.iloc[-1][3] == 5 + 2 + 5 and f.iloc[-1][11] == 1 + 2 + 1


def test_grid_markdown_numbers_the_columns_and_escapes_them(tmp_path):
    """(1) … (13) escaped so pandoc does not read a list; a hostile lĩnh vực stays text;
    pandoc renders the grouped heads with spans."""
    import subprocess

    import pypandoc

    f = official_form.form(pd.DataFrame([
        {"field": "1. *Văn hóa* | <b>x</b>", **{c: 0 for c in dossiers.FLOW_CODES}},
        {"field": TOTAL, **{c: 0 for c in dossiers.FLOW_CODES}}]))
    md = form_layout.markdown(f, "Sở =A", "UBND", Window(date(2019, 1, 1), date(2019, 3, 31)))
    assert "\\(13)" in md and "Kỳ báo cáo: từ ngày 01/01/2019 đến ngày 31/03/2019" in md
    assert "Đơn vị tính: Số hồ sơ TTHC" in md
    html = subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "html5",
                           "--wrap=none"],
                          input=md, capture_output=True, text=True, check=True).stdout
    assert '<th colspan="4" style="text-align: center;">Số hồ sơ nhận giải quyết' in html
    assert '<th colspan="3" style="text-align: center;">Số hồ sơ đang giải quyết' in html
    assert '<th rowspan="2" style="text-align: center;">STT</th>' in html
    assert '<th style="text-align: center;">(13)</th>' in html
    assert "<ol" not in html and "<b>" not in html and "1. *Văn hóa* | &lt;b&gt;x&lt;/b&gt;" in html


def test_sheet_is_printable_on_a4_landscape(tmp_path):
    f = official_form.form(pd.DataFrame([{"field": TOTAL, **{c: 0 for c in
                                                             dossiers.FLOW_CODES}}]))
    wb = Workbook()
    form_layout.add_sheet(wb, f, "=cmd|' /C calc'!A0", "UBND", Window(date(2019, 1, 1),
                                                                    date(2019, 3, 31)))
    wb.save(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["Biểu 06"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$7:$9"  # the heads repeat on every printed page
    assert ws["A4"].value.startswith("Đơn vị báo cáo: =cmd")  # inside a text, not a formula
    assert ws["A4"].data_type == "s"
    assert "C7:F7" in {str(r) for r in ws.merged_cells.ranges}  # Số hồ sơ nhận giải quyết


# ---------------------------------------------------------------- the sample: TP. HCM 2019-10M

def _sample_rows(agency_dir: Path) -> list[dict]:
    """The ``ho_so`` sheets of an agency's workbooks, read with openpyxl alone."""
    heads = {"Lĩnh vực": "field", "Hình thức nộp": "channel", "Ngày tiếp nhận": "received_on",
             "Ngày hẹn trả": "due_on", "Ngày có kết quả": "resolved_on", "Trạng thái": "status"}
    rows = []
    for path in sorted(agency_dir.rglob("*.xlsx")):
        ws = load_workbook(path, read_only=True)["ho_so"]
        header: dict[int, str] | None = None
        for r in ws.iter_rows(values_only=True):
            if header is None:
                if "Mã hồ sơ" in r:
                    header = {i: heads[h] for i, h in enumerate(r) if h in heads}
                continue
            if r[0]:
                rows.append({k: r[i] for i, k in header.items()})
    return rows


@pytest.mark.slow
def test_sample_form_equals_an_independent_count(hcm_run):
    form = sheet_form(hcm_run / "2019-10M" / HCM / "tables.xlsx")
    assert_identities(form)
    rows = _sample_rows(ROOT / "data" / "raw" / HCM)
    # decree09: 15/12/2018 – 14/10/2019
    expected = count_form(rows, date(2018, 12, 15), date(2019, 10, 14))
    assert form == dict(expected)
    assert form[TOTAL][3] == 6981 and form[TOTAL][13] == 53  # the progress report's total


# ---------------------------------------------------------------- a second data set

@pytest.fixture(scope="module")
def other(tmp_path_factory):
    """An agency generated here with its own shape and seeds: other lĩnh vực, sizes and
    channels, semicolon CSV exports with text dates, two years, dossiers left open (some
    overdue, some carried over from the year before) and hand-made rows for the edges (a
    withdrawal without a result date, a dossier resolved on its due date)."""
    import synthetic as syn

    base = tmp_path_factory.mktemp("other")
    shutil.copytree(ROOT / "params", base / "params")
    agency = {"id": "xa-doc-lap", "name": "UBND xã Độc Lập", "province": "Tỉnh mẫu",
              "level": "xã", "rule": "decree09"}
    declare(base / "params", [agency])
    shape = syn.AgencyShape("xa-doc-lap", "Tỉnh mẫu", syn.FIELDS_DL + syn.FIELDS_NV[2:5],
                            {2018: 420, 2019: 640}, {2018: (18, 5), 2019: (20, 9)},
                            {2018: 0.2, 2019: 0.35}, style="csv_semicolon", late_share=0.07)
    rng = random.Random("xa-doc-lap/edges")
    rows_by_year = {}
    for year in (2018, 2019):
        procs = syn.procedures(shape, year)
        rows = syn.dossiers(shape, year, procs, seed="doc-lap")
        for r in rng.sample(rows, 25):  # some dossiers still open, some overdue
            r["resolved_on"], r["status"] = None, "Đang giải quyết"
        edge = dict(rows[0], dossier_id=f"EDGE-{year}-1", status="Rút hồ sơ", resolved_on=None)
        ontime = dict(rows[1], dossier_id=f"EDGE-{year}-2", resolved_on=rows[1]["due_on"],
                      status="Đã giải quyết")
        rows += [edge, ontime]
        rows_by_year[year] = rows
        syn.write_agency_year(shape, agency["name"], year, base / "data" / "raw",
                              {"thu_tuc": procs, "ho_so": rows})
    return base, rows_by_year[2018] + rows_by_year[2019]


@pytest.mark.parametrize("period,rule", [("2019-9M", "decree09"), ("2019-Q3", "calendar"),
                                         ("2019-03", "calendar"), ("2019-FY", "decree09")])
def test_second_data_set_form_equals_an_independent_count(other, tmp_path, period, rule):
    from helpers.ingest import store
    from helpers.params import load_params

    base, raw_rows = other
    params = load_params(base / "params")
    a = params.agency("xa-doc-lap")
    p = parse_period(period)
    w = p.window(rule)
    frames, _ = store.frames(params, a, [2018, 2019], date(2018, 1, 1), base / "data", "",
                             scratch_dir=tmp_path)
    form = official_form.form(dossiers.table(dossiers.flow(frames.ho_so, w)))
    got = {r["label"]: {n: int(r[n]) for n in range(3, 14)} for _, r in form.iterrows()}
    assert_identities(got)
    expected = count_form(raw_rows, w.start, w.end)
    assert got == dict(expected)
    assert expected[TOTAL][6] > 0 and expected[TOTAL][13] > 0 and expected[TOTAL][9] > 0
    # the same figures through the sheet a user prints
    wb = Workbook()
    form_layout.add_sheet(wb, form, a.name, "UBND huyện", w)
    wb.save(tmp_path / "f.xlsx")
    assert sheet_form(tmp_path / "f.xlsx") == got


def test_count_form_itself_on_three_dossiers():
    """The independent count, checked by hand: window 01/07–30/09/2019."""
    rows = [
        # carried over (received 20/06), resolved 02/07 before due 05/07: (6), (8)
        {"field": "A", "channel": "Trực tuyến", "received_on": date(2019, 6, 20),
         "due_on": date(2019, 7, 5), "resolved_on": date(2019, 7, 2)},
        # new, empty channel → (5); open at 30/09, due 25/09 < 30/09 → (13)
        {"field": "A", "channel": None, "received_on": "10/09/2019", "due_on": "25/09/2019",
         "resolved_on": None},
        # withdrawn: out
        {"field": "B", "channel": "Trực tuyến", "received_on": date(2019, 8, 1),
         "due_on": date(2019, 8, 5), "resolved_on": None, "status": "Từ chối"},
    ]
    f = count_form(rows, date(2019, 7, 1), date(2019, 9, 30))
    assert f["A"] == {3: 2, 4: 0, 5: 1, 6: 1, 7: 1, 8: 1, 9: 0, 10: 0, 11: 1, 12: 0, 13: 1}
    assert "B" not in f and f[TOTAL] == f["A"]


def test_grid_table_rejects_cells_that_do_not_fit():
    from helpers.present.markdown import Cell

    with pytest.raises(ValueError, match="does not fit"):
        grid_table([[Cell("a", colspan=3)]], [3, 3])
    md = grid_table([[Cell("mộtchữrấtdàikhôngngắtđược"), Cell("b")]], [3, 3])
    assert "mộtchữrấtdàikhôngngắtđược" in md  # the column widened, the word is whole


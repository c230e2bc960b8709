"""The national service index (QĐ 766/QĐ-TTg; params/index766.yml), worked out by hand on a
tiny agency, and on the sample's TP. Hồ Chí Minh 2019-10M report.

The hand-made agency, window 2019-Q3 under ``calendar`` = 01/07/2019 – 30/09/2019:

procedures (2019 catalogue)  P1 Toàn trình, published · P2 Toàn trình, published ·
                             P3 Một phần, published  · P4 Không, not published
dossiers   D1 P1 online   received 05/07 due 10/07 resolved 08/07  early    paid online, digitised, e-result
           D2 P1 direct   received 06/07 due 12/07 resolved 12/07  on time  fee not paid online
           D3 P2 online   received 01/08 due 05/08 resolved 09/08  late     no fee, digitised, e-result
           D4 P3 postal   received 20/09 due 05/10 open            pending, not yet due; digitised
           D5 P4 direct   received 01/09 due 10/09 open            pending, overdue
           D6 P2 direct   received 20/06 due 02/07 resolved 01/07  carried over, early; e-result
           D7 P1 online   withdrawn (Rút hồ sơ) 16/07                 out of the form
           D8 P3 direct   resolved 10/06                              before the window: out
feedback   F1 received 02/07 due 12/07 resolved 10/07  on time
           F2 received 01/08 due 11/08 resolved 20/08  late
           F3 received 25/09 due 10/10 open            pending, not yet due
           F4 received 01/09 due 15/09 open            pending, overdue
           F5 received 01/05 due 10/05 resolved 09/05  before the window: out
ratings    R1 20/07 Không hài lòng, D2 · R2 15/08 Không hài lòng, D3 (late already) ·
           R3 01/09 Không hài lòng, no dossier · R4 02/09 Hài lòng, D1 ·
           R5 05/10 Không hài lòng, no dossier (after the window: out)
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
import yaml
from conftest import HCM, ROOT

from helpers.indicators import index766, values
from helpers.indicators.periods import Window, parse_period
from helpers.ingest.store import Frames
from helpers.params import ConfigError, load_params

W = Window(date(2019, 7, 1), date(2019, 9, 30))
CONFIG = load_params(ROOT / "params").index766.model_dump()


def _dates(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    for c in cols:
        df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    return df


def d(i, proc, channel, received, due, resolved=None, status="Đã giải quyết", paid=None,
      digitized=False, e_result=False):
    return {"dossier_id": f"D{i}", "procedure_code": proc, "procedure_name": f"Thủ tục {proc}",
            "field": "Văn hóa" if proc in ("P1", "P2") else "Thể thao", "channel": channel,
            "received_on": received, "due_on": due, "resolved_on": resolved, "status": status,
            "apology_sent": False, "paid_online": paid, "digitized": digitized,
            "e_result": e_result, "year": 2019}


ON, DI, PO = "Trực tuyến", "Trực tiếp", "Bưu chính công ích"
DOSSIERS = [
    d(1, "P1", ON, "2019-07-05", "2019-07-10", "2019-07-08", paid=True, digitized=True,
      e_result=True),
    d(2, "P1", DI, "2019-07-06", "2019-07-12", "2019-07-12", paid=False),
    d(3, "P2", ON, "2019-08-01", "2019-08-05", "2019-08-09", digitized=True, e_result=True),
    d(4, "P3", PO, "2019-09-20", "2019-10-05", None, status="Đang giải quyết", digitized=True),
    d(5, "P4", DI, "2019-09-01", "2019-09-10", None, status="Đang giải quyết"),
    d(6, "P2", DI, "2019-06-20", "2019-07-02", "2019-07-01", e_result=True),
    d(7, "P1", ON, "2019-07-15", "2019-07-20", "2019-07-16", status="Rút hồ sơ", paid=True),
    d(8, "P3", DI, "2019-06-01", "2019-06-12", "2019-06-10"),
]
CATALOGUE = pd.DataFrame([
    {"procedure_code": "P1", "procedure_name": "Thủ tục P1", "field": "Văn hóa",
     "online_level": "Toàn trình", "postal": True, "published": True, "year": 2019},
    {"procedure_code": "P2", "procedure_name": "Thủ tục P2", "field": "Văn hóa",
     "online_level": "Toàn trình", "postal": True, "published": True, "year": 2019},
    {"procedure_code": "P3", "procedure_name": "Thủ tục P3", "field": "Thể thao",
     "online_level": "Một phần", "postal": True, "published": True, "year": 2019},
    {"procedure_code": "P4", "procedure_name": "Thủ tục P4", "field": "Thể thao",
     "online_level": "Không", "postal": False, "published": False, "year": 2019},
])
FEEDBACK = [("F1", "2019-07-02", "2019-07-12", "2019-07-10", "Thời gian"),
            ("F2", "2019-08-01", "2019-08-11", "2019-08-20", "Thái độ"),
            ("F3", "2019-09-25", "2019-10-10", None, "Thời gian"),
            ("F4", "2019-09-01", "2019-09-15", None, "Thái độ"),
            ("F5", "2019-05-01", "2019-05-10", "2019-05-09", "Thời gian")]
RATINGS = [("2019-07-20", "Không hài lòng", "D2"), ("2019-08-15", "Không hài lòng", "D3"),
           ("2019-09-01", "Không hài lòng", None), ("2019-09-02", "Hài lòng", "D1"),
           ("2019-10-05", "Không hài lòng", None)]


def frames(feedback: bool = True, dossier_rows=DOSSIERS) -> Frames:
    ho_so = _dates(pd.DataFrame(dossier_rows), ["received_on", "due_on", "resolved_on"])
    pakn = _dates(pd.DataFrame([{"feedback_id": f, "received_on": r, "due_on": du,
                                 "resolved_on": res, "channel": "Trực tiếp", "topic": t,
                                 "year": 2019} for f, r, du, res, t in FEEDBACK]),
                  ["received_on", "due_on", "resolved_on"])
    if not feedback:
        pakn = pakn.iloc[0:0]
    ratings = _dates(pd.DataFrame([{"rated_on": r, "channel": "Quầy/Kiosk", "result": res,
                                    "dossier_id": i, "year": 2019} for r, res, i in RATINGS]),
                     ["rated_on"])
    empty = pd.DataFrame()
    return Frames(ho_so=ho_so, thu_tuc=CATALOGUE, danh_gia=ratings, pakn=pakn, nhiem_vu=empty,
                  kinh_phi=empty, chi_so=empty)


def index(f: Frames) -> dict:
    return index766.index(values.index_inputs(f, W, 2019, None), CONFIG)


def test_hand_worked_index():
    i = index(frames())

    def check(item, num, den, pts, top):
        got = i[f"index766.{item}"]
        assert (got["numerator"], got["denominator"], got["max"]) == (num, den, top), item
        assert got["points"] == pytest.approx(pts), item
        assert got["value"] == pytest.approx(num / den), item

    # Công khai: P1, P2, P3 published of 4 → 3/4; 2 × 0,75 = 1,5
    check("cong_khai_tthc", 3, 4, 1.5, 2)
    # Tiến độ: the form's dossiers are D1–D6 (D7 withdrawn, D8 before the window) = 6;
    # early D1, D6 + on time D2 + pending not yet due D4 = 4 (D3 late, D5 overdue open)
    # → 4/6; 20 × 4/6 = 13,333…
    check("tien_do", 4, 6, 20 * 4 / 6, 20)
    # Toàn trình: new dossiers (received in the window: D1–D5) of P1, P2: D1, D2, D3;
    # online D1, D3 → 2/3; 12 × 2/3 = 8
    check("toan_trinh", 2, 3, 8, 12)
    # Thanh toán: new dossiers with a fee: D1 (paid online), D2 (not) → 1/2; 10 × 0,5 = 5
    check("thanh_toan", 1, 2, 5, 10)
    # Kết quả điện tử: resolved in the window D1, D2, D3, D6; with e-result D1, D3, D6 → 3/4;
    # 6 × 0,75 = 4,5
    check("ket_qua_dien_tu", 3, 4, 4.5, 6)
    # Số hóa: the form's six dossiers, digitised D1, D3, D4 → 3/6; 4 × 0,5 = 2
    check("so_hoa_ho_so", 3, 6, 2, 4)
    # PAKN: F1–F4 (F5 before the window); on time F1 + open not yet due F3 → 2/4; 6 × 0,5 = 3
    check("pakn_dung_han", 2, 4, 3, 6)
    # Hài lòng: resolved 4 − late D3 − D2 (unsatisfied, linked) − R3 (unsatisfied, no
    # dossier); R2 names D3, already late, not counted twice; R5 is after the window
    # → (4 − 1 − 1 − 1)/4 = 1/4; 6 × 0,25 = 1,5
    check("hai_long_ho_so", 1, 4, 1.5, 6)
    for item, top in (("cong_khai_khac", 16), ("so_hoa_khac", 12), ("hai_long_pakn", 6)):
        assert (i[f"index766.{item}"]["points"], i[f"index766.{item}"]["max"],
                i[f"index766.{item}"]["state"]) == (None, top, "no_data")
    t = i["index766.total"]
    # 1,5 + 13,333… + 8 + 5 + 4,5 + 2 + 3 + 1,5 = 38,833…
    assert t["points"] == pytest.approx(1.5 + 20 * 4 / 6 + 8 + 5 + 4.5 + 2 + 3 + 1.5)
    # measured: 2 + 20 + 12 + 10 + 6 + 4 + 6 + 6 = 66 of 100
    assert (t["max"], t["measured_max"]) == (100, 66)
    # every item's maximum adds up to 100 (16 + 12 + 6 not measurable)
    assert sum(v["max"] for k, v in i.items() if k != "index766.total") == 100


def test_without_feedback_its_points_go_to_the_other_satisfaction_item():
    i = index(frames(feedback=False))
    # no PAKN at all: PAKN on time (6) and satisfaction with PAKN handling (6) move to the
    # group's remaining item, satisfaction in handling dossiers: 6 + 12 = 18
    assert (i["index766.pakn_dung_han"]["max"], i["index766.pakn_dung_han"]["state"]) == (0, "moved")
    assert (i["index766.hai_long_pakn"]["max"], i["index766.hai_long_pakn"]["state"]) == (0, "moved")
    assert i["index766.hai_long_ho_so"]["max"] == 18
    assert i["index766.hai_long_ho_so"]["points"] == pytest.approx(18 * 1 / 4)  # 4,5
    # measured 2 + 20 + 12 + 10 + 6 + 4 + 18 = 72; the maxima still add up to 100
    assert i["index766.total"]["measured_max"] == 72
    assert sum(v["max"] for k, v in i.items() if k != "index766.total") == 100


def test_zero_denominator_is_not_arising_and_leaves_the_measured_maximum():
    rows = [dict(r, paid_online=None) for r in DOSSIERS]  # no dossier has a fee
    i = index(frames(dossier_rows=rows))
    p = i["index766.thanh_toan"]
    assert (p["value"], p["numerator"], p["denominator"], p["points"], p["state"]) == (
        None, 0, 0, None, "not_arising")
    assert i["index766.total"]["measured_max"] == 66 - 10


def test_points_are_capped_at_the_maximum():
    empty = pd.DataFrame()
    s = index766.score({"progress": index766.Ratio(7, 5, empty, "dossier")}, CONFIG)
    assert s["index766.tien_do"]["points"] == 20  # 20 × min(1, 7/5)


def test_what_costs_the_most_points():
    f = frames()
    ratios = index766.measure(values.index_inputs(f, W, 2019, None))
    scored = index766.score(ratios, CONFIG)
    found = index766.costs(ratios, scored, CONFIG)
    item, top = found["tien_do"][0]
    # Tiến độ loses D3 (P2, late) and D5 (P4, open and overdue): one dossier each,
    # 20 × 1/6 = 3,333… points each, P2 before P4 at equal counts
    assert item["key"] == "tien_do"
    assert list(top["key"]) == ["P2", "P4"] and list(top["count"]) == [1, 1]
    assert list(top["points"]) == pytest.approx([20 / 6, 20 / 6])
    # Công khai loses P4 (not published): 2 × 1/4 = 0,5
    _, pub = found["cong_khai"][0]
    assert list(pub["key"]) == ["P4"] and pub["points"][0] == pytest.approx(0.5)
    # PAKN lost F2 (late) and F4 (overdue open), both "Thái độ": 6 × 2/4 = 3
    _, fb = next(x for x in found["hai_long"] if x[0]["key"] == "pakn_dung_han")
    assert list(fb["name"]) == ["Thái độ"] and list(fb["count"]) == [2]
    assert fb["points"][0] == pytest.approx(3)
    # Hài lòng lost D3 (late, P2), D2 (unsatisfied, P1) and one unlinked rating
    _, hl = next(x for x in found["hai_long"] if x[0]["key"] == "hai_long_ho_so")
    assert sorted(hl["count"]) == [1, 1, 1]
    assert index766.UNLINKED in set(hl["name"])


def test_indicators_json_carries_the_index():
    f = frames()
    r = values.report(f, parse_period("2019-Q3"), "calendar", "xa-mau", {}, flow=None,
                      index_config=CONFIG)
    t = r["indicators"]["index766.tien_do"]
    assert {"value", "numerator", "denominator", "points", "max"} <= set(t)
    assert (t["numerator"], t["denominator"], t["max"]) == (4, 6, 20)
    assert r["indicators"]["index766.total"]["max"] == 100
    # the on-time rate stays, named for what it is: resolved dossiers only, (2 + 1)/4
    on = r["indicators"]["rate.on_time"]
    assert (on["numerator"], on["denominator"]) == (3, 4)


def test_params_refuse_maxima_that_do_not_add_up(tmp_path):
    import shutil

    shutil.copytree(ROOT / "params", tmp_path / "params")
    path = tmp_path / "params" / "index766.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["groups"][1]["items"][0]["max"] = 19
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="nhóm “tien_do”: tổng điểm tối đa .* 19.* 20"):
        load_params(tmp_path / "params")
    data["groups"][1]["items"][0].update(max=20, measure="tien_do_moi")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="measure: phải là một trong"):
        load_params(tmp_path / "params")


def test_params_follow_the_decision():
    """QĐ 766: five groups, 100 points; the maxima the issue gives."""
    groups = {g["key"]: g for g in CONFIG["groups"]}
    assert [(g["name"], g["max"]) for g in CONFIG["groups"]] == [
        ("Công khai, minh bạch", 18), ("Tiến độ, kết quả giải quyết", 20),
        ("Dịch vụ công trực tuyến, thanh toán trực tuyến", 22), ("Số hóa hồ sơ", 22),
        ("Mức độ hài lòng", 18)]
    items = {i["key"]: i for g in groups.values() for i in g["items"]}
    assert {k: items[k]["max"] for k in ("cong_khai_tthc", "tien_do", "toan_trinh",
                                         "thanh_toan", "ket_qua_dien_tu", "so_hoa_ho_so",
                                         "pakn_dung_han", "hai_long_ho_so", "hai_long_pakn")} \
        == {"cong_khai_tthc": 2, "tien_do": 20, "toan_trinh": 12, "thanh_toan": 10,
            "ket_qua_dien_tu": 6, "so_hoa_ho_so": 4, "pakn_dung_han": 6,
            "hai_long_ho_so": 6, "hai_long_pakn": 6}
    assert "766/QĐ-TTg" in CONFIG["source"] and "23/6/2022" in CONFIG["source"]


@pytest.mark.slow
def test_hcm_2019_10m_counts_overdue_pending_dossiers_against_tien_do(hcm_run):
    d = json.loads((hcm_run / "2019-10M" / HCM / "indicators.json").read_text(encoding="utf-8"))
    i = d["indicators"]
    t = i["index766.tien_do"]

    def n(code):
        return i[f"dossiers.{code}"]["value"]

    assert n("pending_overdue") == 53 and n("received_total") == 6981
    assert t["numerator"] == n("resolved_early") + n("resolved_on_time") + n("pending_not_due")
    assert t["denominator"] == 6981
    # what Tiến độ loses: the 9 dossiers resolved late and the 53 still open and overdue
    assert t["denominator"] - t["numerator"] == 9 + 53
    assert t["points"] == pytest.approx(20 * t["numerator"] / 6981)
    # rate.on_time does not see the 53: (early + on time) / resolved
    assert i["rate.on_time"]["denominator"] == n("resolved_total")
    for code, item in i.items():
        if code.startswith("index766.") and code != "index766.total":
            assert {"value", "numerator", "denominator", "points", "max"} <= set(item), code
    # TP. HCM received no feedback in 2019: its 12 feedback points moved to satisfaction
    assert i["index766.hai_long_ho_so"]["max"] == 18
    # the report shows the section, the 53 and each item's fraction and points
    import nbformat

    nb = nbformat.read(hcm_run / "2019-10M" / HCM / "report.ipynb", as_version=4)
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells
                     for o in c.get("outputs", [])) + "\n".join(
        c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)" in text
    assert "53 hồ sơ đang giải quyết quá hạn" in text
    # (5.424 + 1.352 + 143) / 6.981 = 6.919/6.981 = 99,11%; 20 × 6.919/6.981 = 19,82 points
    assert "| 2.1 Tiến độ giải quyết hồ sơ | 6.919 | 6.981 | 99,11% | 19,82 | 20,00 |" in text

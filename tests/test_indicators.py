"""Indicators of data-spec.md ("Indicators") on a tiny hand-made agency.

Period 2019-Q3 under ``decree09``: window 15/06/2019 – 14/09/2019; its comparable period
2018-Q3: 15/06/2018 – 14/09/2018. Every expected value is counted by hand in the comments.

Readings where the spec is silent (documented here):

- ``rate.rating_coverage`` is ratings / resolved dossiers and is not capped at 100 %:
  ratings are not tied one-to-one to dossiers (kiosks, surveys), so it can exceed 1.
- ``growth.*`` has no comparable value of its own (``comparable`` is null): the growth is
  already the comparison with the comparable period.
"""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from helpers.indicators.periods import Window, parse_period
from helpers.indicators.values import report, values

PERIOD = parse_period("2019-Q3")
WINDOW = Window(date(2019, 6, 15), date(2019, 9, 14))
DIRECT, ONLINE, POSTAL = "Trực tiếp", "Trực tuyến", "Bưu chính công ích"
CONG, KIOSK = "Cổng/Trang thông tin", "Quầy/Kiosk"


def frame(rows: list[dict], columns: list[str], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for c in dates:
        df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    return df


DOSSIER_COLS = ["dossier_id", "field", "channel", "received_on", "due_on", "resolved_on",
                "status", "apology_sent", "paid_online", "digitized", "e_result"]


def dossier(id_, channel, received, due, resolved=None, status=None, apology=False,
            paid=None, digitized=False, e_result=False, field="Văn hóa"):
    return dict(dossier_id=id_, field=field, channel=channel, received_on=received,
                due_on=due, resolved_on=resolved, status=status, apology_sent=apology,
                paid_online=paid, digitized=digitized, e_result=e_result)


def dossiers(rows):
    return frame(rows, DOSSIER_COLS, ("received_on", "due_on", "resolved_on"))


DOSSIERS = [
    # 2019-Q3 window 15/06–14/09/2019
    # D1 online, resolved before due → early; digitized, e-result, fee paid online
    dossier("D1", ONLINE, "2019-07-01", "2019-07-10", "2019-07-05",
            paid=True, digitized=True, e_result=True),
    # D2 online, resolved on due → on time; digitized, fee paid offline
    dossier("D2", ONLINE, "2019-07-01", "2019-07-10", "2019-07-10", paid=False, digitized=True),
    # D3 direct, late, apology sent; no fee
    dossier("D3", DIRECT, "2019-07-01", "2019-07-10", "2019-07-12", apology=True),
    # D4 postal, late, no apology; digitized, e-result; no fee
    dossier("D4", POSTAL, "2019-07-01", "2019-07-10", "2019-07-15",
            digitized=True, e_result=True),
    # D5 postal, open, due before the end → pending overdue
    dossier("D5", POSTAL, "2019-08-01", "2019-08-30"),
    # D6 direct, open, due after the end → pending not due
    dossier("D6", DIRECT, "2019-09-01", "2019-09-30"),
    # D7 online, withdrawn (counted apart; its digitized flag must not count)
    dossier("D7", ONLINE, "2019-07-01", "2019-07-10", "2019-07-02", status="Rút hồ sơ",
            digitized=True, e_result=True, paid=True),
    # 2018-Q3 (comparable) window 15/06–14/09/2018
    # C1 postal, early
    dossier("C1", POSTAL, "2018-07-01", "2018-07-10", "2018-07-05"),
]
# 2019-Q3 flow (total row):
#   carried_over 0; new_online D1 D2 = 2; new_offline D3 D4 D5 D6 = 4; new_postal D4 D5 = 2
#   received 6; early D1 = 1; on_time D2 = 1; late D3 D4 = 2 → resolved 4
#   pending_not_due D6 = 1; pending_overdue D5 = 1 → pending 2;   6 = 4 + 2 ✓; withdrawn 1
# 2018-Q3 flow: new_offline C1 = 1 (postal 1), early 1, resolved 1.

RATINGS = [
    # in the window
    ("2019-07-01", CONG, "Rất hài lòng"),
    ("2019-07-02", CONG, "Hài lòng"),
    ("2019-07-03", CONG, "Bình thường"),
    ("2019-08-01", KIOSK, "Hài lòng"),
    ("2019-08-02", KIOSK, "Không hài lòng"),
    # outside: the day before the start and the day after the end
    ("2019-06-14", KIOSK, "Hài lòng"),
    ("2019-09-15", CONG, "Không hài lòng"),
    # comparable window: one satisfied rating out of two
    ("2018-08-01", CONG, "Hài lòng"),
    ("2018-08-02", CONG, "Bình thường"),
]

FEEDBACK = [
    # id, received, due, resolved
    ("F1", "2019-07-01", "2019-07-20", "2019-07-15"),  # due in window, on time
    ("F2", "2019-07-01", "2019-07-20", "2019-07-25"),  # due in window, late
    ("F3", "2019-08-20", "2019-09-10", None),          # due in window, open → not on time
    ("F4", "2019-09-01", "2019-09-20", None),          # due after the window → not counted
    ("F5", "2019-06-01", "2019-06-20", "2019-06-20"),  # received before, due in window, on due
]
# feedback.received (received in window) = F1 F2 F3 F4 = 4
# feedback.due (due in window) = F1 F2 F3 F5 = 4; on time F1 F5 = 2 → 0.5


def catalogue(year: int, full: int, partial: int, none: int) -> list[dict]:
    levels = ["Toàn trình"] * full + ["Một phần"] * partial + ["Không"] * none
    return [dict(procedure_code=f"{year}-{i}", procedure_name=f"TT {i}", field="Văn hóa",
                 online_level=lv, postal=i % 2 == 0, published=True, sample_dossier=False,
                 year=year) for i, lv in enumerate(levels)]


# The TP.HCM progress report: 35 online procedures (mức độ 3) of the Sở's 70 ("đạt 50%"),
# against 18 in 2018 ("tăng 94,4%"). 2018 catalogue: 60 procedures, 18 online.
PROCEDURES = catalogue(2019, 20, 15, 35) + catalogue(2018, 10, 8, 42)

TASKS = [
    # plan 2019, window end 14/09/2019
    dict(task_id="1", group="I", task="a", lead="VP", deadline="Quý I/2019",
         status="Hoàn thành", completed_on="2019-03-20", year=2019),           # due, done
    dict(task_id="2", group="I", task="b", lead="VP", deadline="trước ngày 11/6",
         status="Đang thực hiện", completed_on=None, year=2019),               # due, overdue
    dict(task_id="3", group="II", task="c", lead="VP", deadline="Tháng 10/2019",
         status="Chưa thực hiện", completed_on=None, year=2019),               # not due
    dict(task_id="4", group="II", task="d", lead="VP", deadline="Thường xuyên",
         status="Đang thực hiện", completed_on=None, year=2019),               # continuing
]
# tasks.due = 1, 2 → 2; done among them = 1 → rate.tasks_done = 1/2

BUDGET = [
    dict(area="Cải cách TTHC", item="x", planned_vnd=1_800_000, spent_vnd=900_000, year=2019),
    dict(area="Cải cách TTHC", item="y", planned_vnd=200_000, spent_vnd=None, year=2019),
]
# planned 2.000.000, spent 900.000 → rate.budget_spent 0.45

SELF = [dict(code="VB điện tử", name="Tỷ lệ văn bản điện tử", numerator=45.0,
             denominator=50.0, value=None, unit="%", target=0.8, note=None, year=2019),
        dict(code="Tập huấn", name="Số lớp tập huấn", numerator=None, denominator=None,
             value=3.0, unit="lớp", target=None, note=None, year=2019)]


def agency(dossier_rows=DOSSIERS, rating_rows=RATINGS, feedback_rows=FEEDBACK,
           procedure_rows=PROCEDURES, task_rows=TASKS, budget_rows=BUDGET,
           self_rows=SELF) -> SimpleNamespace:
    """The agency's frames, named by table code as the store gives them."""
    return SimpleNamespace(
        ho_so=dossiers(dossier_rows),
        thu_tuc=pd.DataFrame(procedure_rows, columns=[
            "procedure_code", "procedure_name", "field", "online_level", "postal",
            "published", "sample_dossier", "year"]),
        danh_gia=frame([dict(rated_on=a, channel=b, result=c) for a, b, c in rating_rows],
                      ["rated_on", "channel", "result"], ("rated_on",)),
        pakn=frame([dict(feedback_id=a, received_on=b, due_on=c, resolved_on=e)
                        for a, b, c, e in feedback_rows],
                       ["feedback_id", "received_on", "due_on", "resolved_on"],
                       ("received_on", "due_on", "resolved_on")),
        nhiem_vu=frame(task_rows, ["task_id", "group", "task", "lead", "deadline", "status",
                                "completed_on", "year"], ("completed_on",)),
        kinh_phi=pd.DataFrame(budget_rows, columns=["area", "item", "planned_vnd", "spent_vnd",
                                                  "year"]),
        chi_so=pd.DataFrame(self_rows, columns=[
            "code", "name", "numerator", "denominator", "value", "unit", "target", "note",
            "year"]),
    )


@pytest.fixture(scope="module")
def raw():
    return values(agency(), WINDOW, 2019), None


@pytest.fixture(scope="module")
def result():
    targets = {"rate.on_time": 0.95, "rate.late_of_received": 0.01,
               "rate.satisfaction": 0.5, "rate.online_procedures": 0.3}
    return report(agency(), PERIOD, "decree09", "so-vhtt-tphcm", targets), None


def rate(values, code):
    v = values[code]
    return v["value"], v["numerator"], v["denominator"]


# ---------------------------------------------------------------------------- dossiers


def test_flow_counts(raw):
    v, _ = raw
    want = dict(carried_over=0, new_online=2, new_offline=4, new_postal=2, received_total=6,
                resolved_early=1, resolved_on_time=1, resolved_late=2, resolved_total=4,
                pending_not_due=1, pending_overdue=1, pending_total=2, withdrawn=1)
    got = {k: v[f"dossiers.{k}"]["value"] for k in want}
    assert got == want
    # counts are integers with no numerator/denominator
    assert isinstance(v["dossiers.received_total"]["value"], int)
    assert v["dossiers.received_total"]["numerator"] is None
    assert v["dossiers.received_total"]["denominator"] is None


def test_dossier_rates(raw):
    v, _ = raw
    # on_time = (early + on_time) / resolved = (1 + 1) / 4
    assert rate(v, "rate.on_time") == (0.5, 2, 4)
    # late_of_received = late / received = 2 / 6
    assert rate(v, "rate.late_of_received") == (pytest.approx(1 / 3), 2, 6)
    # apology = late with apology (D3) / late (D3, D4) = 1 / 2
    assert rate(v, "rate.apology") == (0.5, 1, 2)
    # online = new_online / (new_online + new_offline) = 2 / 6
    assert rate(v, "rate.online_dossiers") == (pytest.approx(1 / 3), 2, 6)
    # postal = new_postal / (new_online + new_offline) = 2 / 6
    assert rate(v, "rate.postal_dossiers") == (pytest.approx(1 / 3), 2, 6)


def test_resolved_dossier_rates(raw):
    v, _ = raw
    # over resolved D1..D4 (D7 is withdrawn and must not count)
    # digitized: D1 D2 D4 = 3 of 4
    assert rate(v, "rate.digitized") == (0.75, 3, 4)
    # e_result: D1 D4 = 2 of 4
    assert rate(v, "rate.e_result") == (0.5, 2, 4)
    # paid_online over those with a fee: D1 (paid online), D2 (not) → 1 of 2
    assert rate(v, "rate.paid_online") == (0.5, 1, 2)


# ---------------------------------------------------------------------------- ratings


def test_satisfaction(raw):
    v, _ = raw
    # in window: 5 ratings; satisfied (Rất hài lòng + Hài lòng) = 2 (cổng) + 1 (kiosk) = 3
    assert v["ratings.total"]["value"] == 5
    assert rate(v, "rate.satisfaction") == (0.6, 3, 5)
    # per channel, code = slug of the channel name
    assert rate(v, "rate.satisfaction.cong_trang_thong_tin") == (pytest.approx(2 / 3), 2, 3)
    assert rate(v, "rate.satisfaction.quay_kiosk") == (0.5, 1, 2)
    assert v["ratings.cong_trang_thong_tin"]["value"] == 3
    assert v["ratings.quay_kiosk"]["value"] == 2
    # coverage = ratings / resolved = 5 / 4 (not capped, see module docstring)
    assert rate(v, "rate.rating_coverage") == (1.25, 5, 4)


def test_feedback(raw):
    v, _ = raw
    assert v["feedback.received"]["value"] == 4
    assert v["feedback.due"]["value"] == 4
    assert rate(v, "rate.feedback_on_time") == (0.5, 2, 4)


# ---------------------------------------------------------------------------- procedures


def test_online_procedures(raw):
    v, _ = raw
    # 20 Toàn trình + 15 Một phần = 35 of 70 → 0.5 ("đạt 50% số lượng TTHC của Sở")
    assert v["procedures.total"]["value"] == 70
    assert v["procedures.online"]["value"] == 35
    assert v["procedures.online_full"]["value"] == 20
    assert rate(v, "rate.online_procedures") == (0.5, 35, 70)
    assert rate(v, "rate.published_procedures") == (1.0, 70, 70)


def test_growth_online_procedures(result):
    out, _ = result
    g = out["indicators"]["growth.online_procedures"]
    # (35 − 18) / 18 = 17/18 = 0.9444… (+94,4 % in the progress report)
    assert g["value"] == pytest.approx(17 / 18)
    assert round(g["value"], 4) == 0.9444
    assert (g["numerator"], g["denominator"]) == (35, 18)
    assert g["comparable"] is None
    # the rate's comparable value: 2018 had 18 of 60 online = 0.3
    assert out["indicators"]["rate.online_procedures"]["comparable"] == pytest.approx(0.3)


def test_growth_postal(result):
    out, _ = result
    g = out["indicators"]["growth.postal"]
    # new_postal 2019-Q3 = 2 (D4, D5); 2018-Q3 = 1 (C1) → (2 − 1) / 1 = 1.0
    assert (g["value"], g["numerator"], g["denominator"]) == (1.0, 2, 1)


# ---------------------------------------------------------------------------- tasks, budget, self


def test_tasks_budget_self(raw, result):
    v, _ = raw
    assert rate(v, "rate.tasks_done") == (0.5, 1, 2)
    assert v["tasks.done"]["value"] == 1
    assert v["tasks.overdue"]["value"] == 1
    assert v["tasks.not_started"]["value"] == 1
    assert v["tasks.continuing"]["value"] == 1
    assert v["tasks.total"]["value"] == 4
    assert v["budget.planned"]["value"] == 2_000_000
    assert v["budget.spent"]["value"] == 900_000
    assert rate(v, "rate.budget_spent") == (0.45, 900_000, 2_000_000)
    # self-assessed: numerator/denominator → a rate; a bare value → a figure
    assert rate(v, "rate.self.vb_dien_tu") == (0.9, 45.0, 50.0)
    assert v["self.tap_huan"]["value"] == 3.0
    out, _ = result
    assert {"dossier_flow", "tasks_by_group", "tasks_by_lead", "budget_by_area"} <= set(
        out["tables"])


# ---------------------------------------------------------------------------- zero denominators


def test_zero_denominators_are_none_not_zero_or_one():
    """Only a withdrawn dossier and one open dossier: nothing resolved, nothing late,
    no ratings, no feedback due. Every such rate is None, never 0 or 1."""
    data = agency(
        dossier_rows=[
            dossier("W", ONLINE, "2019-07-01", "2019-07-10", "2019-07-02", status="Từ chối"),
            dossier("O", DIRECT, "2019-09-01", "2019-09-30"),
        ],
        rating_rows=[], feedback_rows=[], procedure_rows=[], task_rows=[], budget_rows=[],
        self_rows=[])
    v = values(data, WINDOW, 2019)
    # received 1 (O), resolved 0, late 0
    assert v["dossiers.received_total"]["value"] == 1
    assert v["dossiers.withdrawn"]["value"] == 1
    for code in ("rate.on_time", "rate.apology", "rate.digitized", "rate.e_result",
                 "rate.paid_online", "rate.satisfaction", "rate.rating_coverage",
                 "rate.feedback_on_time"):
        assert v[code]["value"] is None, code
        assert v[code]["denominator"] == 0, code
    # late_of_received has a denominator (1) → a real 0
    assert rate(v, "rate.late_of_received") == (0.0, 0, 1)
    assert rate(v, "rate.online_dossiers") == (0.0, 0, 1)


def test_zero_denominator_for_new_dossiers():
    """Only carried-over dossiers: no new ones, so the channel shares are None."""
    data = agency(dossier_rows=[dossier("K", ONLINE, "2019-06-01", "2019-06-20",
                                        "2019-06-16")],
                  rating_rows=[], feedback_rows=[])
    v = values(data, WINDOW, 2019)
    assert v["dossiers.carried_over"]["value"] == 1
    assert v["rate.online_dossiers"]["value"] is None
    assert v["rate.postal_dossiers"]["value"] is None
    assert v["rate.on_time"]["value"] == 1.0


def test_growth_with_zero_comparable_is_none():
    data = agency(procedure_rows=catalogue(2019, 1, 0, 1) + catalogue(2018, 0, 0, 3))
    out = report(data, PERIOD, "decree09", "x", {})
    g = out["indicators"]["growth.online_procedures"]
    assert g["value"] is None and (g["numerator"], g["denominator"]) == (1, 0)
    # no 2018-Q3 postal dossier at all → growth.postal None too
    data = agency(dossier_rows=DOSSIERS[:-1])
    out = report(data, PERIOD, "decree09", "x", {})
    assert out["indicators"]["growth.postal"]["value"] is None


# ---------------------------------------------------------------------------- targets, JSON


def test_targets_met_and_comparable(result):
    out, _ = result
    ind = out["indicators"]
    # on_time 0.5 < target 0.95 → not met
    assert (ind["rate.on_time"]["target"], ind["rate.on_time"]["met"]) == (0.95, False)
    # late_of_received is lower-is-better: 1/3 > 0.01 → not met
    assert ind["rate.late_of_received"]["met"] is False
    # satisfaction 0.6 ≥ 0.5 → met
    assert ind["rate.satisfaction"]["met"] is True
    assert ind["rate.online_procedures"]["met"] is True  # 0.5 ≥ 0.3
    # no target → target and met are null
    assert ind["rate.apology"]["target"] is None and ind["rate.apology"]["met"] is None
    # a self-assessed row's own target is used when params give none: 0.9 ≥ 0.8
    assert ind["rate.self.vb_dien_tu"]["target"] == 0.8
    assert ind["rate.self.vb_dien_tu"]["met"] is True
    # comparable = the same code in 2018-Q3
    assert ind["rate.on_time"]["comparable"] == 1.0          # C1 early: 1/1
    assert ind["dossiers.new_postal"]["comparable"] == 1
    assert ind["rate.online_dossiers"]["comparable"] == 0.0  # 0 online of 1 new
    assert ind["rate.apology"]["comparable"] is None        # no late dossier in 2018-Q3
    assert ind["rate.satisfaction"]["comparable"] == 0.5     # 1 of 2 in 2018-Q3
    for code, item in ind.items():
        assert {"value", "numerator", "denominator", "target", "met", "comparable"} <= set(
            item), code


def test_lower_is_better_met():
    targets = {"rate.late_of_received": 0.5, "dossiers.pending_overdue": 1}
    out = report(agency(), PERIOD, "decree09", "x", targets)
    ind = out["indicators"]
    assert ind["rate.late_of_received"]["met"] is True   # 1/3 ≤ 0.5
    assert ind["dossiers.pending_overdue"]["met"] is True  # 1 ≤ 1


def test_json_object_keys(result):
    out, _ = result
    assert {"agency", "period", "window", "rule", "indicators", "tables"} <= set(out)
    # no clock time: the same inputs give the same bytes (the run manifest has the times)
    assert "generated_at" not in out
    assert out["agency"] == "so-vhtt-tphcm"
    assert out["period"] == "2019-Q3"
    assert out["window"] == {"start": "2019-06-15", "end": "2019-09-14"}
    assert out["rule"] == "decree09"
    # the whole object is plain JSON (no numpy scalars, no NaN)
    text = json.dumps(out, allow_nan=False)
    assert json.loads(text)["indicators"]["rate.on_time"]["value"] == 0.5


def test_dossier_flow_table_in_json(result):
    out, _ = result
    rows = out["tables"]["dossier_flow"]
    assert [r["field"] for r in rows] == ["Văn hóa", "Tổng cộng"]
    total = rows[-1]
    assert total["dossiers.received_total"] == 6
    assert total["dossiers.resolved_total"] == 4
    assert total["dossiers.pending_total"] == 2
    assert total["dossiers.withdrawn"] == 1
    for r in rows:
        assert r["dossiers.received_total"] == (r["dossiers.resolved_total"]
                                                + r["dossiers.pending_total"])


def test_calendar_rule_moves_the_window():
    """Under calendar, 2019-Q3 is 01/07–30/09/2019: D6 (received 01/09, due 30/09) is
    still pending and not due (30/09 ≥ 30/09); the rating of 15/09 now falls inside."""
    out = report(agency(), PERIOD, "calendar", "x", {})
    assert out["window"] == {"start": "2019-07-01", "end": "2019-09-30"}
    ind = out["indicators"]
    # ratings 01/07..30/09: 01/07, 02/07, 03/07, 01/08, 02/08, 15/09 = 6; satisfied 3
    assert (ind["rate.satisfaction"]["numerator"], ind["rate.satisfaction"]["denominator"]) \
        == (3, 6)
    assert ind["dossiers.pending_not_due"]["value"] == 1

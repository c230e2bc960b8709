"""The dossier-flow table of data-spec.md ("Dossier flow"), on hand-made dossiers.

Window used throughout: 2019-Q3 under ``decree09`` = 15/06/2019 – 14/09/2019.

Reading of the spec where it is silent (documented here):

- A withdrawn/refused dossier is counted in ``withdrawn`` once, in the window of its
  withdrawal: its result date, or its reception date when the export gives no result
  date. One withdrawn before the window (or after it) is not counted in this window.
- A dossier resolved *after* the window's end is still pending at the end: it lands in a
  ``pending_*`` cell according to its due date.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.indicators.dossiers import (
    FLOW_CODES,
    OUTCOME_CELLS,
    RECEIVED_CELLS,
    TOTAL_LABEL,
    DossierError,
    classify,
    flow_table,
)

START, END = date(2019, 6, 15), date(2019, 9, 14)

COLUMNS = ["dossier_id", "field", "channel", "received_on", "due_on", "resolved_on", "status",
           "apology_sent", "paid_online", "digitized", "e_result"]
DATES = ["received_on", "due_on", "resolved_on"]

DIRECT, ONLINE, POSTAL = "Trực tiếp", "Trực tuyến", "Bưu chính công ích"
VH, TT = "Văn hóa", "Thể thao"


def dossiers(rows: list[dict]) -> pd.DataFrame:
    """A ``ho_so`` frame as the store holds it: dates as datetime64[ns], NaT when open."""
    full = [{"status": None, "apology_sent": False, "paid_online": None, "digitized": False,
             "e_result": False, "resolved_on": None, **r} for r in rows]
    df = pd.DataFrame(full, columns=COLUMNS + [c for c in full[0] if c not in COLUMNS]
                      if full else COLUMNS)
    for c in DATES:
        df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    return df


def d(id_, field, channel, received, due, resolved=None, status=None, **kw) -> dict:
    return {"dossier_id": id_, "field": field, "channel": channel, "received_on": received,
            "due_on": due, "resolved_on": resolved, "status": status, **kw}


# One row per case; the comment says where it must land in window 15/06–14/09/2019.
CASES = [
    # --- Văn hóa
    # received on the first day, resolved the same day, due later → new_offline, early
    d("A1", VH, DIRECT, "2019-06-15", "2019-06-20", "2019-06-15"),
    # resolved on the last day, which is its due day → new_online, on_time
    d("A2", VH, ONLINE, "2019-09-01", "2019-09-14", "2019-09-14"),
    # resolved on the last day, due earlier → new_online, late
    d("A3", VH, ONLINE, "2019-09-01", "2019-09-10", "2019-09-14"),
    # received before the start, resolved inside on its due day → carried_over, on_time
    d("A4", VH, DIRECT, "2019-06-01", "2019-06-20", "2019-06-20"),
    # received before the start by post, still open, due before the end
    #   → carried_over (not new_postal: it is not new), pending_overdue
    d("A5", VH, POSTAL, "2019-05-20", "2019-06-10"),
    # resolved the day before the start → not in the table
    d("A6", VH, DIRECT, "2019-05-01", "2019-05-10", "2019-06-14"),
    # received the day after the end → not in the table
    d("A7", VH, ONLINE, "2019-09-15", "2019-09-20"),
    # withdrawn inside the window → withdrawn only
    d("A8", VH, DIRECT, "2019-07-01", "2019-07-10", "2019-07-05", status="Rút hồ sơ"),
    # withdrawn, but closed before the window → nowhere
    d("A11", VH, DIRECT, "2019-05-01", "2019-05-10", "2019-05-05", status="Rút hồ sơ"),
    # an ordinary status is not a withdrawal → new_offline, early
    d("A10", VH, DIRECT, "2019-08-01", "2019-08-10", "2019-08-05", status="Đã giải quyết"),
    # --- Thể thao
    # refused, no result date, received inside the window → withdrawn only
    d("A9", TT, ONLINE, "2019-07-01", "2019-07-10", status="Từ chối"),
    # refused, no result date, received before the window → counted in its own window
    d("A12", TT, ONLINE, "2019-05-01", "2019-05-10", status="Từ chối"),
    # new by post, open, due after the end → new_offline + new_postal, pending_not_due
    d("B1", TT, POSTAL, "2019-08-01", "2019-09-20"),
    # open, due ON the end day → pending_not_due (due_on ≥ end)
    d("B2", TT, DIRECT, "2019-09-10", "2019-09-14"),
    # open, due the day before the end → pending_overdue
    d("B3", TT, DIRECT, "2019-09-01", "2019-09-13"),
    # by post, resolved only after the end, due inside → new_offline + new_postal,
    # pending_overdue (unresolved at the end)
    d("B4", TT, POSTAL, "2019-07-01", "2019-07-10", "2019-09-20"),
    # carried over, resolved inside after its due day → carried_over, late
    d("B5", TT, ONLINE, "2019-06-10", "2019-06-30", "2019-07-05"),
    # received and resolved the day before the start → not in the table
    d("B6", TT, DIRECT, "2019-06-14", "2019-06-14", "2019-06-14"),
]

EXPECTED_CELLS = {
    "A1": ("new_offline", "resolved_early"),
    "A2": ("new_online", "resolved_on_time"),
    "A3": ("new_online", "resolved_late"),
    "A4": ("carried_over", "resolved_on_time"),
    "A5": ("carried_over", "pending_overdue"),
    "A8": ("withdrawn", "withdrawn"),
    "A10": ("new_offline", "resolved_early"),
    "A9": ("withdrawn", "withdrawn"),
    "B1": ("new_offline", "pending_not_due"),
    "B2": ("new_offline", "pending_not_due"),
    "B3": ("new_offline", "pending_overdue"),
    "B4": ("new_offline", "pending_overdue"),
    "B5": ("carried_over", "resolved_late"),
}

# Counted by hand from the comments above.
# Văn hóa: A1 A2 A3 A4 A5 A10 in the table, A8 withdrawn; A6 A7 A11 out.
#   carried_over  = A4, A5              = 2
#   new_online    = A2, A3              = 2
#   new_offline   = A1, A10             = 2   (no postal among them → new_postal 0)
#   received      = 2 + 2 + 2           = 6
#   early = A1, A10 = 2; on_time = A2, A4 = 2; late = A3 = 1 → resolved 5
#   pending_not_due = 0; pending_overdue = A5 = 1 → pending 1;  6 = 5 + 1 ✓
VH_ROW = dict(carried_over=2, new_online=2, new_offline=2, new_postal=0, received_total=6,
              resolved_early=2, resolved_on_time=2, resolved_late=1, resolved_total=5,
              pending_not_due=0, pending_overdue=1, pending_total=1, withdrawn=1)
# Thể thao: B1 B2 B3 B4 B5 in the table, A9 withdrawn; B6 out.
#   carried_over = B5 = 1; new_online = 0; new_offline = B1 B2 B3 B4 = 4 (postal B1 B4 = 2)
#   received 5; late = B5 = 1 → resolved 1
#   pending_not_due = B1, B2 = 2; pending_overdue = B3, B4 = 2 → pending 4;  5 = 1 + 4 ✓
TT_ROW = dict(carried_over=1, new_online=0, new_offline=4, new_postal=2, received_total=5,
              resolved_early=0, resolved_on_time=0, resolved_late=1, resolved_total=1,
              pending_not_due=2, pending_overdue=2, pending_total=4, withdrawn=1)
# Tổng cộng = VH + TT: received 11 = resolved 6 + pending 5 ✓
TOTAL_ROW = {k: VH_ROW[k] + TT_ROW[k] for k in VH_ROW}


def test_expected_rows_are_consistent():
    """The hand counts themselves satisfy the spec's sums."""
    for row in (VH_ROW, TT_ROW, TOTAL_ROW):
        assert row["received_total"] == (row["carried_over"] + row["new_online"]
                                         + row["new_offline"])
        assert row["resolved_total"] == (row["resolved_early"] + row["resolved_on_time"]
                                         + row["resolved_late"])
        assert row["pending_total"] == row["pending_not_due"] + row["pending_overdue"]
        assert row["received_total"] == row["resolved_total"] + row["pending_total"]
    assert TOTAL_ROW["received_total"] == 11 and TOTAL_ROW["withdrawn"] == 2


def test_each_dossier_lands_in_its_cells():
    cls = classify(dossiers(CASES), START, END)
    got = {r.dossier_id: (r.received_cell, r.outcome_cell) for r in cls.itertuples()}
    assert got == EXPECTED_CELLS
    # the dossiers outside the window are left out entirely
    assert not {"A6", "A7", "A11", "A12", "B6"} & set(cls["dossier_id"])
    postal = set(cls.loc[cls["postal"], "dossier_id"])
    assert postal == {"B1", "B4"}  # A5 is postal but carried over, not new


def test_flow_table_rows():
    table = flow_table(dossiers(CASES), START, END)
    assert list(table.columns) == ["field", *FLOW_CODES]
    # one row per lĩnh vực (sorted by name: "Thể thao" < "Văn hóa") then the total row
    assert list(table["field"]) == [TT, VH, TOTAL_LABEL]
    assert TOTAL_LABEL == "Tổng cộng"
    rows = {r["field"]: {k: int(r[k]) for k in FLOW_CODES} for _, r in table.iterrows()}
    assert rows[VH] == VH_ROW
    assert rows[TT] == TT_ROW
    assert rows[TOTAL_LABEL] == TOTAL_ROW


def test_identity_on_every_row():
    table = flow_table(dossiers(CASES), START, END)
    for _, r in table.iterrows():
        assert r["received_total"] == r["resolved_total"] + r["pending_total"]


def test_total_row_is_the_sum_of_field_rows():
    table = flow_table(dossiers(CASES), START, END)
    fields, total = table.iloc[:-1], table.iloc[-1]
    for code in FLOW_CODES:
        assert int(fields[code].sum()) == int(total[code])


def test_single_cases_on_the_boundaries():
    """Each boundary case alone, so a failure names the case."""
    def only(row):
        t = flow_table(dossiers([row]), START, END).iloc[-1]
        return {k: int(t[k]) for k in FLOW_CODES if int(t[k]) and not k.endswith("_total")}

    # resolved on the first day, due the same day → on time
    assert only(d("x", VH, DIRECT, "2019-06-15", "2019-06-15", "2019-06-15")) == {
        "new_offline": 1, "resolved_on_time": 1}
    # resolved on the last day, one day late
    assert only(d("x", VH, DIRECT, "2019-09-01", "2019-09-13", "2019-09-14")) == {
        "new_offline": 1, "resolved_late": 1}
    # carried over, resolved on the first day, early
    assert only(d("x", VH, ONLINE, "2019-06-01", "2019-06-20", "2019-06-15")) == {
        "carried_over": 1, "resolved_early": 1}
    # carried over and still open past its due day
    assert only(d("x", VH, ONLINE, "2019-06-01", "2019-06-05")) == {
        "carried_over": 1, "pending_overdue": 1}
    # carried over from the previous year, still open and not due yet
    assert only(d("x", VH, DIRECT, "2018-12-20", "2019-12-31")) == {
        "carried_over": 1, "pending_not_due": 1}
    # due on the end day, open → not yet due
    assert only(d("x", VH, POSTAL, "2019-09-14", "2019-09-14")) == {
        "new_offline": 1, "new_postal": 1, "pending_not_due": 1}
    # received on the last day, online, resolved after the window, due after it
    assert only(d("x", VH, ONLINE, "2019-09-14", "2019-09-20", "2019-09-16")) == {
        "new_online": 1, "pending_not_due": 1}
    # resolved before the start / received after the end → empty table
    assert only(d("x", VH, DIRECT, "2019-06-01", "2019-06-14", "2019-06-14")) == {}
    assert only(d("x", VH, DIRECT, "2019-09-15", "2019-09-15", "2019-09-15")) == {}
    # refused postal dossier: counted apart only, not in new_postal
    assert only(d("x", VH, POSTAL, "2019-07-01", "2019-07-05", "2019-07-02",
                  status="Từ chối")) == {"withdrawn": 1}


def test_no_dossier_in_window_gives_a_zero_total_row():
    table = flow_table(dossiers([CASES[5]]), START, END)  # A6 only: resolved before start
    assert list(table["field"]) == [TOTAL_LABEL]
    assert all(int(table.iloc[-1][k]) == 0 for k in FLOW_CODES)


def test_missing_field_gets_its_own_row():
    rows = [d("x", None, DIRECT, "2019-07-01", "2019-07-05", "2019-07-05"),
            d("y", VH, DIRECT, "2019-07-01", "2019-07-05", "2019-07-04")]
    table = flow_table(dossiers(rows), START, END)
    assert sorted(table["field"][:-1]) == ["(không ghi lĩnh vực)", VH]
    assert table.iloc[-1]["field"] == TOTAL_LABEL
    missing = table[table["field"] == "(không ghi lĩnh vực)"].iloc[0]
    assert int(missing["resolved_on_time"]) == 1 and int(missing["received_total"]) == 1
    assert int(table.iloc[-1]["resolved_total"]) == 2


# ---------------------------------------------------------------------------- errors


def test_resolved_before_received_names_its_row():
    df = dossiers([
        d("OK1", VH, DIRECT, "2019-07-01", "2019-07-05", "2019-07-03"),
        d("BAD", VH, DIRECT, "2019-07-10", "2019-07-15", "2019-07-09"),  # result before receipt
    ])
    df["_file"] = "ho_so/2019/mot-cua.xlsx"
    df["_row"] = [12, 13]
    with pytest.raises(DossierError) as exc:
        flow_table(df, START, END)
    msg = str(exc.value)
    assert "mot-cua.xlsx" in msg and "13" in msg and "BAD" in msg


def test_due_before_received_is_an_error():
    df = dossiers([d("BAD", VH, DIRECT, "2019-07-10", "2019-07-09")])
    df["_file"] = "x.csv"
    df["_row"] = [5]
    with pytest.raises(DossierError, match="dòng 5"):
        classify(df, START, END)


def test_dossier_error_is_a_value_error():
    df = dossiers([d("BAD", VH, DIRECT, "2019-07-10", "2019-07-15", "2019-07-01")])
    with pytest.raises(ValueError):
        flow_table(df, START, END)


# ---------------------------------------------------------------------------- property

CHANNELS = [DIRECT, ONLINE, POSTAL]
STATUSES = [None, "Đã giải quyết", "Đang giải quyết", "Rút hồ sơ", "Từ chối"]
FIELDS = [VH, TT, "Du lịch"]


@st.composite
def dossier_rows(draw):
    # received from 60 days before the start to 30 days after the end
    received = START + timedelta(days=draw(st.integers(-60, (END - START).days + 30)))
    due = received + timedelta(days=draw(st.integers(0, 30)))
    resolved = draw(st.one_of(st.none(), st.integers(0, 90).map(
        lambda n: received + timedelta(days=n))))
    return {"field": draw(st.sampled_from(FIELDS)), "channel": draw(st.sampled_from(CHANNELS)),
            "received_on": received, "due_on": due, "resolved_on": resolved,
            "status": draw(st.sampled_from(STATUSES))}


def expected_cells(r: dict) -> tuple[str, str] | None:
    """The spec's definitions, applied to one dossier (None: not in the table)."""
    if r["received_on"] > END:
        return None
    if r["resolved_on"] is not None and r["resolved_on"] < START:
        return None
    if r["status"] in ("Rút hồ sơ", "Từ chối"):
        withdrawn_on = r["resolved_on"] or r["received_on"]
        return ("withdrawn", "withdrawn") if START <= withdrawn_on <= END else None
    if r["received_on"] < START:
        rec = "carried_over"
    else:
        rec = "new_online" if r["channel"] == ONLINE else "new_offline"
    res = r["resolved_on"]
    if res is not None and res <= END:
        out = ("resolved_early" if res < r["due_on"] else
               "resolved_on_time" if res == r["due_on"] else "resolved_late")
    else:
        out = "pending_not_due" if r["due_on"] >= END else "pending_overdue"
    return rec, out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(dossier_rows(), min_size=0, max_size=30))
def test_property_every_dossier_in_exactly_one_cell(rows):
    rows = [{"dossier_id": f"D{i}", **r} for i, r in enumerate(rows)]
    df = dossiers(rows) if rows else dossiers([]).iloc[0:0]
    cls = classify(df, START, END)

    want = {r["dossier_id"]: expected_cells(r) for r in rows}
    belonging = {k for k, v in want.items() if v is not None}
    # dossiers not belonging land nowhere; each belonging one appears exactly once
    assert sorted(cls["dossier_id"]) == sorted(belonging)
    for r in cls.itertuples():
        if r.received_cell == "withdrawn":
            assert r.outcome_cell == "withdrawn"
        else:
            assert r.received_cell in RECEIVED_CELLS
            assert r.outcome_cell in OUTCOME_CELLS
        assert (r.received_cell, r.outcome_cell) == want[r.dossier_id]

    table = flow_table(df, START, END)
    assert table.iloc[-1]["field"] == TOTAL_LABEL
    for _, row in table.iterrows():
        assert row["received_total"] == row["resolved_total"] + row["pending_total"]
        assert row["received_total"] == (row["carried_over"] + row["new_online"]
                                         + row["new_offline"])
        assert 0 <= row["new_postal"] <= row["new_offline"]
    # the total row counts every belonging dossier exactly once
    total = table.iloc[-1]
    in_table = [v for v in want.values() if v is not None]
    assert int(total["received_total"]) + int(total["withdrawn"]) == len(in_table)
    assert int(total["withdrawn"]) == sum(v[0] == "withdrawn" for v in in_table)
    for cell in RECEIVED_CELLS:
        assert int(total[cell]) == sum(v[0] == cell for v in in_table)
    for cell in OUTCOME_CELLS:
        assert int(total[cell]) == sum(v[1] == cell for v in in_table)
    postal = sum(1 for r in rows if want[r["dossier_id"]] not in (None, ("withdrawn",) * 2)
                 and r["channel"] == POSTAL and r["received_on"] >= START)
    assert int(total["new_postal"]) == postal

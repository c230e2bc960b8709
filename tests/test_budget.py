"""The plan budget (data-spec.md, ``kinh_phi``): amounts are whole VND, "1.800.000" is one
million eight hundred thousand; planned and spent per area with a total row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.indicators.budget import TOTAL_LABEL, by_area, totals
from helpers.ingest.cells import CellError, parse_money

ROOT = Path(__file__).resolve().parents[1]
DONG_NAI = ROOT / "sample" / "plans" / "so-vhttdl-dong-nai-2019-budget.csv"


def small() -> pd.DataFrame:
    return pd.DataFrame([
        dict(area="Cải cách TTHC", item="a", planned_vnd=1_000_000, spent_vnd=500_000),
        dict(area="Hiện đại hóa", item="c", planned_vnd=3_000_000, spent_vnd=3_000_000),
        dict(area="Cải cách TTHC", item="b", planned_vnd=2_000_000, spent_vnd=None),
    ])


def test_by_area_small():
    table = by_area(small())
    # areas in the order they first appear, then the total row
    assert list(table["area"]) == ["Cải cách TTHC", "Hiện đại hóa", TOTAL_LABEL]
    rows = {r["area"]: (int(r["items"]), int(r["planned_vnd"]), int(r["spent_vnd"]))
            for _, r in table.iterrows()}
    # Cải cách TTHC: 2 items, planned 1.000.000 + 2.000.000 = 3.000.000, spent 500.000 + 0
    assert rows["Cải cách TTHC"] == (2, 3_000_000, 500_000)
    assert rows["Hiện đại hóa"] == (1, 3_000_000, 3_000_000)
    # total: 3 items, 6.000.000 planned, 3.500.000 spent
    assert rows[TOTAL_LABEL] == (3, 6_000_000, 3_500_000)


def test_totals_small():
    assert totals(small()) == (6_000_000, 3_500_000)


def test_empty_budget():
    empty = pd.DataFrame(columns=["area", "item", "planned_vnd", "spent_vnd"])
    assert totals(empty) == (0, 0)
    assert by_area(empty).empty


@pytest.mark.parametrize(
    ("text", "vnd"),
    [("1.800.000", 1_800_000), ("900.000", 900_000), ("60.000.000", 60_000_000),
     ("25.000.000 đ", 25_000_000), ("1800000", 1_800_000), (1_800_000, 1_800_000),
     ("", None)],
)
def test_parse_money(text, vnd):
    assert parse_money(text) == vnd


@pytest.mark.parametrize("bad", ["1.800.000,5", "-1.000", "abc"])
def test_parse_money_rejects(bad):
    with pytest.raises(CellError):
        parse_money(bad)


def dong_nai() -> pd.DataFrame:
    raw = pd.read_csv(DONG_NAI, dtype=str, keep_default_na=False)
    return raw.assign(planned_vnd=[parse_money(v) for v in raw["planned_vnd"]],
                      spent_vnd=None)


def test_dong_nai_budget_sums_to_sixty_million():
    b = dong_nai()
    assert len(b) == 12
    # 1.800.000 × 6 + 1.000.000 + 900.000 + 15.000.000 + 1.500.000 + 5.800.000 + 25.000.000
    #   = 10.800.000 + 49.200.000 = 60.000.000 (the document's Tổng cộng)
    assert 1_800_000 * 6 + 1_000_000 + 900_000 + 15_000_000 + 1_500_000 + 5_800_000 \
        + 25_000_000 == 60_000_000
    assert sum(b["planned_vnd"]) == 60_000_000
    assert totals(b) == (60_000_000, 0)


def test_dong_nai_by_area():
    table = by_area(dong_nai())
    rows = {r["area"]: (int(r["items"]), int(r["planned_vnd"])) for _, r in table.iterrows()}
    assert rows == {
        "Cải cách TTHC": (3, 4_600_000),                     # 1,8 + 1,8 + 1,0 triệu
        "Cải cách tổ chức bộ máy": (1, 900_000),
        "Xây dựng và nâng cao chất lượng cán bộ, công chức, viên chức":
            (3, 18_600_000),                                 # 1,8 + 1,8 + 15 triệu
        "Cải cách tài chính công": (1, 1_800_000),
        "Hiện đại hóa nền hành chính": (3, 9_100_000),       # 1,5 + 1,8 + 5,8 triệu
        "Công tác chỉ đạo, điều hành": (1, 25_000_000),
        TOTAL_LABEL: (12, 60_000_000),
    }
    assert list(table["area"])[-1] == TOTAL_LABEL


def test_spending_no_export_records_is_null_not_zero():
    """A budget export without the optional "Đã thực hiện" column (the store lists it in
    ``attrs["absent_columns"]``): spending is unknown on every row, the table says so."""
    from helpers.present.tables import budget as budget_table

    plan = small().drop(columns="spent_vnd")
    plan["spent_vnd"] = None
    plan.attrs["absent_columns"] = ("spent_vnd",)
    table = by_area(plan)
    assert list(table["planned_vnd"]) == [3_000_000, 3_000_000, 6_000_000]
    assert table["spent_vnd"].isna().all()
    shown = str(budget_table(table))
    assert shown.count("không có dữ liệu") == 3  # two areas and the total
    assert "0 đ" not in shown.replace("000 đ", "")  # no spending of zero anywhere
    # the column is there but every cell empty: the same
    empty = small().assign(spent_vnd=None)
    assert by_area(empty)["spent_vnd"].isna().all()

"""The plan budget (dự toán kinh phí): planned and spent by area, with totals."""

from __future__ import annotations

import pandas as pd

from . import rates

TOTAL_LABEL = "Tổng cộng"


def by_area(budget: pd.DataFrame) -> pd.DataFrame:
    """Planned and spent per area (nhiệm vụ chung), plus a total row. An empty cell of
    spending counts 0; spending that no export records at all (the optional column absent,
    or empty throughout) is null on every row, "không có dữ liệu", never 0."""
    if budget.empty:
        return pd.DataFrame(columns=["area", "items", "planned_vnd", "spent_vnd"])
    spent_known = rates.known(budget, "spent_vnd")
    b = budget.assign(planned_vnd=budget["planned_vnd"].fillna(0).astype("int64"),
                      spent_vnd=budget["spent_vnd"].fillna(0).astype("int64")
                      if spent_known else 0)
    table = (b.groupby("area", sort=False)
             .agg(items=("item", "size"), planned_vnd=("planned_vnd", "sum"),
                  spent_vnd=("spent_vnd", "sum"))
             .reset_index())
    total = pd.DataFrame([{"area": TOTAL_LABEL, "items": int(table["items"].sum()),
                           "planned_vnd": int(table["planned_vnd"].sum()),
                           "spent_vnd": int(table["spent_vnd"].sum())}])
    out = pd.concat([table, total], ignore_index=True)
    if not spent_known:
        out["spent_vnd"] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out


def totals(budget: pd.DataFrame) -> tuple[int, int]:
    if budget.empty:
        return 0, 0
    return (int(budget["planned_vnd"].fillna(0).sum()), int(budget["spent_vnd"].fillna(0).sum()))

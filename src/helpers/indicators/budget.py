"""The plan budget (dự toán kinh phí): planned and spent by area, with totals."""

from __future__ import annotations

import pandas as pd

TOTAL_LABEL = "Tổng cộng"


def by_area(budget: pd.DataFrame) -> pd.DataFrame:
    """Planned and spent per area (nhiệm vụ chung), plus a total row; spent may be empty."""
    if budget.empty:
        return pd.DataFrame(columns=["area", "items", "planned_vnd", "spent_vnd"])
    b = budget.assign(planned_vnd=budget["planned_vnd"].fillna(0).astype("int64"),
                      spent_vnd=budget["spent_vnd"].fillna(0).astype("int64"))
    table = (b.groupby("area", sort=False)
             .agg(items=("item", "size"), planned_vnd=("planned_vnd", "sum"),
                  spent_vnd=("spent_vnd", "sum"))
             .reset_index())
    total = pd.DataFrame([{"area": TOTAL_LABEL, "items": int(table["items"].sum()),
                           "planned_vnd": int(table["planned_vnd"].sum()),
                           "spent_vnd": int(table["spent_vnd"].sum())}])
    return pd.concat([table, total], ignore_index=True)


def totals(budget: pd.DataFrame) -> tuple[int, int]:
    if budget.empty:
        return 0, 0
    return (int(budget["planned_vnd"].fillna(0).sum()), int(budget["spent_vnd"].fillna(0).sum()))

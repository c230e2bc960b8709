"""The official dossier-flow table ("tình hình, kết quả giải quyết TTHC").

Each dossier that belongs to a window lands in exactly one *received* cell (carried over,
new online, new offline) and exactly one *outcome* cell (resolved early, on time, late;
pending not yet due, pending overdue), so received_total = resolved_total + pending_total
on every row. Withdrawn or refused dossiers leave the table and are counted apart.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..params import ONLINE, POSTAL, WITHDRAWN_STATUSES
from .periods import Window

RECEIVED_CELLS = ("carried_over", "new_online", "new_offline")
OUTCOME_CELLS = ("resolved_early", "resolved_on_time", "resolved_late",
                 "pending_not_due", "pending_overdue")
FLOW_CODES = (
    "carried_over", "new_online", "new_offline", "new_postal", "received_total",
    "resolved_early", "resolved_on_time", "resolved_late", "resolved_total",
    "pending_not_due", "pending_overdue", "pending_total", "withdrawn",
)
TOTAL_LABEL = "Tổng cộng"


class DossierError(ValueError):
    """A dossier whose dates contradict each other; names its source row."""


def check_dates(dossiers: pd.DataFrame) -> None:
    bad = dossiers[(dossiers["resolved_on"] < dossiers["received_on"])
                   | (dossiers["due_on"] < dossiers["received_on"])]
    if len(bad):
        r = bad.iloc[0]
        where = f"{r.get('_file', '?')} dòng {r.get('_row', '?')}"
        raise DossierError(f"{len(bad)} hồ sơ có ngày trả/hẹn trả trước ngày tiếp nhận, "
                           f"đầu tiên: {where} (mã {r['dossier_id']})")


def classify(dossiers: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Add ``received_cell`` and ``outcome_cell`` (or ``withdrawn``) for the window;
    dossiers outside the window get neither and are left out."""
    check_dates(dossiers)
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    received = dossiers["received_on"]
    resolved = dossiers["resolved_on"]
    status = dossiers["status"].astype("string") if "status" in dossiers else None
    withdrawn = (status.isin(WITHDRAWN_STATUSES).fillna(False).astype(bool)
                 if status is not None else pd.Series(False, index=dossiers.index))
    in_table = (received <= e) & ~(resolved.notna() & (resolved < s))
    # a withdrawn or refused dossier is counted once, in the window of its withdrawal
    # (its result date; its reception date when the export gives none)
    withdrawn_on = resolved.fillna(received)
    in_table &= ~withdrawn | ((withdrawn_on >= s) & (withdrawn_on <= e))
    df = dossiers[in_table].copy()
    wd = withdrawn[in_table].to_numpy()
    online = (df["channel"] == ONLINE).fillna(False).to_numpy(dtype=bool)
    carried = (df["received_on"] < s).to_numpy()
    rec = np.where(carried, "carried_over", np.where(online, "new_online", "new_offline"))
    res = df["resolved_on"]
    done = (res.notna() & (res <= e)).to_numpy()
    due = df["due_on"]
    outcome = np.select(
        [done & (res < due).fillna(False).to_numpy(), done & (res == due).fillna(False).to_numpy(),
         done, (due >= e).to_numpy()],
        ["resolved_early", "resolved_on_time", "resolved_late", "pending_not_due"],
        default="pending_overdue")
    df["received_cell"] = np.where(wd, "withdrawn", rec)
    df["outcome_cell"] = np.where(wd, "withdrawn", outcome)
    df["postal"] = (df["channel"] == POSTAL).fillna(False).astype(bool) & ~carried
    return df


def _counts(part: pd.DataFrame) -> dict[str, int]:
    """The flow codes of classified dossiers; the identity is checked, never assumed."""
    c = {k: 0 for k in FLOW_CODES}
    for k, v in part["received_cell"].value_counts().items():
        c[k] = int(v)
    for k, v in part["outcome_cell"].value_counts().items():
        if k != "withdrawn":
            c[k] = int(v)
    c["new_postal"] = int((part["postal"] & (part["received_cell"] != "withdrawn")).sum())
    c["received_total"] = c["carried_over"] + c["new_online"] + c["new_offline"]
    c["resolved_total"] = c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
    c["pending_total"] = c["pending_not_due"] + c["pending_overdue"]
    if c["received_total"] != c["resolved_total"] + c["pending_total"]:
        raise AssertionError(f"identity broken: {c}")
    return c


def flow(dossiers: pd.DataFrame, window: Window) -> pd.DataFrame:
    """The dossiers of a window, one row each, with the cells they land in
    (``received_cell``, ``outcome_cell``, ``postal``): the frame an analyst filters (by
    unit, procedure, channel …) before the table and the figures are made from it."""
    return classify(dossiers, window.start, window.end)


def flow_table(dossiers: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """One row per lĩnh vực plus a final ``Tổng cộng`` row; columns are the flow codes."""
    return table(classify(dossiers, start, end))


def table(df: pd.DataFrame) -> pd.DataFrame:
    """The official table of a flow (``flow``): a row per lĩnh vực and the total row."""
    rows = []
    groups = sorted(df.groupby("field", dropna=False),
                    key=lambda kv: (pd.isna(kv[0]), str(kv[0])))  # "không ghi" last
    for name, part in groups:
        rows.append({"field": "(không ghi lĩnh vực)" if pd.isna(name) else str(name),
                     **_counts(part)})
    total = _counts(df) if len(df) else {k: 0 for k in FLOW_CODES}
    rows.append({"field": TOTAL_LABEL, **total})
    return pd.DataFrame(rows, columns=["field", *FLOW_CODES])

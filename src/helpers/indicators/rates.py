"""Rates, counts and growth of the spec, each from the frame it is about.

Every indicator is ``{"value", "numerator", "denominator"}``; a rate whose denominator is
zero has value ``None`` — "không phát sinh", never 0% or 100%. Each function takes the
frame(s) it needs and returns a mapping from code to indicator, so a notebook can call
one with a filtered frame and see the same figures the report shows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..params import ONLINE_LEVELS_COUNTED, SATISFIED
from ..text import slug
from .dossiers import FLOW_CODES, table
from .periods import Window

Indicator = dict[str, Any]
RESOLVED_CELLS = ("resolved_early", "resolved_on_time", "resolved_late")


def indicator(value: Any, numerator: Any = None, denominator: Any = None) -> Indicator:
    return {"value": value, "numerator": numerator, "denominator": denominator}


def rate(num: int, den: int) -> Indicator:
    return indicator(None if den == 0 else num / den, int(num), int(den))


def growth(this: int | None, before: int | None) -> Indicator:
    """(this − before) / before; null when either is unknown or ``before`` is zero."""
    if this is None or before is None or before == 0:
        return indicator(None, this, before)
    return indicator((this - before) / before, int(this), int(before))


def present(frame: pd.DataFrame, column: str) -> bool:
    """Whether the exports had the column at all (the store lists in
    ``attrs["absent_columns"]`` the optional columns no file of the table had)."""
    return column in frame and column not in frame.attrs.get("absent_columns", ())


def known(frame: pd.DataFrame, column: str) -> bool:
    """Whether an optional column holds anything: an export without it gives null
    figures ("không có dữ liệu"), never 0."""
    return present(frame, column) and bool(frame[column].notna().any())


def in_window(series: pd.Series, window: Window) -> pd.Series:
    return (series >= pd.Timestamp(window.start)) & (series <= pd.Timestamp(window.end))


def dossier_counts(flow: pd.DataFrame) -> dict[str, int]:
    """The ``dossiers.*`` totals of a flow (the total row of its table)."""
    total = table(flow).iloc[-1]
    return {code: int(total[code]) for code in FLOW_CODES}


def dossier_rates(flow: pd.DataFrame) -> dict[str, Indicator]:
    """``dossiers.*`` and the rates over them, from a window's flow (``dossiers.flow``)."""
    t = dossier_counts(flow)
    out = {f"dossiers.{code}": indicator(v) for code, v in t.items()}
    resolved = flow[flow["outcome_cell"].isin(RESOLVED_CELLS)]
    late = resolved[resolved["outcome_cell"] == "resolved_late"]
    new = t["new_online"] + t["new_offline"]

    def count(frame: pd.DataFrame, column: str) -> int:
        return int(frame[column].fillna(False).astype(bool).sum()) if column in frame else 0

    def share(frame: pd.DataFrame, column: str) -> Indicator:
        """A rate over an optional boolean column: null (no data), not 0%, when the
        export has no such column (nothing in it for any dossier of the window)."""
        if not known(flow, column):
            return indicator(None)
        return rate(count(frame, column), len(frame))

    out["rate.on_time"] = rate(t["resolved_early"] + t["resolved_on_time"], t["resolved_total"])
    out["rate.late_of_received"] = rate(t["resolved_late"], t["received_total"])
    out["rate.apology"] = share(late, "apology_sent")
    out["rate.online_dossiers"] = rate(t["new_online"], new)
    out["rate.postal_dossiers"] = rate(t["new_postal"], new)
    out["rate.direct_dossiers"] = rate(t["new_offline"] - t["new_postal"], new)
    out["rate.digitized"] = share(resolved, "digitized")
    out["rate.e_result"] = share(resolved, "e_result")
    if not known(flow, "status"):  # no status column: withdrawals cannot be told
        out["dossiers.withdrawn"] = indicator(None)
    with_fee = resolved[resolved["paid_online"].notna()] if "paid_online" in resolved \
        else resolved.iloc[0:0]
    # an empty cell is a dossier without a fee: only a missing column is "no data"
    out["rate.paid_online"] = rate(count(with_fee, "paid_online"), len(with_fee)) \
        if present(flow, "paid_online") else indicator(None)
    return out


def satisfaction_by_channel(ratings: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Ratings of the window per channel: ``channel``, ``satisfied``, ``ratings``, ``rate``."""
    r = ratings[in_window(ratings["rated_on"], window)] if len(ratings) else ratings
    if r.empty:
        return pd.DataFrame(columns=["channel", "satisfied", "ratings", "rate"])
    g = (r.assign(ok=r["result"].isin(SATISFIED))
         .groupby("channel", sort=True).agg(satisfied=("ok", "sum"), ratings=("ok", "size"))
         .reset_index())
    g["satisfied"] = g["satisfied"].astype(int)
    g["rate"] = g["satisfied"] / g["ratings"]
    return g


def satisfaction(ratings: pd.DataFrame, window: Window) -> dict[str, Indicator]:
    """``rate.satisfaction`` overall and per channel, ``ratings.*`` counts."""
    by = satisfaction_by_channel(ratings, window)
    n, ok = int(by["ratings"].sum()), int(by["satisfied"].sum())
    out = {"ratings.total": indicator(n), "rate.satisfaction": rate(ok, n)}
    for row in by.itertuples(index=False):
        code = slug(row.channel)
        out[f"ratings.{code}"] = indicator(int(row.ratings))
        out[f"rate.satisfaction.{code}"] = rate(int(row.satisfied), int(row.ratings))
    return out


def feedback(pakn: pd.DataFrame, window: Window) -> dict[str, Indicator]:
    """Feedback received in the window, due in it, and handled by its due date."""
    if pakn.empty:
        return {"feedback.received": indicator(0), "feedback.due": indicator(0),
                "rate.feedback_on_time": rate(0, 0)}
    received = int(in_window(pakn["received_on"], window).sum())
    due = pakn[in_window(pakn["due_on"], window)]
    on_time = int((due["resolved_on"].notna() & (due["resolved_on"] <= due["due_on"])).sum())
    return {"feedback.received": indicator(received), "feedback.due": indicator(len(due)),
            "rate.feedback_on_time": rate(on_time, len(due))}


def procedures(catalogue: pd.DataFrame) -> dict[str, Indicator]:
    """Counts and shares of the procedure catalogue of one year."""
    if catalogue.empty:
        return {}
    online = int(catalogue["online_level"].isin(ONLINE_LEVELS_COUNTED).sum())

    def yes(column: str) -> int:
        return int(catalogue[column].fillna(False).astype(bool).sum())

    return {
        "procedures.total": indicator(len(catalogue)),
        "procedures.online": indicator(online),
        "procedures.online_full": indicator(int((catalogue["online_level"] == "Toàn trình")
                                                .sum())),
        "procedures.postal": indicator(yes("postal") if known(catalogue, "postal") else None),
        "rate.online_procedures": rate(online, len(catalogue)),
        "rate.published_procedures": rate(yes("published"), len(catalogue))
        if known(catalogue, "published") else indicator(None),
    }


def self_assessed(chi_so: pd.DataFrame) -> dict[str, Indicator]:
    """Figures with no record source (``chi_so``): a rate where numerator and denominator
    are given (``rate.self.<code>``), else the value as written (``self.<code>``); each
    keeps its own name and the target written beside it."""
    out = {}
    for _, row in chi_so.iterrows():
        num, den = row.get("numerator"), row.get("denominator")
        if pd.notna(num) and pd.notna(den):
            item = indicator(None if den == 0 else float(num) / float(den), float(num),
                             float(den))
        else:
            item = indicator(None if pd.isna(row.get("value")) else float(row["value"]))
        item["name"] = str(row["name"])
        item["source_target"] = None if pd.isna(row.get("target")) else float(row["target"])
        prefix = "rate.self" if item["denominator"] is not None else "self"
        out[f"{prefix}.{slug(row['code'])}"] = item
    return out

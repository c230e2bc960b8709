"""The national service index (Quyết định 766/QĐ-TTg), per agency and period.

``measure`` computes, from an agency's frames, every ratio its exports support (numerator,
denominator, and the rows counted against it); ``score`` turns ratios into points with the
weights of ``params/index766.yml``: points = max × ratio, capped at max. An item the
exports cannot measure is "không có dữ liệu" (no points, its maximum shown); a ratio with a
zero denominator is "không phát sinh" (no points; its maximum leaves the measured maximum).
When no feedback (PAKN) was received at all, the feedback items' points are split equally
over the group's other items, as the national portal's formula sheet says.

Tiến độ (``index766.tien_do``) is not ``rate.on_time``: it counts the dossiers still
pending at the window's end, and those already overdue count against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..params import INDEX766_MEASURES, RATING_RESULTS
from .dossiers import OUTCOME_CELLS
from .periods import Window

UNSATISFIED = RATING_RESULTS[-1]  # "Không hài lòng"
RESOLVED = OUTCOME_CELLS[:3]
ON_TIME = ("resolved_early", "resolved_on_time", "pending_not_due")
NEW = ("new_online", "new_offline")
UNLINKED = "(lượt đánh giá không ghi mã hồ sơ)"
TOTAL = "index766.total"
STATES = {"measured": "", "no_data": "không có dữ liệu", "not_arising": "không phát sinh",
          "moved": "không có phản ánh, kiến nghị"}


@dataclass(frozen=True)
class Ratio:
    """A measured ratio and the rows of its denominator that are not in its numerator:
    dossiers (``unit="dossier"``), procedures or feedback."""

    numerator: int
    denominator: int
    lost: pd.DataFrame
    unit: str


@dataclass(frozen=True)
class Inputs:
    """What the measures read: the window's dossier flow (``dossiers.flow``), the plan
    year's procedure catalogue, the ratings and the feedback."""

    flow: pd.DataFrame
    catalogue: pd.DataFrame
    ratings: pd.DataFrame
    feedback: pd.DataFrame
    window: Window


def _yes(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].fillna(False).astype(bool)


def _ratio(denominator: pd.DataFrame, ok: pd.Series, unit: str) -> Ratio:
    ok = ok.astype(bool)
    return Ratio(int(ok.sum()), len(denominator), denominator[~ok], unit)


def _table(x: Inputs) -> pd.DataFrame:
    """The dossiers of the form (received or processed in the window, not withdrawn)."""
    return x.flow[x.flow["outcome_cell"] != "withdrawn"] if len(x.flow) else x.flow


def progress(x: Inputs) -> Ratio:
    """(resolved early + on time + pending not yet due) / received_total."""
    t = _table(x)
    return _ratio(t, t["outcome_cell"].isin(ON_TIME), "dossier")


def online_full(x: Inputs) -> Ratio:
    """New online dossiers of Toàn trình procedures / new dossiers of those procedures."""
    t = _table(x)
    full = set(x.catalogue.loc[x.catalogue["online_level"] == "Toàn trình", "procedure_code"]) \
        if len(x.catalogue) else set()
    of = t[t["received_cell"].isin(NEW) & t["procedure_code"].isin(full)]
    return _ratio(of, of["received_cell"] == "new_online", "dossier")


def paid_online(x: Inputs) -> Ratio:
    """New dossiers paid online / new dossiers with a fee (an empty cell: no fee)."""
    t = _table(x)
    new = t[t["received_cell"].isin(NEW)]
    fee = new[new["paid_online"].notna()] if "paid_online" in new else new.iloc[0:0]
    return _ratio(fee, _yes(fee, "paid_online"), "dossier")


def e_result(x: Inputs) -> Ratio:
    t = _table(x)
    resolved = t[t["outcome_cell"].isin(RESOLVED)]
    return _ratio(resolved, _yes(resolved, "e_result"), "dossier")


def digitized(x: Inputs) -> Ratio:
    t = _table(x)
    return _ratio(t, _yes(t, "digitized"), "dossier")


def published_procedures(x: Inputs) -> Ratio:
    return _ratio(x.catalogue, _yes(x.catalogue, "published"), "procedure")


def feedback_on_time(x: Inputs) -> Ratio:
    """(feedback resolved by its due date within the window + pending at the window's end
    and not yet due) / feedback received or processed in the window."""
    f = x.feedback
    if f.empty:
        return Ratio(0, 0, f, "feedback")
    s, e = pd.Timestamp(x.window.start), pd.Timestamp(x.window.end)
    res = f["resolved_on"]
    f = f[(f["received_on"] <= e) & ~(res.notna() & (res < s))]
    res = f["resolved_on"]
    done = res.notna() & (res <= e)
    ok = (done & (res <= f["due_on"])) | (~done & (f["due_on"] >= e))
    return _ratio(f, ok, "feedback")


def dossier_satisfaction(x: Inputs) -> Ratio:
    """(resolved − resolved late − unsatisfied) / resolved. An unsatisfied rating that
    names its dossier counts that dossier once (and not again if it was late); one that
    names none counts as one dossier."""
    t = _table(x)
    resolved = t[t["outcome_cell"].isin(RESOLVED)]
    r = x.ratings
    if len(r):
        s, e = pd.Timestamp(x.window.start), pd.Timestamp(x.window.end)
        r = r[(r["rated_on"] >= s) & (r["rated_on"] <= e) & (r["result"] == UNSATISFIED)]
    ids = r["dossier_id"] if "dossier_id" in r else pd.Series(pd.NA, index=r.index)
    linked = set(ids.dropna().astype(str))
    bad = (resolved["outcome_cell"] == "resolved_late") | \
        resolved["dossier_id"].astype(str).isin(linked)
    unlinked = int(ids.isna().sum())
    lost = pd.concat([resolved[bad], pd.DataFrame({"procedure_name": [UNLINKED] * unlinked})],
                     ignore_index=True)
    num = max(0, len(resolved) - int(bad.sum()) - unlinked)
    return Ratio(num, len(resolved), lost, "dossier")


MEASURES = {f.__name__: f for f in (published_procedures, progress, online_full, paid_online,
                                    e_result, digitized, feedback_on_time,
                                    dossier_satisfaction)}
if tuple(MEASURES) != INDEX766_MEASURES:  # params.py validates the names index766.yml uses
    raise RuntimeError("index766: the measures and params.INDEX766_MEASURES differ")


def measure(x: Inputs) -> dict[str, Ratio]:
    """Every measure of the index on one agency's inputs."""
    return {name: fn(x) for name, fn in MEASURES.items()}


def _maxima(group: dict[str, Any], no_feedback: bool) -> dict[str, float]:
    """Each item's maximum, the feedback items' moved to the others when there was none."""
    items = group["items"]
    moved = [i for i in items if no_feedback and i.get("feedback")]
    rest = [i for i in items if i not in moved]
    extra = sum(i["max"] for i in moved) / len(rest) if moved and rest else 0.0
    return {i["key"]: (0.0 if i in moved else i["max"] + extra) for i in items}


def _item(item: dict[str, Any], top: float, ratio: Ratio | None, group: str) -> dict[str, Any]:
    out = {"value": None, "numerator": None, "denominator": None, "points": None,
           "max": top, "group": group, "name": item["name"]}
    if ratio is not None:
        out["numerator"], out["denominator"] = ratio.numerator, ratio.denominator
        if ratio.denominator:
            out["value"] = ratio.numerator / ratio.denominator
    if top == 0:
        out["state"] = "moved"
    elif item.get("measure") is None:
        out["state"] = "no_data"
    elif out["value"] is None:
        out["state"] = "not_arising"
    else:
        out["state"] = "measured"
        out["points"] = top * min(1.0, out["value"])
    return out


def score(ratios: dict[str, Ratio], config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``index766.<item>`` for every item of ``config`` (``params.index766``) and
    ``index766.total`` (points over ``max``; ``measured_max``: the maximum of what could
    be measured)."""
    fb = ratios.get("feedback_on_time")
    no_feedback = fb is None or fb.denominator == 0
    out: dict[str, dict[str, Any]] = {}
    for group in config.get("groups") or []:
        tops = _maxima(group, no_feedback)
        for item in group["items"]:
            ratio = ratios.get(item["measure"]) if item.get("measure") else None
            out[f"index766.{item['key']}"] = _item(item, tops[item["key"]], ratio,
                                                   group["key"])
    if out:
        scored = [i for i in out.values() if i["points"] is not None]
        points = sum(i["points"] for i in scored)
        out[TOTAL] = {"value": points, "numerator": None, "denominator": None,
                      "points": points, "max": float(config.get("total", 100)),
                      "measured_max": sum(i["max"] for i in scored)}
    return out


def index(x: Inputs, config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return score(measure(x), config)


def summed(children: list[dict[str, dict[str, Any]]], config: dict[str, Any]
           ) -> dict[str, dict[str, Any]]:
    """A parent's index from its children's ``indicators`` (their outputs): each measured
    item's numerators and denominators summed, then scored like one agency's."""
    ratios: dict[str, Ratio] = {}
    empty = pd.DataFrame()
    for group in config.get("groups") or []:
        for item in group["items"]:
            code, m = f"index766.{item['key']}", item.get("measure")
            have = [c[code] for c in children if c.get(code, {}).get("denominator") is not None]
            if m and have:
                ratios[m] = Ratio(sum(int(i["numerator"]) for i in have),
                                  sum(int(i["denominator"]) for i in have), empty, "")
    return score(ratios, config)


def costs(ratios: dict[str, Ratio], scored: dict[str, dict[str, Any]],
          config: dict[str, Any], top: int = 10) -> dict[str, list[tuple[dict, pd.DataFrame]]]:
    """Per group, for each scored item, the procedures (or feedback topics) that cost it
    the most points: ``key``, ``name``, ``field``, ``count`` (rows counted against the
    item) and ``points`` lost (max × count / denominator), the ``top`` largest first."""
    out: dict[str, list[tuple[dict, pd.DataFrame]]] = {}
    for group in config.get("groups") or []:
        for item in group["items"]:
            s = scored.get(f"index766.{item['key']}", {})
            ratio = ratios.get(item.get("measure") or "")
            if s.get("points") is None or ratio is None or ratio.lost.empty:
                continue
            out.setdefault(group["key"], []).append(
                (item, _ranked(ratio, s["max"], top)))
    return out


def _text(frame: pd.DataFrame, column: str, empty: str = "") -> pd.Series:
    if column not in frame:
        return pd.Series(empty, index=frame.index, dtype="string")
    return frame[column].astype("string").fillna(empty)


def _ranked(ratio: Ratio, top_points: float, top: int) -> pd.DataFrame:
    """The lost rows counted per procedure (its code; name and lĩnh vực as first written)
    or, for feedback, per topic."""
    lost = ratio.lost
    if ratio.unit == "feedback":
        keys = pd.DataFrame({"key": _text(lost, "topic", "(không ghi nội dung)"),
                             "name": _text(lost, "topic", "(không ghi nội dung)"),
                             "field": _text(lost, "field")})
    else:
        keys = pd.DataFrame({"key": _text(lost, "procedure_code"),
                             "name": _text(lost, "procedure_name"), "field": _text(lost, "field")})
        keys.loc[keys["key"] == "", "key"] = keys["name"]
    g = (keys.groupby("key", sort=False).agg(name=("name", "first"), field=("field", "first"),
                                             count=("name", "size"))
         .reset_index().sort_values(["count", "key"], ascending=[False, True], kind="stable"))
    g["count"] = g["count"].astype(int)
    g["points"] = top_points * g["count"] / ratio.denominator
    return g.head(top).reset_index(drop=True)[["key", "name", "field", "count", "points"]]

"""A parent's compiled report (Sở Nội vụ or UBND compiling for its Sở and xã): the
children's figures read from their own ``indicators.json`` (their outputs, never their
frames), summed into the parent's ``dossiers.*``, one row per child under
``tables.children``, the official form with a section per level, and the children ranked
by the national index.

Children keep their own cut-off rule: a child whose rule differs from the parent's is
summed over its own window, and the rows say which window that is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..text import fold
from . import index766, official_form, rates
from .catalogue import higher_is_better
from .dossiers import FLOW_CODES
from .periods import Period
from .targets import met

Report = dict[str, Any]
# sections of the compiled form, in order, and the agency levels each holds (folded);
# a level named in none is a Sở, ban, ngành
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Sở, ban, ngành", ()),
    ("UBND cấp huyện", ("huyen", "quan", "thi xa", "thanh pho thuoc tinh")),
    ("UBND cấp xã", ("xa", "phuong", "thi tran", "dac khu")),
)
RATES = ("rate.on_time", "rate.late_of_received", "rate.online_dossiers",
         "rate.direct_dossiers", "rate.postal_dossiers")


def section_of(level: str | None) -> str:
    key = fold(level or "")
    return next((name for name, levels in SECTIONS if key in levels), SECTIONS[0][0])


def child_row(child: Mapping[str, Any], period: Period, report: Report | None,
              status: str | None) -> dict[str, Any]:
    """One child's row of ``tables.children``: who it is, its window, whether it has
    reported, and (when it has) its dossier figures and index points."""
    w = period.window(child["rule"])
    row: dict[str, Any] = {
        "agency": child["id"], "name": child.get("short_name") or child["name"],
        "full_name": child["name"], "level": child.get("level", ""),
        "section": section_of(child.get("level")), "rule": child["rule"],
        "window": {"start": w.start.isoformat(), "end": w.end.isoformat()},
        "reported": report is not None, "status": status}
    if report is None:
        return row
    ind = report["indicators"]
    row.update({f"dossiers.{c}": int(ind[f"dossiers.{c}"]["value"]) for c in FLOW_CODES
                if f"dossiers.{c}" in ind})
    row["rate.on_time"] = ind.get("rate.on_time", {}).get("value")
    total = ind.get(index766.TOTAL)
    if total:
        groups: dict[str, float] = {}
        for code, i in ind.items():
            if code.startswith("index766.") and i.get("group") and i.get("points") is not None:
                groups[i["group"]] = groups.get(i["group"], 0.0) + i["points"]
        row.update({"index766.points": total["points"],
                    "index766.measured_max": total["measured_max"],
                    "index766.groups": groups,
                    "index766.tien_do": ind.get("index766.tien_do", {}).get("value")})
    return row


def summed_counts(reports: list[Report]) -> dict[str, int]:
    """Each flow code summed over the children's ``dossiers.*``."""
    return {c: sum(int(r["indicators"][f"dossiers.{c}"]["value"]) for r in reports
                   if f"dossiers.{c}" in r["indicators"]) for c in FLOW_CODES}


def _comparable(reports: list[Report], code: str) -> int | None:
    got = [r["indicators"].get(code, {}).get("comparable") for r in reports]
    return sum(got) if got and all(v is not None for v in got) else None


def indicators(reports: list[Report], config: dict[str, Any], targets: dict[str, float]
               ) -> dict[str, dict[str, Any]]:
    """The parent's indicators: the children's dossier counts summed, the rates of those
    sums, and the national index of their summed numerators and denominators."""
    t = summed_counts(reports)
    now: dict[str, dict[str, Any]] = {f"dossiers.{c}": rates.indicator(v) for c, v in t.items()}
    new = t["new_online"] + t["new_offline"]
    now["rate.on_time"] = rates.rate(t["resolved_early"] + t["resolved_on_time"],
                                     t["resolved_total"])
    now["rate.late_of_received"] = rates.rate(t["resolved_late"], t["received_total"])
    now["rate.online_dossiers"] = rates.rate(t["new_online"], new)
    now["rate.direct_dossiers"] = rates.rate(t["new_offline"] - t["new_postal"], new)
    now["rate.postal_dossiers"] = rates.rate(t["new_postal"], new)
    now.update(index766.summed([r["indicators"] for r in reports], config))
    out = {}
    for code in sorted(now):
        item = dict(now[code])
        item["target"] = targets.get(code)
        item["met"] = met(item["value"], item["target"], higher_is_better(code))
        item["comparable"] = _comparable(reports, code) if code.startswith("dossiers.") else None
        out[code] = item
    return out


def form_sections(rows: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, dict]]]]:
    """The compiled form's sections: per level, a (name, cells) row per reported child."""
    out = []
    for name, _ in SECTIONS:
        members = [(r["name"], official_form.cells(r, "dossiers.")) for r in rows
                   if r["section"] == name and r["reported"]]
        if members:
            out.append((name, members))
    return out


def report(parent: Mapping[str, Any], period: Period, children: list[Mapping[str, Any]],
           reports: Mapping[str, Report], statuses: Mapping[str, str],
           config: dict[str, Any], targets: dict[str, float] | None = None) -> Report:
    """The parent's ``indicators.json`` object. ``children`` are the declared children
    (id, name, short_name, level, rule); ``reports`` the ``indicators.json`` of those that
    have one for the period; ``statuses`` the run manifest's word for the others."""
    window = period.window(parent["rule"])
    comp = period.comparable.window(parent["rule"])
    rows = [child_row(c, period, reports.get(c["id"]), statuses.get(c["id"]))
            for c in children]
    got = [reports[c["id"]] for c in children if c["id"] in reports]
    return {
        "agency": parent["id"], "period": period.id, "period_label": period.label,
        "window": {"start": window.start.isoformat(), "end": window.end.isoformat()},
        "comparable_window": {"start": comp.start.isoformat(), "end": comp.end.isoformat()},
        "rule": parent["rule"], "compiled": True,
        "indicators": indicators(got, config, targets or {}),
        "tables": {"children": rows},
    }


def ranking(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Reported children by their index points over the maximum they could be measured
    on (so a child with nothing to pay online is not ranked down for it), then by id."""
    got = [r for r in rows if r["reported"] and r.get("index766.measured_max")]
    frame = pd.DataFrame([{
        "agency": r["agency"], "name": r["name"], "points": r["index766.points"],
        "measured_max": r["index766.measured_max"],
        "share": r["index766.points"] / r["index766.measured_max"],
        "groups": r.get("index766.groups", {})} for r in got],
        columns=["agency", "name", "points", "measured_max", "share", "groups"])
    frame = frame.sort_values(["share", "agency"], ascending=[False, True], kind="stable")
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame.reset_index(drop=True)

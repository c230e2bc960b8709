"""The indicators of one agency and period: every code of the catalogue the data supports,
with its target, whether it is met, and its value in the comparable period.

``report`` gives the object written to ``indicators.json``. It holds no clock time: the
same inputs give the same bytes; when a report was made is the run manifest's business.
"""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd

from . import budget as budget_mod
from . import dossiers, index766, rates
from . import tasks as tasks_mod
from .catalogue import higher_is_better
from .periods import Period, Window
from .targets import met, unit_of_procedures, unit_targets


class Frames(Protocol):
    """The normalised tables of one agency (``helpers.ingest.store.Frames``)."""

    ho_so: pd.DataFrame
    thu_tuc: pd.DataFrame
    danh_gia: pd.DataFrame
    pakn: pd.DataFrame
    nhiem_vu: pd.DataFrame
    kinh_phi: pd.DataFrame
    chi_so: pd.DataFrame


def of_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows of a plan table (catalogue, tasks, budget, self-assessed) for one year."""
    if frame.empty or "year" not in frame:
        return frame.iloc[0:0]
    return frame[frame["year"] == year]


def absent(frame: pd.DataFrame) -> bool:
    """A table no export holds (the store marks it ``attrs["absent"]``), as opposed to
    one read with no rows: its figures are null ("không có dữ liệu"), not zero."""
    return frame.empty and bool(frame.attrs.get("absent"))


def has_data(dossiers: pd.DataFrame, tasks: pd.DataFrame, window: Window) -> bool:
    """Whether there is anything to report: a dossier of the window, or a task of the
    plan (``tasks``: the plan year's rows)."""
    s, e = pd.Timestamp(window.start), pd.Timestamp(window.end)
    any_dossier = not dossiers.empty and bool(((dossiers["received_on"] <= e) & (
        dossiers["resolved_on"].isna() | (dossiers["resolved_on"] >= s))).any())
    return any_dossier or not tasks.empty


def index_inputs(frames: Frames, window: Window, year: int, flow: pd.DataFrame | None
                 ) -> index766.Inputs:
    """What the national index (QĐ 766) reads of an agency for one window and plan year."""
    if flow is None:
        flow = (dossiers.flow(frames.ho_so, window) if not frames.ho_so.empty
                else dossiers.classify(frames.ho_so, window.start, window.end))
    return index766.Inputs(flow, of_year(frames.thu_tuc, year), frames.danh_gia, frames.pakn,
                           window)


def values(frames: Frames, window: Window, year: int, flow: pd.DataFrame | None = None,
           index_config: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Indicator values (without targets and comparables) for one window and plan year.
    ``flow`` is the window's dossier flow when the caller has one (it may be filtered);
    ``index_config`` (``params.index766``) adds the national index ``index766.*``."""
    out: dict[str, dict[str, Any]] = {}
    if flow is None and not frames.ho_so.empty:
        flow = dossiers.flow(frames.ho_so, window)
    if index_config and index_config.get("groups"):
        out.update(index766.index(index_inputs(frames, window, year, flow), index_config))
    if flow is not None:
        out.update(rates.dossier_rates(flow))
    # an optional table missing from the exports gives no figures ("không có dữ liệu"),
    # not zeros: only a table that is there can say that nothing happened
    if absent(frames.danh_gia):
        out.update({c: rates.indicator(None) for c in ("ratings.total", "rate.satisfaction",
                                                       "rate.rating_coverage")})
    elif not frames.danh_gia.empty or flow is not None:
        out.update(rates.satisfaction(frames.danh_gia, window))
        if "dossiers.resolved_total" in out:
            out["rate.rating_coverage"] = rates.rate(out["ratings.total"]["value"],
                                                     out["dossiers.resolved_total"]["value"])
    if absent(frames.pakn):
        out.update({c: rates.indicator(None) for c in ("feedback.received", "feedback.due",
                                                       "rate.feedback_on_time")})
    elif not frames.pakn.empty or flow is not None:
        out.update(rates.feedback(frames.pakn, window))
    out.update(rates.procedures(of_year(frames.thu_tuc, year)))
    plan = of_year(frames.nhiem_vu, year)
    if not plan.empty:
        out.update(_tasks(plan, window, year))
    bud = of_year(frames.kinh_phi, year)
    if not bud.empty:
        planned, spent = budget_mod.totals(bud)
        out["budget.planned"] = rates.indicator(planned)
        if rates.known(bud, "spent_vnd"):
            out["budget.spent"] = rates.indicator(spent)
            out["rate.budget_spent"] = rates.rate(spent, planned)
        else:
            out["budget.spent"] = out["rate.budget_spent"] = rates.indicator(None)
    out.update(rates.self_assessed(of_year(frames.chi_so, year)))
    return out


# task codes that need each optional column of the plan: without the column, null
_TASK_NEEDS = {"status": ("tasks.done", "tasks.done_late", "tasks.overdue", "tasks.in_progress",
                          "tasks.not_started", "tasks.continuing", "rate.tasks_done"),
               "deadline": ("tasks.due", "tasks.overdue", "tasks.in_progress",
                            "tasks.not_started", "tasks.continuing", "rate.tasks_done")}


def _tasks(plan: pd.DataFrame, window: Window, year: int) -> dict[str, dict[str, Any]]:
    counts = tasks_mod.task_counts(tasks_mod.task_states(plan, window.end, year))
    out = {code: rates.indicator(v) for code, v in counts.items() if code != "tasks.due_done"}
    out["rate.tasks_done"] = rates.rate(counts["tasks.due_done"], counts["tasks.due"])
    for column, codes in _TASK_NEEDS.items():
        if not rates.known(plan, column):
            out.update({code: rates.indicator(None) for code in codes})
    return out


def comparable_frames(frames: Frames, window: Window) -> Frames:
    """The frames the comparable period's figures come from: without the copies of
    year-less tables (a catalogue kept for every year says nothing of last year), and
    without a table that has no row at all in that window (its export is missing, not
    empty): their figures are then null, "không có số liệu cùng kỳ"."""
    from types import SimpleNamespace

    s, e = pd.Timestamp(window.start), pd.Timestamp(window.end)

    def dated(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[~frame["_every_year"].astype(bool)] if "_every_year" in frame else frame

    def missing(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.iloc[0:0].copy()
        out.attrs["absent"] = True
        return out

    def any_in(frame: pd.DataFrame, *cols: str) -> bool:
        return any(bool(((frame[c] >= s) & (frame[c] <= e)).any()) for c in cols if c in frame)

    ho_so = frames.ho_so
    if not ho_so.empty and not bool(((ho_so["received_on"] <= e) & (
            ho_so["resolved_on"].isna() | (ho_so["resolved_on"] >= s))).any()):
        ho_so = ho_so.iloc[0:0]
    return SimpleNamespace(  # type: ignore[return-value]
        ho_so=ho_so,
        danh_gia=frames.danh_gia if any_in(frames.danh_gia, "rated_on")
        else missing(frames.danh_gia),
        pakn=frames.pakn if any_in(frames.pakn, "received_on", "due_on")
        else missing(frames.pakn),
        thu_tuc=dated(frames.thu_tuc), nhiem_vu=dated(frames.nhiem_vu),
        kinh_phi=dated(frames.kinh_phi), chi_so=dated(frames.chi_so))


def _value(d: dict[str, dict[str, Any]], code: str) -> Any:
    return d.get(code, {}).get("value")


def compare(now: dict[str, dict[str, Any]], before: dict[str, dict[str, Any]],
            targets: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Each indicator with its growth, target, ``met`` and comparable value."""
    now = dict(now)
    now["growth.online_procedures"] = rates.growth(_value(now, "procedures.online"),
                                                   _value(before, "procedures.online"))
    if "dossiers.new_postal" in now:
        now["growth.postal"] = rates.growth(_value(now, "dossiers.new_postal"),
                                            _value(before, "dossiers.new_postal"))
    out: dict[str, dict[str, Any]] = {}
    for code in sorted(now):
        item = dict(now[code])
        target = targets.get(code, item.pop("source_target", None))
        item.pop("source_target", None)
        item["target"] = target
        item["met"] = met(item["value"], target, higher_is_better(code))
        # a growth already compares with the year before: it has no comparable of its own
        item["comparable"] = None if code.startswith("growth.") else _value(before, code)
        out[code] = {k: item[k] for k in ("value", "numerator", "denominator", "target",
                                          "met", "comparable")} | {
            k: item[k] for k in EXTRA_KEYS if k in item}
    return out


# what some indicators carry besides the spec's fields: a self-assessed figure's name; the
# national index's points, maximum, group and state (measured, no data, not arising, moved)
EXTRA_KEYS = ("name", "points", "max", "measured_max", "group", "state")


def report(frames: Frames, period: Period, rule: str, agency: str,
           targets: dict[str, float], unit_specs: list[dict[str, Any]] | None = None,
           flow: pd.DataFrame | None = None, index_config: dict[str, Any] | None = None
           ) -> dict[str, Any]:
    """The ``indicators.json`` object of the spec for one agency and period.

    ``flow`` is the period's dossier flow as the notebook holds it (perhaps filtered by
    an analyst): the figures are then those of the table shown beside them."""
    window = period.window(rule)  # type: ignore[arg-type]
    comp_window = period.comparable.window(rule)  # type: ignore[arg-type]
    now = values(frames, window, period.year, flow, index_config)
    before = values(comparable_frames(frames, comp_window), comp_window, period.year - 1,
                    index_config=index_config)
    flow = flow if flow is not None else (dossiers.flow(frames.ho_so, window)
                                          if not frames.ho_so.empty else None)
    return {
        "agency": agency,
        "period": period.id,
        "period_label": period.label,
        "window": {"start": window.start.isoformat(), "end": window.end.isoformat()},
        "comparable_window": {"start": comp_window.start.isoformat(),
                              "end": comp_window.end.isoformat()},
        "rule": rule,
        "indicators": compare(now, before, targets),
        "tables": tables(frames, period, window, flow, unit_specs),
    }


def tables(frames: Frames, period: Period, window: Window, flow: pd.DataFrame | None,
           unit_specs: list[dict[str, Any]] | None) -> dict[str, Any]:
    """The per-row tables of ``indicators.json``: dossier flow by lĩnh vực, tasks by group
    and lead, budget by area, targets by unit."""
    out: dict[str, Any] = {}
    if flow is not None:
        out["dossier_flow"] = [
            {"field": row["field"], **{f"dossiers.{c}": int(row[c]) for c in dossiers.FLOW_CODES}}
            for _, row in dossiers.table(flow).iterrows()]
    plan = of_year(frames.nhiem_vu, period.year)
    if not plan.empty:
        states = tasks_mod.task_states(plan, window.end, period.year)
        for column, name in (("group", "tasks_by_group"), ("lead", "tasks_by_lead")):
            summary = tasks_mod.summary_by(states.assign(**{column: states[column]
                                                            .fillna("(không ghi)")}), column)
            out[name] = [
                {column: str(k), **{f"tasks.{c}": int(v) for c, v in row.items()},
                 "rate.tasks_done": int(row["due_done"]) / int(row["due"]) if row["due"] else None}
                for k, row in summary.iterrows()]
    bud = of_year(frames.kinh_phi, period.year)
    if not bud.empty:
        out["budget_by_area"] = [
            {"area": str(r["area"]), "items": int(r["items"]),
             "budget.planned": int(r["planned_vnd"]),
             "budget.spent": None if pd.isna(r["spent_vnd"]) else int(r["spent_vnd"]),
             "rate.budget_spent": int(r["spent_vnd"]) / int(r["planned_vnd"])
             if r["planned_vnd"] and not pd.isna(r["spent_vnd"]) else None}
            for _, r in budget_mod.by_area(bud).iterrows()]
    cat = of_year(frames.thu_tuc, period.year)
    # per-unit targets need the unit of each dossier (the optional "Đơn vị xử lý")
    if unit_specs and not cat.empty and rates.known(frames.ho_so, "unit"):
        year_dossiers = frames.ho_so[frames.ho_so["received_on"].dt.year == period.year]
        out["targets_by_unit"] = unit_targets(cat, unit_of_procedures(year_dossiers), unit_specs)
    return out

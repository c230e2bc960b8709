"""Indicators of ``data-spec.md`` for one agency and period, with their comparable values.

Every indicator is an object with ``value``, ``numerator``, ``denominator`` (rates and
growth), ``target``, ``met`` and ``comparable``. A rate whose denominator is zero has value
``None`` — shown as "không phát sinh", never 0% or 100%.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from . import budget as budget_mod
from . import dossiers as dossiers_mod
from . import tasks as tasks_mod
from .periods import Period, Window
from .spec import SATISFIED
from .targets import met
from .text import slug

ONLINE_LEVELS_COUNTED = ("Toàn trình", "Một phần")
# indicators where a lower value is better (a target is a ceiling)
LOWER_IS_BETTER = {"rate.late_of_received", "dossiers.pending_overdue", "tasks.overdue"}


@dataclass
class AgencyData:
    """The tables of one agency, as loaded from the store (all years that matter)."""

    dossiers: pd.DataFrame
    procedures: pd.DataFrame
    ratings: pd.DataFrame
    feedback: pd.DataFrame
    tasks: pd.DataFrame
    budget: pd.DataFrame
    self_assessed: pd.DataFrame
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, store, agency: str, years: list[int]) -> AgencyData:
        from .store import load_table

        def t(name: str) -> pd.DataFrame:
            return load_table(store, agency, name, years)

        return cls(t("ho_so"), t("thu_tuc"), t("danh_gia"), t("pakn"), t("nhiem_vu"),
                   t("kinh_phi"), t("chi_so"))

    def of_year(self, frame: pd.DataFrame, year: int) -> pd.DataFrame:
        if frame.empty or "year" not in frame:
            return frame.iloc[0:0]
        return frame[frame["year"] == year]

    def has_data(self, window: Window, year: int) -> bool:
        s, e = pd.Timestamp(window.start), pd.Timestamp(window.end)
        d = self.dossiers
        any_dossier = not d.empty and bool(((d["received_on"] <= e) & (
            d["resolved_on"].isna() | (d["resolved_on"] >= s))).any())
        return any_dossier or not self.of_year(self.tasks, year).empty


def _ind(value: Any, numerator: Any = None, denominator: Any = None) -> dict[str, Any]:
    return {"value": value, "numerator": numerator, "denominator": denominator}


def _rate(num: int, den: int) -> dict[str, Any]:
    return _ind(None if den == 0 else num / den, int(num), int(den))


def _growth(this: int | None, before: int | None) -> dict[str, Any]:
    if this is None or before is None or before == 0:
        return _ind(None, this, before)
    return _ind((this - before) / before, int(this), int(before))


def _in(series: pd.Series, window: Window) -> pd.Series:
    return (series >= pd.Timestamp(window.start)) & (series <= pd.Timestamp(window.end))


def raw_values(data: AgencyData, window: Window, year: int) -> tuple[dict[str, dict], dict]:
    """Indicator values (without targets and comparables) for one window and plan year,
    and the tables they come from."""
    out: dict[str, dict[str, Any]] = {}
    tables: dict[str, Any] = {}

    # dossiers: the flow table and the rates over it
    if not data.dossiers.empty:
        cls = dossiers_mod.classify(data.dossiers, window.start, window.end)
        flow = dossiers_mod.flow_of(cls)
        tables["dossier_flow"] = flow
        total = flow.iloc[-1]
        for code in dossiers_mod.FLOW_CODES:
            out[f"dossiers.{code}"] = _ind(int(total[code]))
        resolved = cls[cls["outcome_cell"].isin(["resolved_early", "resolved_on_time",
                                                 "resolved_late"])]
        late = resolved[resolved["outcome_cell"] == "resolved_late"]
        t = {k: int(total[k]) for k in dossiers_mod.FLOW_CODES}
        new = t["new_online"] + t["new_offline"]
        out["rate.on_time"] = _rate(t["resolved_early"] + t["resolved_on_time"],
                                    t["resolved_total"])
        out["rate.late_of_received"] = _rate(t["resolved_late"], t["received_total"])
        out["rate.apology"] = _rate(int(late["apology_sent"].fillna(False).sum()), len(late))
        out["rate.online_dossiers"] = _rate(t["new_online"], new)
        out["rate.postal_dossiers"] = _rate(t["new_postal"], new)
        out["rate.digitized"] = _rate(int(resolved["digitized"].fillna(False).sum()),
                                      len(resolved))
        out["rate.e_result"] = _rate(int(resolved["e_result"].fillna(False).sum()), len(resolved))
        with_fee = resolved[resolved["paid_online"].notna()]
        out["rate.paid_online"] = _rate(int(with_fee["paid_online"].astype(bool).sum()),
                                        len(with_fee))

    # satisfaction ratings
    if not data.ratings.empty or not data.dossiers.empty:
        r = data.ratings[_in(data.ratings["rated_on"], window)] if not data.ratings.empty \
            else data.ratings
        n = len(r)
        ok = r["result"].isin(SATISFIED) if n else pd.Series(dtype=bool)
        out["ratings.total"] = _ind(n)
        out["rate.satisfaction"] = _rate(int(ok.sum()) if n else 0, n)
        for channel, part in (r.groupby("channel") if n else []):
            code = slug(channel)
            out[f"ratings.{code}"] = _ind(len(part))
            out[f"rate.satisfaction.{code}"] = _rate(int(part["result"].isin(SATISFIED).sum()),
                                                     len(part))
        if "dossiers.resolved_total" in out:
            out["rate.rating_coverage"] = _rate(n, out["dossiers.resolved_total"]["value"])

    # feedback (phản ánh, kiến nghị)
    if not data.feedback.empty or not data.dossiers.empty:
        f = data.feedback
        received = int(_in(f["received_on"], window).sum()) if not f.empty else 0
        due = f[_in(f["due_on"], window)] if not f.empty else f
        on_time = int((due["resolved_on"].notna() & (due["resolved_on"] <= due["due_on"])).sum()
                      ) if len(due) else 0
        out["feedback.received"] = _ind(received)
        out["feedback.due"] = _ind(len(due))
        out["rate.feedback_on_time"] = _rate(on_time, len(due))

    # procedure catalogue of the period's year
    cat = data.of_year(data.procedures, year)
    if not cat.empty:
        online = int(cat["online_level"].isin(ONLINE_LEVELS_COUNTED).sum())
        out["procedures.total"] = _ind(len(cat))
        out["procedures.online"] = _ind(online)
        out["procedures.online_full"] = _ind(int((cat["online_level"] == "Toàn trình").sum()))
        out["procedures.postal"] = _ind(int(cat["postal"].fillna(False).sum()))
        out["rate.online_procedures"] = _rate(online, len(cat))
        out["rate.published_procedures"] = _rate(int(cat["published"].fillna(False).sum()),
                                                 len(cat))

    # plan tasks
    plan = data.of_year(data.tasks, year)
    if not plan.empty:
        states = tasks_mod.task_states(plan, window.end, year)
        tables["tasks"] = states
        counts = tasks_mod.task_counts(states)
        for code, v in counts.items():
            if code != "tasks.due_done":
                out[code] = _ind(v)
        out["rate.tasks_done"] = _rate(counts["tasks.due_done"], counts["tasks.due"])

    # budget
    bud = data.of_year(data.budget, year)
    if not bud.empty:
        planned, spent = budget_mod.totals(bud)
        tables["budget"] = budget_mod.by_area(bud)
        out["budget.planned"] = _ind(planned)
        out["budget.spent"] = _ind(spent)
        out["rate.budget_spent"] = _rate(spent, planned)

    # self-assessed figures (no record source)
    for _, row in data.of_year(data.self_assessed, year).iterrows():
        num, den = row.get("numerator"), row.get("denominator")
        if pd.notna(num) and pd.notna(den):
            item = _ind(None if den == 0 else float(num) / float(den), float(num), float(den))
        else:
            item = _ind(None if pd.isna(row.get("value")) else float(row["value"]))
        item["name"] = str(row["name"])
        item["source_target"] = None if pd.isna(row.get("target")) else float(row["target"])
        prefix = "rate.self" if item["denominator"] is not None else "self"
        out[f"{prefix}.{slug(row['code'])}"] = item
    return out, tables


def compute(data: AgencyData, period: Period, rule: str, targets: dict[str, float],
            agency: str, unit_specs: list[dict[str, Any]] | None = None
            ) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """The ``indicators.json`` object of the spec for one agency and period, and the
    frames behind it (dossier flow, task states, budget by area) for the report."""
    window = period.window(rule)  # type: ignore[arg-type]
    comp_window = period.comparable.window(rule)  # type: ignore[arg-type]
    now, now_tables = raw_values(data, window, period.year)
    before, before_tables = raw_values(data, comp_window, period.year - 1)
    if "dossier_flow" in before_tables:
        now_tables["comparable_dossier_flow"] = before_tables["dossier_flow"]

    def value(d: dict, code: str) -> Any:
        return d.get(code, {}).get("value")

    now["growth.online_procedures"] = _growth(value(now, "procedures.online"),
                                              value(before, "procedures.online"))
    if "dossiers.new_postal" in now:
        now["growth.postal"] = _growth(value(now, "dossiers.new_postal"),
                                       value(before, "dossiers.new_postal"))
    indicators: dict[str, dict[str, Any]] = {}
    for code in sorted(now):
        item = dict(now[code])
        target = targets.get(code, item.pop("source_target", None))
        item.pop("source_target", None)
        item["target"] = target
        item["met"] = met(item["value"], target, code not in LOWER_IS_BETTER)
        # a growth already compares with the year before: it has no comparable of its own
        item["comparable"] = None if code.startswith("growth.") else value(before, code)
        indicators[code] = {k: item[k] for k in ("value", "numerator", "denominator", "target",
                                                 "met", "comparable")} | (
            {"name": item["name"]} if "name" in item else {})
    tables: dict[str, Any] = {}
    if "dossier_flow" in now_tables:
        tables["dossier_flow"] = [
            {"field": row["field"], **{f"dossiers.{c}": int(row[c])
                                       for c in dossiers_mod.FLOW_CODES}}
            for _, row in now_tables["dossier_flow"].iterrows()]
    if "tasks" in now_tables:
        for column, name in (("group", "tasks_by_group"), ("lead", "tasks_by_lead")):
            st = now_tables["tasks"].assign(**{column: now_tables["tasks"][column]
                                               .fillna("(không ghi)")})
            summary = tasks_mod.summary_by(st, column)
            tables[name] = [
                {column: str(k), **{f"tasks.{c}": int(v) for c, v in row.items()},
                 "rate.tasks_done": (int(row["due_done"]) / int(row["due"])) if row["due"] else None}
                for k, row in summary.iterrows()]
    if "budget" in now_tables:
        tables["budget_by_area"] = [
            {"area": str(r["area"]), "items": int(r["items"]), "budget.planned": int(r["planned_vnd"]),
             "budget.spent": int(r["spent_vnd"]),
             "rate.budget_spent": (int(r["spent_vnd"]) / int(r["planned_vnd"])) if r["planned_vnd"]
             else None}
            for _, r in now_tables["budget"].iterrows()]
    cat = data.of_year(data.procedures, period.year)
    if unit_specs and not cat.empty and not data.dossiers.empty:
        from .targets import unit_of_procedures, unit_targets

        year_dossiers = data.dossiers[data.dossiers["received_on"].dt.year == period.year]
        rows = unit_targets(cat, unit_of_procedures(year_dossiers), unit_specs)
        tables["targets_by_unit"] = rows
        now_tables["targets_by_unit"] = pd.DataFrame(rows)
    return {
        "agency": agency,
        "period": period.id,
        "period_label": period.label,
        "window": {"start": window.start.isoformat(), "end": window.end.isoformat()},
        "comparable_window": {"start": comp_window.start.isoformat(),
                              "end": comp_window.end.isoformat()},
        "rule": rule,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "indicators": indicators,
        "tables": tables,
    }, now_tables


def window_of(result: dict[str, Any]) -> Window:
    w = result["window"]
    return Window(date.fromisoformat(w["start"]), date.fromisoformat(w["end"]))

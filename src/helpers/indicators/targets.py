"""Targets (chỉ tiêu) and their apportionment across units.

A target "at least r of N" needs ceil(r·N). Apportioning across units with n_i each gives
every unit floor(r·n_i) and hands the remaining ones to the largest fractional parts (ties
to the larger unit, then by name), so the shares add up exactly to the required total.
"""

from __future__ import annotations

import math
from fractions import Fraction


def _exact(rate: float) -> Fraction:
    """0.3 as 3/10, not 0.299999…: targets are written as decimals in plans."""
    return Fraction(str(rate))


def required(total: int, rate: float) -> int:
    """ceil(r·N): "at least 30% of 70 procedures" needs 21."""
    return math.ceil(_exact(rate) * total)


def apportion(counts: dict[str, int], rate: float) -> dict[str, int]:
    """Share ceil(rate · Σn) among units by largest remainder; the result sums to it."""
    r = _exact(rate)
    need = required(sum(counts.values()), rate)
    shares = {u: math.floor(r * n) for u, n in counts.items()}
    left = need - sum(shares.values())
    order = sorted(counts, key=lambda u: (-(r * counts[u] - shares[u]), -counts[u], u))
    for u in order[:left]:
        shares[u] += 1
    return shares


def apportion_chain(counts: dict[str, int], rates: list[float]) -> list[dict[str, int]]:
    """A second target that applies to the first one's result (e.g. 30% online, of which
    50% end-to-end) is apportioned on the first one's shares."""
    steps = []
    current = counts
    for rate in rates:
        current = apportion(current, rate)
        steps.append(current)
    return steps


def met(value: float | None, target: float | None, higher_is_better: bool = True
        ) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target if higher_is_better else value <= target


def unit_of_procedures(dossiers, units: list[str] | None = None) -> dict[str, str]:
    """Each procedure's unit: the unit that handled most of its dossiers (ties: the unit
    code that sorts first)."""
    d = dossiers.dropna(subset=["procedure_code", "unit"])
    if d.empty:
        return {}
    counts = d.groupby(["procedure_code", "unit"]).size().reset_index(name="n")
    counts = counts.sort_values(["procedure_code", "n", "unit"], ascending=[True, False, True])
    return dict(zip(counts.drop_duplicates("procedure_code")["procedure_code"],
                    counts.drop_duplicates("procedure_code")["unit"], strict=True))


def unit_targets(catalogue, owner: dict[str, str], specs: list[dict]) -> list[dict]:
    """Rows of the per-unit target table: for each unit, its procedures, and for each
    declared target the apportioned requirement, the actual count and whether it is met.

    ``procedures.online`` counts Toàn trình or Một phần; ``procedures.online_full`` Toàn
    trình. A target with ``of`` is apportioned on the previous target's shares."""
    cat = catalogue.assign(unit=catalogue["procedure_code"].map(owner).fillna("(chưa xác định)"))
    counts = {str(u): int(n) for u, n in cat.groupby("unit").size().items()}
    actual_of = {
        "procedures.online": lambda g: int(g["online_level"].isin(["Toàn trình", "Một phần"]).sum()),
        "procedures.online_full": lambda g: int((g["online_level"] == "Toàn trình").sum()),
        "procedures.total": len,
    }
    rows = {u: {"unit": u, "procedures": n} for u, n in counts.items()}
    shares: dict[str, dict[str, int]] = {}
    for spec in specs:
        code = spec["code"]
        base = shares[spec["of"]] if spec.get("of") else counts
        shares[code] = apportion(base, float(spec["rate"]))
        measure = actual_of[code]
        for u, g in cat.groupby("unit"):
            rows[str(u)][f"{code}.required"] = shares[code][str(u)]
            rows[str(u)][f"{code}.actual"] = measure(g)
            rows[str(u)][f"{code}.met"] = measure(g) >= shares[code][str(u)]
    return [rows[u] for u in sorted(rows)]

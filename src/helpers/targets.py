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

"""A composite score (điểm): the project's own reading, a named alternative to the national
index (``index766``), which is what reports rank agencies by; no report uses this one.

Configured in ``params/score.yml`` as weighted groups of indicators. A group scores the
mean of its indicators that have a value (0–1); groups with no value leave the score and
the remaining weights are renormalised, so a missing export does not count as zero.
"""

from __future__ import annotations

from typing import Any


def score(indicators: dict[str, dict[str, Any]], config: dict[str, Any]
          ) -> tuple[float | None, list[dict[str, Any]]]:
    """(score out of 100, per-group detail)."""
    detail = []
    total_w = 0.0
    acc = 0.0
    for g in config.get("groups") or []:
        values = [indicators[c]["value"] for c in g["indicators"]
                  if c in indicators and indicators[c]["value"] is not None]
        mean = sum(values) / len(values) if values else None
        detail.append({"group": g["name"], "weight": float(g["weight"]), "value": mean,
                       "indicators": list(g["indicators"])})
        if mean is not None:
            total_w += float(g["weight"])
            acc += float(g["weight"]) * mean
    if total_w == 0:
        return None, detail
    return round(100 * acc / total_w, 2), detail

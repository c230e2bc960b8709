"""The run manifest: per agency, what went into its report (inputs' hashes, parameters,
versions), what came out (outputs' hashes), its status and why it ran or was skipped.
Clock times of a run live here and nowhere else."""

from __future__ import annotations

import json
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from ..atomic import write_json_atomic

TRACKED_PACKAGES = ("cchc-reports", "pandas", "numpy", "matplotlib", "papermill",
                    "openpyxl", "python-calamine", "pyarrow", "pydantic")


@dataclass
class JobResult:
    agency: str
    status: str  # ok | failed | input_error | no_data | skipped
    seconds: float = 0.0
    error: str | None = None
    failing_cell: str | None = None
    reason: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    fingerprint: dict[str, Any] = field(default_factory=dict)
    # a refused attempt: the report published before stays (``stale``: not of these
    # inputs), and ``attempt`` is what this one left under ``_failed/``
    stale: bool = False
    attempt: str | None = None


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in TRACKED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def read(path: Path) -> dict[str, Any]:
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return {}
    return {}


def write(path: Path, period: str, started: datetime, results: list[JobResult],
          previous: dict[str, Any], params_dir: Path) -> None:
    agencies = dict(previous)
    for r in results:
        entry = asdict(r)
        if r.status == "skipped":
            entry = {**previous.get(r.agency, {}), "status_last_run": "skipped",
                     "reason": r.reason}
            entry["status"] = previous.get(r.agency, {}).get("status", "ok")
        before = previous.get(r.agency, {})
        good = before if before.get("status") == "ok" else before.get("last_good")
        if r.stale and good:
            # what the report still published was made from (the stale flag says so)
            entry["last_good"] = {k: good.get(k) for k in ("inputs", "outputs", "fingerprint")}
        agencies[r.agency] = {**entry, "parameters": {"agency": r.agency, "period": period}}
    write_json_atomic(path, {
        "period": period,
        "started_at": started.isoformat(timespec="seconds"),
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": versions(),
        "params_dir": str(params_dir),
        "agencies": dict(sorted(agencies.items())),
    })

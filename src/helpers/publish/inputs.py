"""What publishing starts from: the reports under ``reports/`` and their fingerprints.

Publishing reads outputs, never configuration: each report's ``indicators.json`` carries
its ``report`` block (names, the form's fields, the agencies declared), each period may
have an executed overview notebook and a run manifest. A file is known by its SHA-256,
computed again only when its size or modification time changed since the last publish.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import sha256_file
from ..present.trends import is_period, period_key, period_label
from ..text import checked_id
from .sources import DOWNLOADS, PublishError


class Hasher:
    """SHA-256 of files, remembered with their size and mtime between publishes."""

    def __init__(self, known: dict[str, list[Any]] | None = None) -> None:
        self.known = known or {}
        self.seen: dict[str, list[Any]] = {}

    def __call__(self, path: Path) -> str:
        st = path.stat()
        key = str(path)
        old = self.known.get(key)
        if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            digest = old[2]
        else:
            digest = sha256_file(path)
        self.seen[key] = [st.st_size, st.st_mtime_ns, digest]
        return digest


def fingerprint(*parts: Any) -> str:
    """One digest for anything JSON can write (the same parts give the same digest)."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True,
                                     default=str).encode("utf-8")).hexdigest()


@dataclass
class Report:
    period: str
    agency: str
    dir: Path
    data: dict[str, Any]  # indicators.json
    digest: str  # of the notebook, indicators.json and whether it is stale
    downloads: dict[str, str] = field(default_factory=dict)  # file name → digest
    stale: str | None = None  # why the last run could not replace it (STALE), or None

    @property
    def about(self) -> dict[str, Any]:
        return self.data.get("report") or {}

    @property
    def name(self) -> str:
        return str(self.about.get("name") or self.agency)

    @property
    def short_name(self) -> str:
        return str(self.about.get("short_name") or self.name)

    @property
    def key(self) -> str:
        return f"{self.period}/{self.agency}"


@dataclass
class Period:
    id: str
    label: str
    reports: dict[str, Report]  # agency id → report
    overview: str | None  # digest of the executed overview notebook
    declared: set[str]  # agencies declared when its reports were made
    no_data: set[str]  # agencies the run found no data for

    @property
    def complete(self) -> bool:
        """Every agency declared has its report (or had no data in the period)."""
        return self.declared <= set(self.reports) | self.no_data


@dataclass
class Inputs:
    out: Path
    periods: list[Period]  # oldest first

    @property
    def reports(self) -> list[Report]:
        return [r for p in self.periods for r in p.reports.values()]

    def latest(self) -> Period:
        """The newest complete period (a run of a few agencies does not replace it), or
        the newest period when none is complete."""
        complete = [p for p in self.periods if p.complete]
        return (complete or self.periods)[-1]

    def names(self) -> dict[str, str]:
        """Each agency's name as its latest report gives it."""
        return {r.agency: r.name for r in self.reports}


STALE = {"input_error": "số liệu kỳ này chưa cập nhật do lỗi đầu vào",
         "failed": "số liệu kỳ này chưa cập nhật do lỗi khi lập báo cáo"}


def run_status(period_dir: Path) -> dict[str, str]:
    """Each agency's status in the period's last run (its manifest, an output of the run):
    a report whose last attempt was refused is still the last good one, and says so."""
    try:
        manifest = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
        return {a: str(v.get("status")) for a, v in (manifest.get("agencies") or {}).items()
                if isinstance(v, dict)}
    except (OSError, ValueError, AttributeError):
        return {}


def scan(out: Path, hasher: Hasher) -> Inputs:
    """Every period folder under ``out`` with its reports (a report is a folder with an
    executed ``report.ipynb`` and its ``indicators.json``)."""
    if not out.is_dir():
        raise PublishError(f"không có thư mục báo cáo {out} (chạy `cchc run` trước)")
    periods = []
    for pid in sorted((d.name for d in out.iterdir() if d.is_dir() and is_period(d.name)),
                      key=period_key):
        pdir = out / pid
        status = run_status(pdir)
        reports = {}
        for ind in sorted(pdir.glob("*/indicators.json")):
            adir = ind.parent
            nb = adir / "report.ipynb"
            if not nb.is_file():
                continue
            aid = checked_id(adir.name, "agency id")
            try:
                data = json.loads(ind.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise PublishError(f"{ind}: không phải JSON hợp lệ ({exc})") from None
            stale = STALE.get(status.get(aid, ""))
            digest = fingerprint(hasher(nb), hasher(ind), stale)
            downloads = {f: hasher(adir / f) for f in DOWNLOADS if (adir / f).is_file()}
            reports[aid] = Report(pid, aid, adir, data, digest, downloads, stale)
        if not reports:
            continue
        overview = pdir / "overview.ipynb"
        declared = {a for r in reports.values() for a in r.about.get("declared_agencies", ())}
        periods.append(Period(pid, period_label(pid), reports,
                              hasher(overview) if overview.is_file() else None,
                              declared, {a for a, s in status.items() if s == "no_data"}))
    if not periods:
        raise PublishError(f"không có báo cáo nào trong {out} để xuất bản (chạy `cchc run`)")
    return Inputs(out, periods)


def stat_tree(folder: Path) -> list[str]:
    """Files under ``folder``, relative, sorted (the state records what a unit wrote)."""
    out = []
    for d, _, files in os.walk(folder):
        for f in files:
            out.append(str(Path(d, f).relative_to(folder)))
    return sorted(out)

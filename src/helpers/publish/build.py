"""One publish: what is stale, the work in parallel, the rest linked from the last site.

Every output is fingerprinted from what it is made of (the report's notebook and
``indicators.json``, the sidebar, the code that renders) and rebuilt only when that
changed; an unchanged output is hard-linked from the previous site. The new site is built
beside the old one and swapped in whole, its files readable by a web server whatever the
umask (0644, folders 0755).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..atomic import swap_dir, write_json_atomic
from .documents import Chunk, Done, PageTask, ReportTask, run_chunk
from .inputs import Hasher, Inputs, fingerprint, scan
from .sources import PublishError

STATE = ".cchc-publish.json"
SMALL = 4  # reports per worker under which a pool is not worth starting
Executor = Callable[..., Iterator[Any]]


@cache
def render_version() -> str:
    """The code and assets that shape every output: a change re-renders them all."""
    from .. import __version__

    here = Path(__file__).parent
    files = sorted([*here.glob("*.py"), *(here / "assets").glob("*"),
                    *(here.parent / "present").glob("*.py")])
    return fingerprint(__version__, [(f.name, f.read_bytes().hex()) for f in files])


def serial(fn: Callable[[Any], Any], jobs: list[Any], jobs_n: int = 1, **_: Any) -> Iterator[Any]:
    for job in jobs:
        yield fn(job)


@dataclass
class Build:
    """A publish in progress: the inputs, the previous site's state, the staging site."""

    engine: str
    inputs: Inputs
    work: Path
    staging: Path
    site: Path
    old: dict[str, Any]
    hasher: Hasher
    echo: Callable[[str], None]
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    rendered: int = 0
    reused: int = 0

    def fresh(self, unit: str, fp: str) -> bool:
        """Whether the previous site has this unit, from the same inputs, all its files."""
        old = self.old.get(unit)
        return bool(old and old["fp"] == fp and all((self.site / f).is_file()
                                                     for f in old.get("files", [])))

    def keep(self, unit: str) -> None:
        """Take a fresh unit's files over from the previous site (hard links)."""
        self.units[unit] = self.old[unit]
        for rel in self.old[unit].get("files", []):
            link(self.site / rel, self.staging / rel)

    def record(self, unit: str, fp: str, files: list[str] | None = None) -> None:
        self.units[unit] = {"fp": fp, "files": files or []}

    def run(self, reports: list[ReportTask], pages: list[PageTask], jobs: int,
            executor: Executor | None) -> dict[str, Done]:
        """The tasks in chunks: two per worker, so that a slow one does not hold the rest.
        A few tasks (under ``SMALL`` per worker, as after one agency changed) run here in
        one chunk: starting workers would cost more than it saves."""
        tasks = len(reports) + len(pages)
        if not tasks:
            return {}
        import pypandoc

        if len(reports) + sum(p.trend is not None for p in pages) < SMALL * jobs:
            jobs, executor = 1, None
        n = max(1, min(tasks, 2 * jobs if jobs > 1 else 1))
        chunks = [Chunk(pypandoc.get_pandoc_path()) for _ in range(n)]
        for i, r in enumerate(reports):
            chunks[i % n].reports.append(r)
        for i, p in enumerate(pages):
            chunks[(len(reports) + i) % n].pages.append(p)
        chunks = [c for c in chunks if c.reports or c.pages]
        run = executor or serial
        done: dict[str, Done] = {}
        for result in run(run_chunk, chunks, jobs_n=jobs):
            done.update({d.key: d for d in result})
        return done

    def downloads(self) -> None:
        """The report's files for download, copied when they changed."""
        for r in self.inputs.reports:
            for name, digest in r.downloads.items():
                rel = f"{r.key}/{name}"
                unit = f"download:{rel}"
                if self.fresh(unit, digest):
                    self.keep(unit)
                    continue
                dst = self.staging / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(r.dir / name, dst)
                self.record(unit, digest, [rel])

    def state(self) -> dict[str, Any]:
        return {"engine": self.engine, "version": render_version(),
                "stat": self.hasher.seen, "units": self.units}


def link(src: Path, dst: Path) -> None:
    """``dst`` as a hard link to ``src`` (a copy across file systems)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def readable(folder: Path) -> None:
    """Files 0644 and folders 0755: a web server running as another user reads them."""
    os.chmod(folder, 0o755)
    for d, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(d, name), 0o755)
        for name in files:
            os.chmod(os.path.join(d, name), 0o644)


def _old_state(site: Path, engine: str) -> dict[str, Any]:
    try:
        state = json.loads((site / STATE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return state if state.get("engine") == engine else {"stat": state.get("stat", {})}


@dataclass
class PublishResult:
    engine: str
    pages: int
    pdfs: int
    docx: int
    rendered: int  # reports whose PDF and DOCX were made again
    reused: int  # reports taken over unchanged from the previous site
    seconds: float = 0.0


def publish(engine: str, render: Callable[[Build, int, Executor | None], int], out: Path,
            site: Path, work: Path, echo: Callable[[str], None], jobs: int,
            executor: Executor | None) -> PublishResult:
    """Build the site with ``render`` (an engine) beside ``site`` and swap it in."""
    started = time.perf_counter()
    state = _old_state(site, engine)
    hasher = Hasher(state.get("stat"))
    inputs = scan(out, hasher)
    old_units = state.get("units", {}) if state.get("version") == render_version() else {}
    staging = site.with_name(f".{site.name}.new-{uuid.uuid4().hex[:8]}")
    staging.mkdir(parents=True)
    build = Build(engine, inputs, work, staging, site, old_units, hasher, echo)
    try:
        work.mkdir(parents=True, exist_ok=True)
        pages = render(build, jobs, executor)
        build.downloads()
        write_json_atomic(staging / STATE, build.state())
        readable(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_dir(staging, site)
    n = len(inputs.reports)
    return PublishResult(engine, pages, n, n, build.rendered, build.reused,
                         time.perf_counter() - started)


__all__ = ["Build", "PublishError", "PublishResult", "publish", "readable", "render_version"]

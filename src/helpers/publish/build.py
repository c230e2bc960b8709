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

STATE = ".cchc-publish.json"  # in the site: what it holds (fingerprints, relative files)
HASHES = ".input-hashes.json"  # in _publish/: the inputs' hashes by size and mtime
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
    complete: bool = True  # staging becomes the whole site; else it holds the changes
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    after: list[Callable[[], None]] = field(default_factory=list)  # on the live site
    rendered: int = 0
    reused: int = 0

    def fresh(self, unit: str, fp: str) -> bool:
        """Whether the previous site has this unit, from the same inputs, all its files."""
        old = self.old.get(unit)
        return bool(old and old["fp"] == fp and all((self.site / f).is_file()
                                                     for f in old.get("files", [])))

    def keep(self, unit: str) -> None:
        """Keep a fresh unit's files: where they are, or hard-linked into a whole new site."""
        self.units[unit] = self.old[unit]
        if self.complete:
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
        """What the site holds: each unit's fingerprint and files (relative paths)."""
        return {"engine": self.engine, "version": render_version(), "units": self.units}


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


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class PublishResult:
    engine: str
    pages: int
    pdfs: int
    docx: int
    rendered: int  # reports whose PDF and DOCX were made again
    reused: int  # reports taken over unchanged from the previous site
    seconds: float = 0.0


def commit(build: Build) -> None:
    """Put the new outputs in place: a whole new site is swapped in; changes (after one
    agency changed) replace their files one by one, each whole, and outputs no longer
    made are removed. Then what needs the live site (the search index) runs."""
    staging, site = build.staging, build.site
    readable(staging)
    if build.complete:
        swap_dir(staging, site)
    else:
        for d, _, files in os.walk(staging):
            for name in files:
                src = Path(d, name)
                dst = site / src.relative_to(staging)
                if not dst.parent.is_dir():
                    dst.parent.mkdir(parents=True)
                    readable(dst.parent)
                os.replace(src, dst)
        shutil.rmtree(staging, ignore_errors=True)
        made = {f for u in build.units.values() for f in u.get("files", [])}
        for u in build.old.values():
            for f in u.get("files", []):
                if f not in made:
                    (site / f).unlink(missing_ok=True)
    for step in build.after:
        step()
    write_json_atomic(site / STATE, build.state())
    os.chmod(site / STATE, 0o644)


def publish(engine: str, render: Callable[[Build, int, Executor | None], int], out: Path,
            site: Path, work: Path, echo: Callable[[str], None], jobs: int,
            executor: Executor | None) -> PublishResult:
    """Build with ``render`` (an engine) beside ``site``, then commit."""
    started = time.perf_counter()
    state = _read_json(site / STATE)
    hasher = Hasher(_read_json(work / HASHES))  # the inputs' hashes stay off the site
    inputs = scan(out, hasher)
    same = state.get("engine") == engine and state.get("version") == render_version()
    old_units = state.get("units", {}) if same and site.is_dir() else {}
    staging = site.with_name(f".{site.name}.new-{uuid.uuid4().hex[:8]}")
    staging.mkdir(parents=True)
    # Quarto renders every page, so its staging is always a whole site
    build = Build(engine, inputs, work, staging, site, old_units, hasher, echo,
                  complete=not old_units or engine != "pandoc")
    try:
        work.mkdir(parents=True, exist_ok=True)
        pages = render(build, jobs, executor)
        build.downloads()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    commit(build)
    write_json_atomic(work / HASHES, hasher.seen)
    n = len(inputs.reports)
    return PublishResult(engine, pages, n, n, build.rendered, build.reused,
                         time.perf_counter() - started)


__all__ = ["Build", "PublishError", "PublishResult", "publish", "readable", "render_version"]

"""Publishing: the report site, and a PDF and a DOCX per report, by one of two engines.

``quarto`` renders the site as a Quarto website project (``_quarto.yml`` at the root);
``pandoc`` renders the very same sources with pandoc (``pypandoc-binary``) and frames the
pages itself, with Pagefind for search. The PDF (typst) and the DOCX (written directly,
in the form of Nghị định 30/2020/NĐ-CP) are made the same way for both. Engines are
registered by name like papermill's (``engines``). Work runs in parallel on the executor
the command hands over (the same as ``cchc run``'s), and only what changed is made again.
Two publishes never share a site or a work folder: the second refuses, or waits.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..atomic import exclusive
from .engines import ENGINES, WORK, pick_engine, quarto_path
from .sources import PublishError


def engines_by_name() -> dict[str, Callable[..., int]]:
    """The registry, filled on first use (the engines load pandoc, typst and Quarto's
    helpers only when a publish needs them)."""
    if not ENGINES:
        from . import pandoc_engine, quarto_engine

        ENGINES.update({"pandoc": pandoc_engine.render, "quarto": quarto_engine.render})
    return ENGINES


def publish_site(root: Path, out: Path, site: Path, engine: str = "auto",
                 echo: Callable[[str], None] = print, jobs: int = 1,
                 executor: Callable[..., Any] | None = None, wait: bool = False):
    """Publish the reports under ``out`` into ``site``; ``jobs`` chunks of work go to
    ``executor`` (``fn, jobs, jobs_n=…`` → results, as ``helpers.run.executors``), or run
    here one after another when none is given. Under the site's lock and the work
    folder's: a second publish refuses naming the first, or waits with ``wait``."""
    from .build import publish

    name = pick_engine(engine, echo)
    root = root.resolve()
    site = (site if site.is_absolute() else root / site).resolve()
    out = (out if out.is_absolute() else root / out).resolve()
    work = out.parent / WORK
    render = engines_by_name()[name]
    if name == "quarto":
        from functools import partial

        render = partial(render, project_root=root)

    def busy(what: Path) -> Callable[[str], str]:
        return lambda who: (f"{what} đang được xuất bản bởi tiến trình khác ({who}); "
                            + ("đang chờ…" if wait else "dùng --wait để chờ"))

    with exclusive(site.with_name(f".{site.name}.lock"), busy(site), wait, error=PublishError,
                   waiting=echo), \
            exclusive(work.with_name(f".{work.name}.lock"), busy(work), wait,
                      error=PublishError, waiting=echo):
        clean_leftovers(site)
        return publish(name, render, out, site, work, echo, max(1, jobs), executor)


def clean_leftovers(site: Path) -> int:
    """Remove the half-built sites of a killed publish (``._site.new-*``) and the old
    site a killed swap left (``._site.old-*``). Only called while holding the site lock."""
    n = 0
    for p in [*site.parent.glob(f".{site.name}.new-*"), *site.parent.glob(f".{site.name}.old-*")]:
        shutil.rmtree(p, ignore_errors=True)
        n += 1
    return n


__all__ = ["publish_site", "PublishError", "ENGINES", "quarto_path", "pick_engine"]

"""Publishing: the report site, and a PDF and a DOCX per report, by one of two engines.

``quarto`` renders the site as a Quarto website project (``_quarto.yml`` at the root);
``pandoc`` renders the very same sources with pandoc (``pypandoc-binary``) and frames the
pages itself, with Pagefind for search. The PDF (typst) and the DOCX (written directly,
in the form of Nghị định 30/2020/NĐ-CP) are made the same way for both. Engines are
registered by name like papermill's. Work runs in parallel on the executor the command
hands over (the same as ``cchc run``'s), and only what changed is made again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .sources import PublishError

WORK = "_publish"
ENGINES: dict[str, Callable[..., int]] = {}


def quarto_path() -> str | None:
    """Quarto from ``QUARTO_PATH`` or PATH."""
    env = os.environ.get("QUARTO_PATH")
    if env and Path(env).is_file() and os.access(env, os.X_OK):
        return env
    return shutil.which("quarto")


def pick_engine(engine: str, echo: Callable[[str], None]) -> str:
    if engine == "quarto" and not quarto_path():
        raise PublishError("không tìm thấy Quarto (PATH hoặc QUARTO_PATH); cài từ conda-forge "
                           "(environment.yml) hoặc quarto.org, hoặc dùng --engine pandoc")
    if engine == "auto":
        if quarto_path():
            return "quarto"
        echo("Không có Quarto: xuất bản bằng pandoc + typst (cùng nguồn, cùng trang).")
        return "pandoc"
    return engine


def _engines() -> dict[str, Callable[..., int]]:
    if not ENGINES:
        from . import pandoc_engine, quarto_engine

        ENGINES.update({"pandoc": pandoc_engine.render, "quarto": quarto_engine.render})
    return ENGINES


def publish_site(root: Path, out: Path, site: Path, engine: str = "auto",
                 echo: Callable[[str], None] = print, jobs: int = 1,
                 executor: Callable[..., Any] | None = None):
    """Publish the reports under ``out`` into ``site``; ``jobs`` chunks of work go to
    ``executor`` (``fn, jobs, jobs_n=…`` → results, as ``helpers.run.executors``), or run
    here one after another when none is given."""
    from .build import publish

    name = pick_engine(engine, echo)
    root = root.resolve()
    site = (site if site.is_absolute() else root / site).resolve()
    out = (out if out.is_absolute() else root / out).resolve()
    render = _engines()[name]
    if name == "quarto":
        from functools import partial

        render = partial(render, project_root=root)
    return publish(name, render, out, site, out.parent / WORK, echo, max(1, jobs), executor)


__all__ = ["publish_site", "PublishError", "ENGINES", "quarto_path", "pick_engine"]

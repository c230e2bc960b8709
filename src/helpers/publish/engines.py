"""The publishing engines, registered by name like papermill's: an engine renders the one
set of sources into a staging site. ``quarto`` where Quarto is installed, ``pandoc`` (pandoc
and typst, the engines Quarto drives) everywhere."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from .sources import PublishError, Sources

ASSETS = Path(__file__).parent / "assets"
WORK = "_publish"
CACHE = ".publish-cache.json"

# (sources, staging site, previous site, pages to reuse, echo, project root) → pages rendered
Engine = Callable[[Sources, Path, Path, dict[str, str], Callable[[str], None], Path], int]
ENGINES: dict[str, Engine] = {}


def register(name: str) -> Callable[[Engine], Engine]:
    def deco(fn: Engine) -> Engine:
        ENGINES[name] = fn
        return fn
    return deco


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
        echo("Không có Quarto: xuất bản bằng engine pandoc + typst (cùng nguồn, cùng trang).")
        return "pandoc"
    return engine

"""The publishing engines, registered by name like papermill's: an engine renders the
reports into a build (``build.Build``). ``quarto`` where Quarto is installed, ``pandoc``
(pandoc and typst, the engines Quarto drives) everywhere. The registry is filled by the
package on first use (``helpers.publish.engines_by_name``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

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

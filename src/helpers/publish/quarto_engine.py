"""The Quarto engine: the sources in ``_publish/`` rendered as a Quarto website project.

The project configuration is the repository's ``_quarto.yml``; it is copied into the work
folder so that Quarto renders exactly the generated pages (and nothing else of the
repository) into the staging site. Report pages declare html, typst (PDF) and docx
formats in their front matter; the DOCX then gets the administrative form as with the
pandoc engine.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from .docx import reference_docx
from .engines import quarto_path, register
from .pandoc_engine import render_docx_form
from .sources import PublishError, Sources

ROOT_CONFIG = "_quarto.yml"


@register("quarto")
def render(sources: Sources, staging: Path, old_site: Path, reuse: dict[str, str],
           echo: Callable[[str], None], project_root: Path) -> int:
    quarto = quarto_path()
    if quarto is None:
        raise PublishError("không tìm thấy Quarto")
    config = project_root / ROOT_CONFIG
    if not config.is_file():
        raise PublishError(f"thiếu {config}")
    shutil.copy(config, sources.work / ROOT_CONFIG)
    shutil.copy(Path(__file__).parent / "assets" / "site.css", sources.work / "_assets" / "site.css")
    reference_docx(sources.work / "_assets" / "reference.docx")
    proc = subprocess.run([quarto, "render", "--output-dir", str(staging)], cwd=sources.work,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise PublishError(f"quarto render thất bại: {proc.stderr.strip()[-1500:]}")
    (staging / "assets").mkdir(exist_ok=True)
    shutil.copy(sources.work / "_assets" / "site.css", staging / "assets" / "site.css")
    for page in sources.pages:
        dest = staging / page.html
        for asset in page.assets:
            if not (dest.parent / asset.name).exists():
                shutil.copy2(asset, dest.parent / asset.name)
        if page.report:
            docx = dest.with_suffix(".docx")
            if docx.is_file():
                render_docx_form(page, docx, sources)
    return len(sources.pages)

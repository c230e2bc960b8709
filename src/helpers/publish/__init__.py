"""Publishing: the report site, a PDF and a DOCX per report, by one of two engines.

``quarto`` renders the Quarto project (``_quarto.yml`` at the root) over the sources in
``_publish/``; ``pandoc`` renders the very same sources with pandoc (from the
``pypandoc-binary`` wheel) and typst (the ``typst`` package), the two engines Quarto itself
drives. Engines are registered by name like papermill's. The new site is built beside
``_site/`` and swapped in whole: a failed render leaves the previous site intact. A page
whose sources did not change since the last publish is copied from the previous site
instead of being rendered again.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..atomic import exclusive, swap_dir
from . import pandoc_engine, quarto_engine  # noqa: F401  (they register themselves)
from .engines import ASSETS, CACHE, ENGINES, WORK, pick_engine, quarto_path
from .sources import Page, PublishError, Sources, build_sources


@dataclass
class PublishResult:
    engine: str
    pages: int
    pdfs: int
    docx: int
    rendered: int
    reused: int



def publish_site(root: Path, out: Path, site: Path, engine: str = "auto",
                 echo: Callable[[str], None] = print, wait: bool = False) -> PublishResult:
    """Publish under the site's lock and the work folder's (two publishes at once would
    share ``_publish/``): a second one refuses naming the first, or waits with ``wait``."""
    name = pick_engine(engine, echo)
    root = root.resolve()
    site = (site if site.is_absolute() else root / site).resolve()
    out = (out if out.is_absolute() else root / out).resolve()
    work = out.parent / WORK  # beside reports/: <root>/_publish for the default layout

    def busy(what: Path) -> Callable[[str], str]:
        return lambda who: (f"{what} đang được xuất bản bởi tiến trình khác ({who}); "
                            + ("đang chờ…" if wait else "dùng --wait để chờ"))

    with exclusive(site.with_name(f".{site.name}.lock"), busy(site), wait, error=PublishError,
                   waiting=echo), \
            exclusive(work.with_name(f".{work.name}.lock"), busy(work), wait,
                      error=PublishError, waiting=echo):
        clean_leftovers(site)
        return _publish(name, root, out, site, work, echo)


def clean_leftovers(site: Path) -> int:
    """Remove the half-built sites of a killed publish (``._site.new-*``) and the old
    site a killed swap left (``._site.old-*``). Only called while holding the site lock."""
    n = 0
    for p in [*site.parent.glob(f".{site.name}.new-*"), *site.parent.glob(f".{site.name}.old-*")]:
        shutil.rmtree(p, ignore_errors=True)
        n += 1
    return n


def _publish(name: str, root: Path, out: Path, site: Path, work: Path,
             echo: Callable[[str], None]) -> PublishResult:

    sources = build_sources(out, work, ASSETS)
    cache_path = site / CACHE
    cache: dict[str, str] = {}
    if cache_path.is_file() and site.is_dir():
        try:
            cached = json.loads(cache_path.read_text(encoding="utf-8"))
            if cached.get("engine") == name:
                cache = cached.get("pages", {})
        except json.JSONDecodeError:
            cache = {}
    staging = site.with_name(f".{site.name}.new-{uuid.uuid4().hex[:8]}")
    staging.mkdir(parents=True)
    try:
        digests = {p.html: p.digest() for p in sources.pages}
        reuse = {p.html for p in sources.pages if cache.get(p.html) == digests[p.html]
                 and _outputs_exist(site, p)}
        rendered = ENGINES[name](sources, staging, site, {h: "" for h in reuse}, echo, root)
        for html in reuse:
            page = next(p for p in sources.pages if p.html == html)
            for rel in _outputs(page):
                dst = staging / rel
                if not dst.exists():
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(site / rel, dst)
        (staging / CACHE).write_text(json.dumps({"engine": name, "pages": digests}, indent=1),
                                     encoding="utf-8")
        _check_complete(staging, sources)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_dir(staging, site)
    reports = [p for p in sources.pages if p.report]
    return PublishResult(name, len(sources.pages), len(reports), len(reports), rendered,
                         len(reuse))


def _outputs(page: Page) -> list[str]:
    base = page.html.rsplit("/", 1)[0] + "/" if "/" in page.html else ""
    outs = [page.html] + [base + a.name for a in page.assets]
    if page.report:
        stem = page.html[:-len(".html")]
        outs += [stem + ".pdf", stem + ".docx"]
    return outs


def _outputs_exist(site: Path, page: Page) -> bool:
    return all((site / rel).is_file() for rel in _outputs(page))


def _check_complete(staging: Path, sources: Sources) -> None:
    missing = [rel for p in sources.pages for rel in _outputs(p) if not (staging / rel).is_file()]
    if missing:
        raise PublishError("thiếu tệp sau khi xuất bản: " + ", ".join(missing[:10]))


__all__ = ["publish_site", "PublishError", "PublishResult", "ENGINES", "quarto_path"]

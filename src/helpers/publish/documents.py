"""The work of publishing, in chunks an executor runs in parallel.

A chunk holds reports and pages. For all of them together it runs pandoc twice, as two
processes whatever their number: once to read every Markdown source into its document
tree, once to write every page's HTML and every report's typst. In between, in Python,
each tree is shaped for the site and for the signed report, and the DOCX is written
directly from it; typst then makes each PDF. Functions here take and return plain data
(paths, strings), so any executor (a process pool, Dask) can carry them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import doctree
from .form import form
from .sources import PublishError, report_source

ASSETS = Path(__file__).parent / "assets"
# pandoc's Markdown without what the sources never hold (TeX, citations; "$" and "@" in
# texts from files are escaped): a quarter less time reading. No "smart" typography: a
# text from a file keeps its straight quotes and "--" (our own texts write “ ” and – as such)
READER = "markdown-smart-citations-raw_tex-tex_math_dollars-latex_macros"


@dataclass
class ReportTask:
    key: str  # "2019-9M/so-x"
    notebook: Path
    work: Path  # the report's folder under _publish/
    docs: Path | None  # where report.pdf, report.docx and the figures go; None: not wanted
    about: dict[str, Any]
    period_label: str
    fragment: bool  # the page's HTML body (pandoc engine)
    stale: str | None = None  # the notice of a report the last run could not replace


@dataclass
class PageTask:
    key: str  # the page under the site: "2019-9M/index.html", "agencies/so-x.html"
    source: Path  # its .qmd under _publish/ (written by the caller, or by ``trend``)
    fragment: bool
    trend: tuple[str, list[Any]] | None = None  # (agency name, series) of a trend page


@dataclass
class Chunk:
    pandoc: str
    reports: list[ReportTask] = field(default_factory=list)
    pages: list[PageTask] = field(default_factory=list)


@dataclass
class Done:
    key: str
    title: str
    fragment: Path | None  # JSON: title, subtitle, toc, html
    files: list[str]  # what went into ``docs``, by name
    seconds: float


def pandoc_batch(pandoc: str, jobs: list[tuple[str, str, Path, Path]]) -> None:
    """Every (from, to, input, output) conversion in one pandoc process."""
    if not jobs:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as fh:
        for src, dst, a, b in jobs:
            fh.write(f"{src}\t{dst}\t{a}\t{b}\n")
        listing = fh.name
    try:
        proc = subprocess.run([pandoc, "lua", str(ASSETS / "batch.lua"), listing],
                              capture_output=True, text=True)
    finally:
        Path(listing).unlink(missing_ok=True)
    if proc.returncode != 0:
        raise PublishError(f"pandoc thất bại: {proc.stderr.strip()[:800]}")


def _toc(tree: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(b["c"][0], b["c"][1][0], doctree.stringify(b["c"][2]))
            for b in doctree.walk_blocks(tree["blocks"])
            if b["t"] == "Header" and b["c"][0] in (2, 3)]


def _meta_text(tree: dict[str, Any], key: str) -> str:
    value = tree.get("meta", {}).get(key)
    return doctree.stringify(value["c"]) if value else ""


def _shape(ast: Path, fragment: bool, task: ReportTask | None, jobs: list) -> None:
    """Site and document shapes of one tree; writes the DOCX and queues pandoc's jobs."""
    text = ast.read_text(encoding="utf-8")
    if fragment:
        site = doctree.site(json.loads(text))  # each shape changes its own parse
        ast.with_suffix(".site.json").write_text(json.dumps(site), encoding="utf-8")
        ast.with_suffix(".toc.json").write_text(json.dumps({
            "title": _meta_text(site, "title"), "subtitle": _meta_text(site, "subtitle"),
            "toc": _toc(site)}, ensure_ascii=False), encoding="utf-8")
        jobs.append(("json", "html5", ast.with_suffix(".site.json"), ast.with_suffix(".html")))
    if task is not None and task.docs is not None:
        from . import docx, pdf

        d = doctree.document(json.loads(text))
        f = form(task.about, task.period_label)
        docx.write_docx(task.docs / "report.docx", d, f, task.work)
        wide_body = [w for w, blocks in docx.landscape_runs(d.body) for _ in blocks]
        wide_appendix = [docx.is_wide_part(a.blocks) for a in d.appendices]
        tree = pdf.document_tree(d, f, wide_body, wide_appendix)
        ast.with_suffix(".typ.json").write_text(json.dumps(tree), encoding="utf-8")
        jobs.append(("json", "typst", ast.with_suffix(".typ.json"), task.work / "report.typ"))


def run_chunk(chunk: Chunk) -> list[Done]:
    """Publish a chunk's reports and pages; what each produced."""
    started = {t.key: time.perf_counter() for t in [*chunk.reports, *chunk.pages]}
    titles: dict[str, str] = {}
    reads: list[tuple[str, str, Path, Path]] = []
    for r in chunk.reports:
        titles[r.key], src = report_source(r.notebook, r.work, r.about, r.stale)
        if r.fragment or r.docs is not None:  # else only its source was wanted (Quarto)
            reads.append((READER, "json", src, src.with_suffix(".ast.json")))
    for p in chunk.pages:
        if p.trend is not None:
            from .pages import trend_page  # matplotlib and the periods, only when needed

            titles[p.key], md = trend_page(p.trend[0], p.trend[1], p.source)
            p.source.write_text(md, encoding="utf-8")
        if p.fragment:
            reads.append((READER, "json", p.source, p.source.with_suffix(".ast.json")))
    pandoc_batch(chunk.pandoc, reads)
    writes: list[tuple[str, str, Path, Path]] = []
    for r in chunk.reports:
        if r.fragment or r.docs is not None:
            _shape(r.work / "report.ast.json", r.fragment, r, writes)
    for p in chunk.pages:
        if p.fragment:
            _shape(p.source.with_suffix(".ast.json"), True, None, writes)
    pandoc_batch(chunk.pandoc, writes)
    done = []
    for r in chunk.reports:
        files = []
        if r.docs is not None:
            from .pdf import compile_pdf

            compile_pdf(r.work / "report.typ", r.docs / "report.pdf")
            for img in sorted(r.work.glob("fig-*.png")):
                shutil.copyfile(img, r.docs / img.name)
            files = ["report.pdf", "report.docx", *sorted(i.name for i in r.work.glob("fig-*.png"))]
        done.append(Done(r.key, titles[r.key], _fragment(r.work / "report") if r.fragment
                         else None, files, time.perf_counter() - started[r.key]))
    for p in chunk.pages:
        done.append(Done(p.key, titles.get(p.key, ""), _fragment(p.source.with_suffix(""))
                         if p.fragment else None, [], time.perf_counter() - started[p.key]))
    return done


def _fragment(stem: Path) -> Path:
    """Pack a page's HTML body with its titles and contents into one JSON file."""
    meta = json.loads(stem.with_suffix(".ast.toc.json").read_text(encoding="utf-8"))
    meta["html"] = stem.with_suffix(".ast.html").read_text(encoding="utf-8")
    out = stem.with_suffix(".frag.json")
    out.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return out

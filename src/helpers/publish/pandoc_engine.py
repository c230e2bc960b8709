"""The pandoc engine: the sources rendered with pandoc and typst, where Quarto is absent.

Reports (PDF, DOCX, page body), trend pages and the period and home pages are made in
parallel chunks; every page is then framed with the site's navigation, and Pagefind (from
PyPI) indexes the site for offline full-text search. Each output is made again only when
what it is made of changed: a new period in the sidebar re-frames pages, it does not
render them again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..atomic import swap_dir
from ..text import fold
from . import html
from .build import Build, Executor, link, readable, render_version
from .documents import Done, PageTask, ReportTask
from .inputs import fingerprint, stat_tree
from .pages import home_page, period_page, trend_series
from .sources import PublishError

ASSETS = Path(__file__).parent / "assets"


def nav_of(build: Build) -> html.Nav:
    inputs = build.inputs
    periods = tuple(html.NavPeriod(p.id, p.label, p.complete, tuple(
        (r.agency, r.short_name) for r in sorted(p.reports.values(), key=lambda r: fold(r.short_name))))
        for p in reversed(inputs.periods))
    agencies = tuple(sorted(inputs.names().items(), key=lambda kv: fold(kv[1])))
    return html.Nav(periods, agencies, inputs.latest().id)


@dataclass
class Page:
    """A page of the site: its frame, its fingerprint, where its body is made."""

    frame: html.Frame
    fp: str  # of the whole page (content and frame)
    content_fp: str  # of the body only
    fragment: Path  # pandoc's HTML of the body, with titles and contents (JSON)
    available: set[str] | None = None
    fresh: bool = False

    @property
    def unit(self) -> str:
        return f"page:{self.frame.rel}"


def _needs_body(build: Build, page: Page) -> bool:
    """The page must be framed again and its body is not at hand from the last publish."""
    old = build.old.get(f"body:{page.frame.rel}")
    return not page.fresh and not (page.fragment.is_file() and old
                                   and old["fp"] == page.content_fp)


def _reports(build: Build, navkey: str, pages: list[Page], tasks: list[ReportTask]
             ) -> dict[str, str]:
    """Pages and tasks of the reports; each report's fingerprint."""
    fps = {}
    for r in build.inputs.reports:
        fp = fps[r.key] = fingerprint(render_version(), r.digest)
        available = {*r.downloads, "report.pdf", "report.docx"}
        page = Page(html.Frame(f"{r.key}/report.html", "", r.name,
                               f"{r.short_name} – {r.data.get('period_label') or r.period}",
                               downloads=True, period=r.period, agency=r.agency),
                    fingerprint(fp, navkey, sorted(available)), fp,
                    build.work / r.key / "report.frag.json", available)
        page.fresh = build.fresh(page.unit, page.fp)
        pages.append(page)
        docs_fresh = build.fresh(f"report:{r.key}", fp)
        if docs_fresh:
            build.keep(f"report:{r.key}")
            build.reused += 1
        body = _needs_body(build, page)
        if not docs_fresh or body:
            label = next(p.label for p in build.inputs.periods if p.id == r.period)
            tasks.append(ReportTask(r.key, r.dir / "report.ipynb", build.work / r.key,
                                    build.staging / r.key if not docs_fresh else None,
                                    r.about, label, body, r.stale))
    return fps


def _trends(build: Build, navkey: str, pages: list[Page], tasks: list[PageTask]) -> None:
    names = build.inputs.names()
    for aid, name in sorted(names.items()):
        series = trend_series(build.inputs, aid)
        fp = fingerprint(render_version(), name, series)
        src = build.work / "agencies" / f"{aid}.qmd"
        page = Page(html.Frame(f"agencies/{aid}.html", name, "Diễn biến qua các kỳ báo cáo",
                               f"{name} – diễn biến qua các kỳ", agency=aid),
                    fingerprint(fp, navkey), fp, src.with_suffix(".frag.json"))
        page.fresh = build.fresh(page.unit, page.fp)
        pages.append(page)
        charts_fresh = build.fresh(f"trend:{aid}", fp)
        if charts_fresh:
            build.keep(f"trend:{aid}")
        if not charts_fresh or _needs_body(build, page):
            src.parent.mkdir(parents=True, exist_ok=True)
            tasks.append(PageTask(page.frame.rel, src, True, (name, series)))


def _site_pages(build: Build, navkey: str, pages: list[Page], tasks: list[PageTask]) -> None:
    """The period pages (with the overview's charts beside them) and the home page."""
    inputs = build.inputs
    latest = inputs.latest()
    for p in inputs.periods:
        fp = fingerprint(render_version(), p.overview, [(r.agency, r.name) for r in
                                                        p.reports.values()],
                         p.complete, sorted(p.declared))
        src = build.work / p.id / "index.qmd"
        page = Page(html.Frame(f"{p.id}/index.html", f"Kết quả CCHC {p.label}",
                               search_title=f"Tổng hợp {p.label}", period=p.id),
                    fingerprint(fp, navkey), fp, src.with_suffix(".frag.json"))
        page.fresh = build.fresh(page.unit, page.fp)
        pages.append(page)
        if _needs_body(build, page) or not build.fresh(f"charts:{p.id}", fp):
            src.parent.mkdir(parents=True, exist_ok=True)
            src.write_text(period_page(p, src.parent)[1], encoding="utf-8")
            tasks.append(PageTask(page.frame.rel, src, True))
            charts = sorted(src.parent.glob("overview-*.png"))
            for png in charts:
                link(png, build.staging / p.id / png.name)
            build.record(f"charts:{p.id}", fp, [f"{p.id}/{png.name}" for png in charts])
        else:
            build.keep(f"charts:{p.id}")
    fp = fingerprint(render_version(), latest.id, latest.overview,
                     [(p.id, len(p.reports), p.complete) for p in inputs.periods],
                     sorted(inputs.names().items()))
    src = build.work / "index.qmd"
    page = Page(html.Frame("index.html", "Báo cáo cải cách hành chính"),
                fingerprint(fp, navkey), fp, src.with_suffix(".frag.json"))
    page.fresh = build.fresh(page.unit, page.fp)
    pages.append(page)
    if _needs_body(build, page):
        src.write_text(home_page(inputs, build.work)[1], encoding="utf-8")
        tasks.append(PageTask("index.html", src, True))


def _frame(build: Build, page: Page, nav: html.Nav) -> None:
    """Write a page (its body from the fragment) or link it from the previous site."""
    if page.fresh:
        build.keep(page.unit)
    else:
        body = json.loads(page.fragment.read_text(encoding="utf-8"))
        f = page.frame
        f.title = f.title or body["title"]
        f.toc = [tuple(x) for x in body["toc"]]
        dest = build.staging / f.rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(html.page(f, body["html"], nav, page.available), encoding="utf-8")
        build.record(page.unit, page.fp, [f.rel])
    build.record(f"body:{page.frame.rel}", page.content_fp)


def pagefind(build: Build, pages: list[Page]) -> None:
    """The offline search index (Pagefind), made again when any page changed: over the
    new site before it is swapped in, or over the live site once the changed pages are
    in place (the index folder itself is swapped whole)."""
    fp = fingerprint([p.fp for p in pages])
    if build.fresh("pagefind", fp):
        build.keep("pagefind")
        return

    def index(site: Path, into: Path) -> None:
        from pagefind_bin import get_executable

        proc = subprocess.run([str(get_executable()), "--site", str(site), "--output-path",
                               str(into), "--silent"], capture_output=True, text=True)
        if proc.returncode != 0:
            raise PublishError(f"Pagefind không lập được chỉ mục tìm kiếm: {proc.stderr[-800:]}")
        build.record("pagefind", fp, [f"pagefind/{f}" for f in stat_tree(into)])

    if build.complete:
        index(build.staging, build.staging / "pagefind")
        return

    def swap_in() -> None:
        fresh = build.site.with_name(f".{build.site.name}.pagefind-{fp[:8]}")
        shutil.rmtree(fresh, ignore_errors=True)
        index(build.site, fresh)
        readable(fresh)
        swap_dir(fresh, build.site / "pagefind")

    build.after.append(swap_in)


def render(build: Build, jobs: int, executor: Executor | None) -> int:
    nav = nav_of(build)
    navkey = nav.key()
    pages: list[Page] = []
    reports: list[ReportTask] = []
    page_tasks: list[PageTask] = []
    fps = _reports(build, navkey, pages, reports)
    _trends(build, navkey, pages, page_tasks)
    _site_pages(build, navkey, pages, page_tasks)
    for task in reports:
        if task.docs is not None:
            task.docs.mkdir(parents=True, exist_ok=True)
    done: dict[str, Done] = build.run(reports, page_tasks, jobs, executor)
    for task in reports:
        if task.docs is not None:
            build.record(f"report:{task.key}", fps[task.key],
                         [f"{task.key}/{f}" for f in done[task.key].files])
            build.rendered += 1
    content = {p.frame.rel: p.content_fp for p in pages}
    for task in page_tasks:
        if task.trend is not None:
            aid = Path(task.key).stem
            charts = sorted(task.source.parent.glob(f"{aid}-*.png"))
            (build.staging / "agencies").mkdir(parents=True, exist_ok=True)
            for png in charts:
                shutil.copyfile(png, build.staging / "agencies" / png.name)
            build.record(f"trend:{aid}", content[task.key],
                         [f"agencies/{png.name}" for png in charts])
    for page in pages:
        _frame(build, page, nav)
    if build.fresh("assets", render_version()):
        build.keep("assets")
    else:
        (build.staging / "assets").mkdir(exist_ok=True)
        for name in ("site.css", "site.js"):
            shutil.copyfile(ASSETS / name, build.staging / "assets" / name)
        build.record("assets", render_version(), ["assets/site.css", "assets/site.js"])
    pagefind(build, pages)
    return len(pages)

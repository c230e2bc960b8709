"""The Quarto engine: the site rendered by Quarto from the sources in ``_publish/``.

The project configuration is the repository's ``_quarto.yml`` (standard Quarto 1.7, with
its Vietnamese ``language:`` keys); it is copied into the work folder with a generated
``_sidebar.yml`` (its ``metadata-files``) listing periods and agencies by name, so Quarto
renders exactly the generated pages. Quarto makes the HTML and its own search; the PDF
and the DOCX are made as with the pandoc engine (the signed report's form), only when
their report changed, and linked from each page as "PDF" and "Word".
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from ..text import fold
from .build import Build, Executor, link, render_version
from .documents import PageTask, ReportTask
from .engines import quarto_path
from .inputs import fingerprint
from .pages import home_page, period_page, trend_series
from .sources import PublishError

ROOT_CONFIG = "_quarto.yml"
SIDEBAR = "_sidebar.yml"
ASSETS = Path(__file__).parent / "assets"


def sidebar(build: Build) -> dict:
    """The sidebar: home, each period (newest first) with its reports by agency name, and
    the agencies' trend pages; every item titled, never a folder's name."""
    inputs = build.inputs
    contents: list[dict] = [{"text": "Trang chủ", "href": "index.qmd"}]
    for p in reversed(inputs.periods):
        items = [{"text": "Tổng hợp kỳ", "href": f"{p.id}/index.qmd"}]
        items += [{"text": r.short_name, "href": f"{r.key}/report.qmd"}
                  for r in sorted(p.reports.values(), key=lambda r: fold(r.short_name))]
        title = p.label if p.complete else f"{p.label} (chưa đủ)"
        contents.append({"section": title, "contents": items})
    contents.append({"section": "Diễn biến theo cơ quan", "contents": [
        {"text": name, "href": f"agencies/{a}.qmd"}
        for a, name in sorted(inputs.names().items(), key=lambda kv: fold(kv[1]))]})
    return {"website": {"sidebar": {"style": "docked", "search": False,
                                    "contents": contents}}}


def _sources(build: Build, docs: Path) -> tuple[list[ReportTask], list[PageTask], dict]:
    """Tasks for reports whose documents or source changed, and for trend pages."""
    reports, pages, fps = [], [], {}
    for r in build.inputs.reports:
        fp = fps[r.key] = fingerprint(render_version(), r.digest)
        docs_fresh = build.fresh(f"report:{r.key}", fp)
        source_ok = (build.work / r.key / "report.qmd").is_file() and \
            build.old.get(f"source:{r.key}", {}).get("fp") == fp
        if not docs_fresh or not source_ok:
            label = next(p.label for p in build.inputs.periods if p.id == r.period)
            target = None if docs_fresh else docs / r.key
            if target is not None:
                target.mkdir(parents=True, exist_ok=True)
            reports.append(ReportTask(r.key, r.dir / "report.ipynb", build.work / r.key,
                                      target, r.about, label, False, r.stale))
        build.record(f"source:{r.key}", fp)
    for aid, name in sorted(build.inputs.names().items()):
        series = trend_series(build.inputs, aid)
        fp = fingerprint(render_version(), name, series)
        src = build.work / "agencies" / f"{aid}.qmd"
        if not src.is_file() or build.old.get(f"source:agencies/{aid}", {}).get("fp") != fp:
            src.parent.mkdir(parents=True, exist_ok=True)
            pages.append(PageTask(f"agencies/{aid}.html", src, False, (name, series)))
        build.record(f"source:agencies/{aid}", fp)
    return reports, pages, fps


def render(build: Build, jobs: int, executor: Executor | None, project_root: Path) -> int:
    quarto = quarto_path()
    if quarto is None:
        raise PublishError("không tìm thấy Quarto")
    config = project_root / ROOT_CONFIG
    if not config.is_file():
        raise PublishError(f"thiếu {config}")
    docs = build.staging.with_name(build.staging.name + "-docs")
    try:
        reports, pages, fps = _sources(build, docs)
        build.run(reports, pages, jobs, executor)
        for p in build.inputs.periods:
            (build.work / p.id).mkdir(parents=True, exist_ok=True)
            (build.work / p.id / "index.qmd").write_text(
                period_page(p, build.work / p.id)[1], encoding="utf-8")
        (build.work / "index.qmd").write_text(home_page(build.inputs, build.work)[1],
                                              encoding="utf-8")
        shutil.copyfile(config, build.work / ROOT_CONFIG)
        (build.work / SIDEBAR).write_text(yaml.safe_dump(sidebar(build), allow_unicode=True,
                                                         sort_keys=False), encoding="utf-8")
        (build.work / "_assets").mkdir(exist_ok=True)
        shutil.copyfile(ASSETS / "quarto.css", build.work / "_assets" / "quarto.css")
        proc = subprocess.run([quarto, "render", "--output-dir", str(build.staging)],
                              cwd=build.work, capture_output=True, text=True)
        if proc.returncode != 0:
            raise PublishError(f"quarto render thất bại: {proc.stderr.strip()[-1500:]}")
        for task in reports:
            if task.docs is not None:
                files = sorted(f.name for f in task.docs.iterdir())
                for name in files:
                    link(task.docs / name, build.staging / task.key / name)
                build.record(f"report:{task.key}", fps[task.key],
                             [f"{task.key}/{n}" for n in files])
                build.rendered += 1
        for r in build.inputs.reports:
            if f"report:{r.key}" not in build.units:
                build.keep(f"report:{r.key}")
                build.reused += 1
    finally:
        shutil.rmtree(docs, ignore_errors=True)
    return len(build.inputs.reports) + len(build.inputs.periods) + len(build.inputs.names()) + 1

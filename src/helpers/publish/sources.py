"""The one set of sources both publishing engines render.

From the executed notebooks and ``indicators.json`` files under ``reports/`` this writes
``_publish/``: a ``.qmd`` page per agency report (the notebook's Markdown cells and
Markdown outputs, its charts extracted to PNG files beside it, and the downloads), a page
per period, a trend page per agency and the home page. Quarto renders the folder as a
website project; the pandoc engine renders the very same files with pandoc and typst.
Every text that came from a file is escaped before it lands in a page.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..present.markdown import escape
from ..present.trends import is_period, period_key, period_label, trend_charts, trend_table
from ..text import checked_id

DOWNLOADS = ("tables.xlsx", "indicators.json", "dossier_flow.csv", "quality.xlsx")
_OPTION = re.compile(r"^#\|\s?(.*)$")


class PublishError(RuntimeError):
    pass


@dataclass
class Page:
    """One page of the site: ``src`` (a .qmd under the work folder) → ``html`` (relative)."""

    src: Path
    html: str
    title: str
    report: bool = False  # agency reports also get a PDF and a DOCX
    agency: str | None = None
    period: str | None = None
    assets: list[Path] = field(default_factory=list)  # files copied beside the page
    about: dict[str, Any] = field(default_factory=dict)  # the report's agency block

    def digest(self) -> str:
        h = hashlib.sha256(self.src.read_bytes())
        for a in sorted(self.assets):
            h.update(a.name.encode())
            h.update(a.read_bytes())
        return h.hexdigest()


@dataclass
class Sources:
    work: Path
    pages: list[Page]
    periods: list[str]
    agencies: dict[str, str]  # id → short name, for navigation


def attr(text: str) -> str:
    """A text as a pandoc attribute value (``{fig-alt="…"}``): HTML-escaped, and a
    backslash as an entity (pandoc reads ``\\`` there as an escape and drops it)."""
    return html.escape(text).replace("\\", "&#92;")


def _yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def front_matter(title: str, subtitle: str | None = None, report: bool = False,
                 depth: int = 0) -> str:
    up = "../" * depth
    lines = ["---", f"title: {_yaml_str(title)}"]
    if subtitle:
        lines.append(f"subtitle: {_yaml_str(subtitle)}")
    lines.append("lang: vi")
    if report:
        lines += ["format:",
                  "  html: default",
                  "  typst:",
                  "    papersize: a4",
                  "    mainfont: \"Libertinus Serif\"",
                  "    fontsize: 11pt",
                  f"    include-in-header: {up}_assets/report-header.typ",
                  "  docx:",
                  f"    reference-doc: {up}_assets/reference.docx"]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def cell_options(source: str) -> dict[str, Any]:
    """The Quarto cell options (``#| fig-cap: …``) at the top of a code cell."""
    lines = []
    for line in source.splitlines():
        m = _OPTION.match(line)
        if not m:
            break
        lines.append(m[1])
    if not lines:
        return {}
    try:
        data = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _captioned(markdown: str, caption: str) -> str:
    """A table caption (pandoc's ``: caption``) right under the first pipe table."""
    lines = markdown.split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.startswith("|")), None)
    if start is None:
        return markdown
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[:end] + ["", f": {escape(caption)}", ""] + lines[end:])


def notebook_markdown(nb_path: Path, out_dir: Path, stem: str = "fig"
                      ) -> tuple[str, str, list[Path]]:
    """(title, body Markdown, extracted images) from an executed notebook.

    Markdown cells and the outputs of code cells are kept in order: ``text/markdown`` as
    it is (a ``#| tbl-cap:`` option captions its table), ``image/png`` as a figure whose
    caption is the cell's ``#| fig-cap:`` and whose alt text the chart states in the
    output's metadata. Code is never shown; a cell that ended in an error makes the
    notebook unpublishable."""
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    parts: list[str] = []
    images: list[Path] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
            continue
        if cell.cell_type != "code":
            continue
        opts = cell_options(cell.source)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise PublishError(f"{nb_path}: ô có lỗi {out.get('ename')}: "
                                   f"{out.get('evalue')}")
            data = out.get("data", {})
            if "image/png" in data:
                path = out_dir / f"{stem}-{len(images) + 1}.png"
                path.write_bytes(base64.b64decode(data["image/png"]))
                images.append(path)
                alt = (out.get("metadata", {}).get("image/png", {}).get("alt")
                       or opts.get("fig-alt") or opts.get("fig-cap") or "")
                cap = str(opts.get("fig-cap") or "")
                parts.append(f"![{escape(cap)}]({path.name}){{fig-alt=\"{attr(alt)}\"}}")
            elif "text/markdown" in data:
                text = data["text/markdown"]
                if opts.get("tbl-cap"):
                    text = _captioned(text, str(opts["tbl-cap"]))
                parts.append(text)
    body = "\n\n".join(p.strip() for p in parts if p.strip())
    title = "Báo cáo"
    m = re.search(r"^# (.+)$", body, flags=re.M)
    if m:
        title = m[1].strip()
        body = body[:m.start()] + body[m.end():]
    return title, body.strip() + "\n", images


def _indicators(out: Path, period: str) -> dict[str, dict[str, Any]]:
    found = {}
    pdir = out / period
    for p in sorted(pdir.glob("*/indicators.json")):
        found[p.parent.name] = json.loads(p.read_text(encoding="utf-8"))
    return found


def build_sources(out: Path, work: Path, assets: Path) -> Sources:
    """Write ``work`` (emptied first) from the reports under ``out``. Names and the
    documents' heading come from each report's ``indicators.json`` (its ``report`` block):
    publishing reads outputs, not configuration."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(assets, work / "_assets")
    periods = sorted((d.name for d in out.iterdir() if d.is_dir() and is_period(d.name)),
                     key=period_key)
    pages: list[Page] = []
    all_reports: dict[str, dict[str, dict[str, Any]]] = {}
    for period in periods:
        reports = {a: r for a, r in _indicators(out, period).items()
                   if (out / period / a / "report.ipynb").is_file()}
        if not reports:
            continue
        all_reports[period] = reports
        status = run_status(out / period)
        label = period_label(period)
        pdir = work / period
        pdir.mkdir()
        for aid in reports:
            checked_id(aid, "agency id")
            adir = pdir / aid
            adir.mkdir()
            title, body, images = notebook_markdown(out / period / aid / "report.ipynb", adir)
            about = reports[aid].get("report", {})
            body = stale_note(status.get(aid)) + body
            (adir / "report.qmd").write_text(front_matter(title, escape(about.get("name", aid)),
                                                          report=True, depth=2)
                                             + body, encoding="utf-8")
            downloads = [shutil.copy(out / period / aid / f, adir / f) for f in DOWNLOADS
                         if (out / period / aid / f).is_file()]
            pages.append(Page(adir / "report.qmd", f"{period}/{aid}/report.html", title,
                              report=True, agency=aid, period=period,
                              assets=images + [Path(d) for d in downloads], about=about))
        overview = _overview_body(out / period)
        body = [overview, "", "## Báo cáo của từng cơ quan", ""]
        for aid in sorted(reports):
            name = escape(_name(reports[aid]))
            mark = f" · **{STALE[status[aid]]}**" if status.get(aid) in STALE else ""
            body.append(f"- [{name}]({aid}/report.html) · [PDF]({aid}/report.pdf) · "
                        f"[DOCX]({aid}/report.docx) · [Excel]({aid}/tables.xlsx){mark}")
        (pdir / "index.qmd").write_text(front_matter(f"Kết quả CCHC {label}", depth=1)
                                        + "\n".join(body) + "\n", encoding="utf-8")
        pages.append(Page(pdir / "index.qmd", f"{period}/index.html", label, period=period))
    if not all_reports:
        raise PublishError(f"không có báo cáo nào trong {out} để xuất bản (chạy `cchc run`)")
    agencies = sorted({a for r in all_reports.values() for a in r})
    latest_of = {a: r for p in sorted(all_reports, key=period_key)
                 for a, r in all_reports[p].items()}
    pages += _trend_pages(work, all_reports, agencies)
    latest = max(all_reports, key=period_key)
    home = [f"Kỳ báo cáo mới nhất: **{period_label(latest)}** ({len(all_reports[latest])} "
            "cơ quan).", "",
            f"## Tổng hợp {period_label(latest)}", "",
            _relink(_overview_body(out / latest), f"{latest}/"), "",
            "", "## Các kỳ báo cáo", ""]
    for period in sorted(all_reports, key=period_key, reverse=True):
        home.append(f"- [{period_label(period)}]({period}/index.html): "
                    + ", ".join(f"[{escape(_name(r, short=True))}]({period}/{a}/report.html)"
                                for a, r in sorted(all_reports[period].items())))
    home += ["", "## Theo cơ quan", ""]
    home += [f"- [{escape(_name(latest_of[a]))}](agencies/{a}.html)" for a in agencies]
    (work / "index.qmd").write_text(front_matter("Báo cáo cải cách hành chính") + "\n".join(home)
                                    + "\n", encoding="utf-8")
    pages.append(Page(work / "index.qmd", "index.html", "Trang chủ"))
    names = {a: _name(latest_of[a], short=True) for a in agencies}
    return Sources(work, pages, sorted(all_reports, key=period_key), names)


STALE = {"input_error": "số liệu kỳ này chưa cập nhật do lỗi đầu vào",
         "failed": "số liệu kỳ này chưa cập nhật do lỗi khi lập báo cáo"}


def run_status(period_dir: Path) -> dict[str, str]:
    """Each agency's status in the period's last run (its manifest, an output of the run):
    a report whose last attempt was refused is still the last good one, and says so."""
    try:
        agencies = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
        return {a: str(e.get("status")) for a, e in agencies.get("agencies", {}).items()
                if isinstance(e, dict)}
    except (OSError, ValueError, AttributeError):
        return {}


def stale_note(status: str | None) -> str:
    """The notice above a report the last run could not replace (Markdown)."""
    if status not in STALE:
        return ""
    return (f"::: {{.stale}}\n**{STALE[status].capitalize()}.** Báo cáo dưới đây là bản lập "
            "ở lần chạy thành công trước; lần chạy gần nhất của kỳ này đã bị từ chối và "
            "không thay thế nó (xem sổ tổng hợp lần chạy, manifest.json).\n:::\n\n")


def _name(report: dict[str, Any], short: bool = False) -> str:
    about = report.get("report", {})
    return str(about.get("short_name" if short else "name") or about.get("name")
               or report["agency"])


def _overview_body(period_dir: Path) -> str:
    """The provincial overview as the executed overview notebook shows it (its title
    dropped: the page has its own)."""
    nb = period_dir / "overview.ipynb"
    if not nb.is_file():
        return "_Chưa có bảng tổng hợp của kỳ này (notebook tổng hợp chưa chạy)._"
    images_dir = period_dir / ".overview-images"
    images_dir.mkdir(exist_ok=True)
    _, body, images = notebook_markdown(nb, images_dir, stem="overview")
    # the overview's chart is embedded again as a data URI: pages stay self-contained
    for img in images:
        data = base64.b64encode(img.read_bytes()).decode("ascii")
        body = body.replace(f"]({img.name})", f"](data:image/png;base64,{data})")
        img.unlink()
    images_dir.rmdir()
    return re.sub(r"^(#+) ", r"#\1 ", body, flags=re.M)  # one level down, under the page


def _relink(body: str, prefix: str) -> str:
    """Links relative to a period page, made relative to the site root."""
    return re.sub(r"\]\((?!https?:|data:|/|#)([^)]+)\)", lambda m: f"]({prefix}{m[1]})", body)


def _trend_pages(work: Path, all_reports: dict[str, dict[str, dict[str, Any]]],
                 agencies: list[str]) -> list[Page]:
    pages = []
    adir = work / "agencies"
    adir.mkdir()
    ordered = sorted(all_reports, key=period_key)
    for aid in agencies:
        series = [(p, all_reports[p][aid]) for p in ordered if aid in all_reports[p]]
        name = _name(series[-1][1])
        body = ["## Diễn biến qua các kỳ", "", trend_table(series), ""]
        images = []
        for code, chart in trend_charts(series):
            path = adir / f"{aid}-{code.replace('.', '-')}.png"
            path.write_bytes(chart.png())
            images.append(path)
            body += [f"![]({path.name}){{fig-alt=\"{attr(chart.alt)}\"}}", ""]
        (adir / f"{aid}.qmd").write_text(front_matter(escape(name), "Diễn biến qua các kỳ "
                                                      "báo cáo", depth=1) + "\n".join(body),
                                         encoding="utf-8")
        pages.append(Page(adir / f"{aid}.qmd", f"agencies/{aid}.html", name, agency=aid,
                          assets=images))
    return pages

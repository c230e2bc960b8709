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
import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import md
from .. import vnformat as vn
from ..config import Params
from ..periods import parse_period
from ..text import checked_id

DOWNLOADS = ("tables.xlsx", "indicators.json", "dossier_flow.csv", "quality.xlsx")
_DATA_IMG = re.compile(r"!\[([^\]]*)\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)")
HEADLINE = ("rate.on_time", "rate.online_dossiers", "rate.online_procedures",
            "rate.satisfaction", "rate.tasks_done")
TREND = (("rate.on_time", "Tỷ lệ giải quyết đúng hạn"),
         ("rate.online_dossiers", "Tỷ lệ hồ sơ trực tuyến"),
         ("rate.satisfaction", "Tỷ lệ hài lòng"),
         ("rate.tasks_done", "Tỷ lệ nhiệm vụ đến hạn đã hoàn thành"))


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
    params: Params | None = None


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


def notebook_markdown(nb_path: Path, out_dir: Path, stem: str = "fig") -> tuple[str, str, list[Path]]:
    """(title, body Markdown, extracted images) from an executed notebook.

    Markdown cells and ``text/markdown`` outputs are kept in order; code is never shown;
    a cell that ended in an error makes the notebook unpublishable."""
    from ..kernels import skip_iri_grammar

    skip_iri_grammar()
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    parts: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    raise PublishError(f"{nb_path}: ô có lỗi {out.get('ename')}: "
                                       f"{out.get('evalue')}")
                data = out.get("data", {})
                if "text/markdown" in data:
                    parts.append(data["text/markdown"])
    body = "\n\n".join(p.strip() for p in parts if p.strip())
    images: list[Path] = []

    def extract(m: re.Match[str]) -> str:
        path = out_dir / f"{stem}-{len(images) + 1}.png"
        path.write_bytes(base64.b64decode(m[2]))
        images.append(path)
        return f"![{m[1]}]({path.name})"

    body = _DATA_IMG.sub(extract, body)
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


def _cell(code: str, item: dict[str, Any] | None) -> str:
    if item is None:
        return "–"
    text = vn.indicator(code, item["value"])
    if item["met"] is False:
        return f"{text} ✗ **chưa đạt** ({vn.target(code, item['target'])})"
    if item["met"] is True:
        return f"{text} ✓ đạt"
    return text


def build_sources(out: Path, params: Params, work: Path, assets: Path) -> Sources:
    """Write ``work`` (emptied first) from the reports under ``out``."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(assets, work / "_assets")
    periods = sorted((d.name for d in out.iterdir() if d.is_dir() and _is_period(d.name)),
                     key=_period_key)
    pages: list[Page] = []
    all_reports: dict[str, dict[str, dict[str, Any]]] = {}
    for period in periods:
        reports = {a: r for a, r in _indicators(out, period).items()
                   if (out / period / a / "report.ipynb").is_file()}
        if not reports:
            continue
        all_reports[period] = reports
        p = parse_period(period)
        pdir = work / period
        pdir.mkdir()
        for aid in reports:
            checked_id(aid, "agency id")
            adir = pdir / aid
            adir.mkdir()
            title, body, images = notebook_markdown(out / period / aid / "report.ipynb", adir)
            name = params.agencies[aid].name if aid in params.agencies else aid
            (adir / "report.qmd").write_text(front_matter(title, name, report=True, depth=2)
                                             + body, encoding="utf-8")
            downloads = [shutil.copy(out / period / aid / f, adir / f) for f in DOWNLOADS
                         if (out / period / aid / f).is_file()]
            pages.append(Page(adir / "report.qmd", f"{period}/{aid}/report.html", title,
                              report=True, agency=aid, period=period,
                              assets=images + [Path(d) for d in downloads]))
        overview = _overview_body(out / period)
        body = [overview, "", "## Báo cáo của từng cơ quan", ""]
        for aid in sorted(reports):
            name = md.escape(params.agencies[aid].name if aid in params.agencies else aid)
            body.append(f"- [{name}]({aid}/report.html) · [PDF]({aid}/report.pdf) · "
                        f"[DOCX]({aid}/report.docx) · [Excel]({aid}/tables.xlsx)")
        (pdir / "index.qmd").write_text(front_matter(f"Kết quả CCHC {p.label}", depth=1)
                                        + "\n".join(body) + "\n", encoding="utf-8")
        pages.append(Page(pdir / "index.qmd", f"{period}/index.html", p.label, period=period))
    if not all_reports:
        raise PublishError(f"không có báo cáo nào trong {out} để xuất bản (chạy `cchc run`)")
    agencies = sorted({a for r in all_reports.values() for a in r})
    pages += _trend_pages(work, params, all_reports, agencies)
    latest = max(all_reports, key=_period_key)
    lp = parse_period(latest)
    home = [f"Kỳ báo cáo mới nhất: **{lp.label}** ({len(all_reports[latest])} cơ quan). "
            f"Cập nhật {datetime.now():%d/%m/%Y %H:%M}.", "",
            f"## Tổng hợp {lp.label}", "",
            _relink(_overview_body(out / latest), f"{latest}/"), "",
            "", "## Các kỳ báo cáo", ""]
    for period in sorted(all_reports, key=_period_key, reverse=True):
        home.append(f"- [{parse_period(period).label}]({period}/index.html): "
                    + ", ".join(f"[{md.escape(params.agencies[a].short_name if a in params.agencies else a)}]"
                                f"({period}/{a}/report.html)"
                                for a in sorted(all_reports[period])))
    home += ["", "## Theo cơ quan", ""]
    home += [f"- [{md.escape(params.agencies[a].name if a in params.agencies else a)}]"
             f"(agencies/{a}.html)" for a in agencies]
    (work / "index.qmd").write_text(front_matter("Báo cáo cải cách hành chính") + "\n".join(home)
                                    + "\n", encoding="utf-8")
    pages.append(Page(work / "index.qmd", "index.html", "Trang chủ"))
    names = {a: params.agencies[a].short_name if a in params.agencies else a for a in agencies}
    return Sources(work, pages, sorted(all_reports, key=_period_key), names, params)


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


def _trend_pages(work: Path, params: Params, all_reports: dict[str, dict[str, dict[str, Any]]],
                 agencies: list[str]) -> list[Page]:
    from .. import charts

    pages = []
    adir = work / "agencies"
    adir.mkdir()
    ordered = sorted(all_reports, key=_period_key)
    for aid in agencies:
        series = [(p, all_reports[p][aid]) for p in ordered if aid in all_reports[p]]
        name = params.agencies[aid].name if aid in params.agencies else aid
        rows = []
        for p, r in series:
            rows.append([f"[{parse_period(p).label}](../{p}/{aid}/report.html)",
                         *[_cell(c, r["indicators"].get(c)) for c, _ in TREND]])
        body = ["## Diễn biến qua các kỳ", "",
                md.table(rows, ["Kỳ", *[t for _, t in TREND]]), ""]
        images = []
        for code, title in TREND:
            pts = [(parse_period(p).label, r["indicators"].get(code, {}).get("value"))
                   for p, r in series]
            if not any(v is not None for _, v in pts):
                continue
            target = series[-1][1]["indicators"].get(code, {}).get("target")
            chart = charts.trend(pts, title, target)
            path = adir / f"{aid}-{code.replace('.', '-')}.png"
            path.write_bytes(md.figure_png(chart.figure))
            images.append(path)
            body += [f"![{md.escape(chart.alt)}]({path.name})", ""]
        (adir / f"{aid}.qmd").write_text(front_matter(name, "Diễn biến qua các kỳ báo cáo",
                                                      depth=1) + "\n".join(body),
                                         encoding="utf-8")
        pages.append(Page(adir / f"{aid}.qmd", f"agencies/{aid}.html", name, agency=aid,
                          assets=images))
    return pages


def _is_period(name: str) -> bool:
    try:
        parse_period(name)
        return True
    except ValueError:
        return False


def _period_key(pid: str) -> tuple[int, int, int]:
    p = parse_period(pid)
    order = {"ytd": 0, "quarter": 1, "month": 2}[p.kind]
    return (p.year, p.last_month, order)

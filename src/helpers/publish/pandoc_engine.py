"""The pandoc engine: the Quarto sources rendered with pandoc and typst directly.

HTML through pandoc with the site template; PDF through pandoc's typst writer and the
``typst`` package (A4, Libertinus Serif, which covers Vietnamese); DOCX through pandoc with
the generated reference document, then the administrative header and signature blocks.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from ..present.trends import period_label
from .docx import Heading, add_admin_form, reference_docx
from .engines import ASSETS, register
from .sources import Page, PublishError, Sources


def pandoc_bin() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _pandoc(args: list[str], cwd: Path) -> None:
    proc = subprocess.run([pandoc_bin(), *args], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise PublishError(f"pandoc thất bại ({' '.join(args[:2])}): {proc.stderr.strip()[:800]}")


def nav_html(sources: Sources, root: str) -> str:
    periods = "".join(
        f'<li><a href="{root}{p}/index.html">{html.escape(period_label(p))}</a></li>'
        for p in reversed(sources.periods))
    agencies = "".join(f'<li><a href="{root}agencies/{a}.html">{html.escape(n)}</a></li>'
                       for a, n in sorted(sources.agencies.items(), key=lambda kv: kv[1]))
    return (f'<nav class="site"><a href="{root}index.html">Trang chủ</a>'
            f"<details><summary>Kỳ báo cáo</summary><ul>{periods}</ul></details>"
            f"<details><summary>Cơ quan</summary><ul>{agencies}</ul></details></nav>")


def render_html(page: Page, dest: Path, sources: Sources) -> None:
    depth = page.html.count("/")
    root = "../" * depth
    formats = ""
    if page.report:
        formats = ('<a href="report.pdf">Tải PDF</a> <a href="report.docx">Tải DOCX</a> '
                   '<a href="tables.xlsx">Bảng số liệu Excel</a> '
                   '<a href="indicators.json">indicators.json</a>')
    _pandoc([page.src.name, "-f", "markdown", "-t", "html5", "--standalone",
             "--template", str(ASSETS / "site.html"), "-V", f"root={root}",
             "-V", f"nav={nav_html(sources, root)}", "-V", f"formats={formats}",
             "--lua-filter", str(ASSETS / "alt-text.lua"),
             "-M", f"pagetitle={page.title}", "-o", str(dest)], cwd=page.src.parent)


def render_pdf(page: Page, dest: Path) -> None:
    import typst

    typ = page.src.with_suffix(".typ")
    _pandoc([page.src.name, "-f", "markdown", "-t", "typst", "--standalone",
             "-V", "papersize=a4", "-V", "mainfont=Libertinus Serif", "-V", "fontsize=11pt",
             "-V", "lang=vi", "--include-in-header", str(ASSETS / "report-header.typ"),
             "-o", typ.name], cwd=page.src.parent)
    try:
        typst.compile(str(typ), output=str(dest), root=str(page.src.parent))
    except Exception as exc:  # typst raises its own error type with the diagnostics
        raise PublishError(f"typst thất bại cho {page.src}: {str(exc)[:800]}") from exc


def render_docx(page: Page, dest: Path, sources: Sources, reference: Path) -> None:
    _pandoc([page.src.name, "-f", "markdown", "-t", "docx", "--reference-doc", str(reference),
             "-o", str(dest)], cwd=page.src.parent)
    render_docx_form(page, dest, sources)


def render_docx_form(page: Page, dest: Path, sources: Sources) -> None:
    """Put the administrative header and signature blocks around a rendered DOCX, from the
    report's own ``report`` block (agency, parent, symbol, place)."""
    about = page.about
    if not about or page.period is None:
        return
    label = period_label(page.period)
    subject = (f"Kết quả thực hiện công tác cải cách hành chính {label.lower()}"
               if not label.startswith("Năm") else
               f"Kết quả thực hiện công tác cải cách hành chính {label.lower()}")
    add_admin_form(dest, Heading(
        parent=about.get("parent_name") or "", issuer=about.get("name") or "",
        symbol=about.get("symbol") or "", place=about.get("place") or "", on=None,
        title="BÁO CÁO", subject=subject,
        recipients=(about.get("parent_name") or "Cơ quan cấp trên", "Sở Nội vụ",
                    "Lãnh đạo cơ quan")))


@register("pandoc")
def render(sources: Sources, staging: Path, old_site: Path, reuse: dict[str, str],
           echo: Callable[[str], None], project_root: Path) -> int:
    (staging / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copy(ASSETS / "site.css", staging / "assets" / "site.css")
    reference = reference_docx(sources.work / "_assets" / "reference.docx")
    rendered = 0
    for page in sources.pages:
        if page.html in reuse:
            continue
        dest = staging / page.html
        dest.parent.mkdir(parents=True, exist_ok=True)
        for asset in page.assets:
            shutil.copy2(asset, dest.parent / asset.name)
        try:
            render_html(page, dest, sources)
            if page.report:
                render_pdf(page, dest.with_suffix(".pdf"))
                render_docx(page, dest.with_suffix(".docx"), sources, reference)
        except PublishError as exc:
            raise PublishError(f"trang {page.html}: {exc}") from exc
        rendered += 1
    return rendered

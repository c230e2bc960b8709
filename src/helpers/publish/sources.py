"""The one set of sources both publishing engines render, written into ``_publish/``.

A report's page is its executed notebook as Markdown (a ``.qmd`` file): Markdown cells
and the Markdown outputs of code cells in order, charts extracted to PNG files beside it
with their alt text, code never shown. Cells tagged ``site-only`` are wrapped in Quarto's
``content-visible when-format="html"`` (on the site, out of the PDF and DOCX); cells tagged
``appendix`` in a ``cchc-appendix`` div (the signed report's appendix section). Period,
trend and home pages are Markdown written here too. Every text that came from a file is
escaped before it lands in a page.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path
from typing import Any

import yaml

from ..present.markdown import escape

DOWNLOADS = ("tables.xlsx", "indicators.json", "dossier_flow.csv", "quality.xlsx")
_OPTION = re.compile(r"^#\|\s?(.*)$")
SITE_ONLY, APPENDIX = "site-only", "appendix"


class PublishError(RuntimeError):
    """A report or page that cannot be published; the message names it, in Vietnamese."""


def attr(text: str) -> str:
    """A text as a pandoc attribute value (``{fig-alt="…"}``): HTML-escaped, and a
    backslash as an entity (pandoc reads ``\\`` there as an escape and drops it)."""
    return html.escape(text).replace("\\", "&#92;")


def _yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def front_matter(title: str, subtitle: str | None = None,
                 links: list[tuple[str, str, str]] | None = None) -> str:
    """YAML front matter: title, subtitle, Vietnamese, and for Quarto the links to the
    report's other files (``other-links``: text, file, icon)."""
    lines = ["---", f"title: {_yaml_str(title)}"]
    if subtitle:
        lines.append(f"subtitle: {_yaml_str(subtitle)}")
    lines.append("lang: vi")
    if links:
        lines.append("other-links:")
        for text, href, icon in links:
            lines += [f"  - text: {_yaml_str(text)}", f"    href: {href}", f"    icon: {icon}"]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


REPORT_LINKS = [("PDF", "report.pdf", "file-pdf"), ("Word", "report.docx", "file-word"),
                ("Bảng số liệu (Excel)", "tables.xlsx", "file-spreadsheet"),
                ("Chỉ số (JSON)", "indicators.json", "filetype-json")]


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
    """A table caption (pandoc's ``: caption``) right under the first table, pipe or grid."""
    lines = markdown.split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.startswith(("|", "+"))), None)
    if start is None:
        return markdown
    end = start
    while end < len(lines) and lines[end].startswith(("|", "+")):
        end += 1
    return "\n".join(lines[:end] + ["", f": {escape(caption)}", ""] + lines[end:])


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _tag(cell: dict[str, Any]) -> str | None:
    tags = cell.get("metadata", {}).get("tags", [])
    return SITE_ONLY if SITE_ONLY in tags else APPENDIX if APPENDIX in tags else None


def _cell_parts(cell: dict[str, Any], nb_path: Path, out_dir: Path, stem: str,
                images: list[Path]) -> list[str]:
    if cell.get("cell_type") == "markdown":
        return [_text(cell.get("source"))]
    if cell.get("cell_type") != "code":
        return []
    opts = cell_options(_text(cell.get("source")))
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            raise PublishError(f"{nb_path}: ô có lỗi {out.get('ename')}: {out.get('evalue')}")
        data = out.get("data", {})
        if "image/png" in data:
            path = out_dir / f"{stem}-{len(images) + 1}.png"
            path.write_bytes(base64.b64decode(_text(data["image/png"])))
            images.append(path)
            alt = (out.get("metadata", {}).get("image/png", {}).get("alt")
                   or opts.get("fig-alt") or opts.get("fig-cap") or "")
            cap = str(opts.get("fig-cap") or "")
            parts.append(f"![{escape(cap)}]({path.name}){{fig-alt=\"{attr(alt)}\"}}")
        elif "text/markdown" in data:
            text = _text(data["text/markdown"])
            if opts.get("tbl-cap"):
                text = _captioned(text, str(opts["tbl-cap"]))
            parts.append(text)
    return parts


def notebook_markdown(nb_path: Path, out_dir: Path, stem: str = "fig"
                      ) -> tuple[str, str, list[Path]]:
    """(title, body Markdown, extracted images) from an executed notebook.

    Markdown cells and the outputs of code cells are kept in order: ``text/markdown`` as
    it is (a ``#| tbl-cap:`` option captions its table), ``image/png`` as a figure whose
    caption is the cell's ``#| fig-cap:`` and whose alt text the chart states in the
    output's metadata. Tagged cells are wrapped (see the module). Code is never shown; a
    cell that ended in an error makes the notebook unpublishable."""
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PublishError(f"{nb_path}: không đọc được notebook ({exc})") from None
    images: list[Path] = []
    groups: list[tuple[str | None, list[str]]] = []
    for cell in nb.get("cells", []):
        parts = [p.strip() for p in _cell_parts(cell, nb_path, out_dir, stem, images) if p.strip()]
        if not parts:
            continue
        tag = _tag(cell)
        if groups and groups[-1][0] == tag:
            groups[-1][1].extend(parts)
        else:
            groups.append((tag, parts))
    title, chunks = "Báo cáo", []
    for tag, parts in groups:
        body = "\n\n".join(parts)
        if title == "Báo cáo" and tag is None:
            m = re.search(r"^# (.+)$", body, flags=re.M)
            if m:
                title = m[1].strip()
                body = (body[:m.start()] + body[m.end():]).strip()
        fence = {SITE_ONLY: '::: {.content-visible when-format="html"}',
                 APPENDIX: "::: {.cchc-appendix}"}.get(tag or "")
        chunks.append(f"{fence}\n\n{body}\n\n:::" if fence else body)
    return title, "\n\n".join(c for c in chunks if c.strip()) + "\n", images


def report_source(nb: Path, work: Path, about: dict[str, Any], stale: str | None = None
                  ) -> tuple[str, Path]:
    """Write ``work/report.qmd`` and its images from an executed notebook; (title, path).
    The bold agency line under the title is dropped: the page's subtitle says it. A report
    the last run could not replace (``stale``) says so before anything else."""
    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob("fig-*.png"):
        old.unlink()
    title, body, _ = notebook_markdown(nb, work)
    name = about.get("name") or ""
    if name:
        body = re.sub(rf"^\*\*{re.escape(escape(name))}\*\*\n+", "", body.lstrip())
    if stale:
        body = (f"::: {{.stale}}\n**{stale[0].upper() + stale[1:]}.** Báo cáo dưới đây là bản "
                "lập ở lần chạy thành công trước; lần chạy gần nhất của kỳ này đã bị từ chối và "
                "không thay thế nó (xem sổ tổng hợp lần chạy, manifest.json).\n:::\n\n" + body)
    path = work / "report.qmd"
    path.write_text(front_matter(title, escape(name) if name else None, REPORT_LINKS) + body,
                    encoding="utf-8")
    return title, path


def overview_markdown(period_dir: Path, images: Path) -> str:
    """The provincial overview as the executed overview notebook shows it, its title
    dropped and headings one level down; its charts written into ``images``."""
    nb = period_dir / "overview.ipynb"
    if not nb.is_file():
        return "_Chưa có bảng tổng hợp của kỳ này (notebook tổng hợp chưa chạy)._"
    images.mkdir(parents=True, exist_ok=True)
    for old in images.glob("overview-*.png"):
        old.unlink()
    _, body, _ = notebook_markdown(nb, images, stem="overview")
    return re.sub(r"^(#+) ", r"#\1 ", body, flags=re.M)


def relink(body: str, prefix: str) -> str:
    """Links relative to a period page, made relative to the site root."""
    return re.sub(r"\]\((?!https?:|data:|/|#)([^)]+)\)", lambda m: f"]({prefix}{m[1]})", body)

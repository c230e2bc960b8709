"""The site's pages (pandoc engine): navbar, sidebar by period and agency, table of
contents, offline search (Pagefind), downloads, footer; in Vietnamese, and usable on a
phone. A page's body is pandoc's HTML of its source; this module only frames it, so the
frame of every page can change (a new period in the sidebar) without rendering again.
Every text is escaped here; nothing is fetched from another host.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

FOOTER = ("Lập bởi cchc-reports từ số liệu xuất của các cơ quan. Mọi số liệu được tính từ "
          "dữ liệu và truy vết được tới từng tệp nguồn qua sổ tổng hợp lần chạy và mã băm "
          "SHA-256 của tệp.")


@dataclass(frozen=True)
class NavPeriod:
    period: str
    label: str
    complete: bool
    reports: tuple[tuple[str, str], ...]  # (agency id, short name), by name


@dataclass(frozen=True)
class Nav:
    """What the sidebar lists: the periods (newest first) with their reports, and the
    agencies' trend pages."""

    periods: tuple[NavPeriod, ...]
    agencies: tuple[tuple[str, str], ...]  # (agency id, name), by name
    latest: str | None  # the period the home page shows

    def key(self) -> str:
        return json.dumps([[p.period, p.label, p.complete, p.reports] for p in self.periods]
                          + [self.agencies, self.latest], ensure_ascii=False)


@dataclass
class Frame:
    """One page's frame: where it is (``rel``), its titles, its table of contents."""

    rel: str  # path under the site, e.g. "2019-9M/so-x/report.html"
    title: str
    subtitle: str = ""
    search_title: str = ""
    toc: list[tuple[int, str, str]] = field(default_factory=list)  # (level, id, text)
    downloads: bool = False
    period: str | None = None
    agency: str | None = None


def _link(href: str, text: str, current: bool) -> str:
    cur = ' aria-current="page"' if current else ""
    return f'<li><a href="{escape(href)}"{cur}>{escape(text)}</a></li>'


def sidebar(nav: Nav, f: Frame, root: str) -> str:
    out = ['<nav id="sidebar" class="sidebar" aria-label="Danh mục báo cáo">']
    for p in nav.periods:
        here = f.period == p.period and f.agency is not None or f.rel == f"{p.period}/index.html"
        opened = " open" if here or (f.period is None and p.period == nav.latest) else ""
        note = "" if p.complete else ' <span class="partial">(chưa đủ)</span>'
        items = [_link(f"{root}{p.period}/index.html", "Tổng hợp kỳ",
                       f.rel == f"{p.period}/index.html")]
        items += [_link(f"{root}{p.period}/{a}/report.html", name,
                        f.rel == f"{p.period}/{a}/report.html") for a, name in p.reports]
        out.append(f"<details{opened}><summary>{escape(p.label)}{note}</summary>"
                   f"<ul>{''.join(items)}</ul></details>")
    opened = " open" if f.rel.startswith("agencies/") else ""
    items = [_link(f"{root}agencies/{a}.html", name, f.rel == f"agencies/{a}.html")
             for a, name in nav.agencies]
    out.append(f"<details{opened}><summary>Diễn biến theo cơ quan</summary>"
               f"<ul>{''.join(items)}</ul></details></nav>")
    return "".join(out)


def toc(f: Frame) -> str:
    if len(f.toc) < 2:
        return ""
    items = "".join(f'<li class="l{level}"><a href="#{escape(ident)}">{escape(text)}</a></li>'
                    for level, ident, text in f.toc)
    return (f'<nav class="toc" aria-label="Mục lục trang" data-pagefind-ignore>'
            f"<h2>Trên trang này</h2><ul>{items}</ul></nav>")


DOWNLOADS = (("report.pdf", "PDF"), ("report.docx", "Word"), ("tables.xlsx", "Bảng số liệu (Excel)"),
             ("dossier_flow.csv", "Giải quyết TTHC (CSV)"), ("indicators.json", "Chỉ số (JSON)"),
             ("quality.xlsx", "Chất lượng dữ liệu (Excel)"))


def page(f: Frame, body: str, nav: Nav, available: set[str] | None = None) -> str:
    """The whole page around ``body`` (pandoc's HTML of the source)."""
    root = "../" * f.rel.count("/")
    latest = (f'<a href="{root}{nav.latest}/index.html">Kỳ mới nhất</a>' if nav.latest else "")
    downloads = ""
    if f.downloads:
        links = " ".join(f'<a href="{href}">{escape(text)}</a>' for href, text in DOWNLOADS
                         if available is None or href in available)
        downloads = f'<p class="downloads" data-pagefind-ignore>Tải về: {links}</p>'
    subtitle = f'<p class="subtitle">{escape(f.subtitle)}</p>' if f.subtitle else ""
    meta = escape(f"title:{f.search_title or f.title}", quote=True)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cchc-reports (pandoc)">
<title>{escape(f.search_title or f.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{root}assets/site.css">
<link rel="stylesheet" href="{root}pagefind/pagefind-ui.css">
</head>
<body>
<header class="navbar" data-pagefind-ignore>
<button class="menu" type="button" aria-controls="sidebar" aria-expanded="false">☰ Danh mục</button>
<a class="brand" href="{root}index.html">Báo cáo cải cách hành chính</a>
<nav class="links" aria-label="Trang chính"><a href="{root}index.html">Trang chủ</a>{latest}</nav>
<div id="search" class="search" data-bundle="{root}pagefind/"></div>
</header>
<div class="layout">
{sidebar(nav, f, root)}
<main data-pagefind-body data-pagefind-meta="{meta}">
<h1 class="title">{escape(f.title)}</h1>
{subtitle}
{downloads}
{body}
</main>
{toc(f)}
</div>
<footer class="site" data-pagefind-ignore>{escape(FOOTER)}</footer>
<script src="{root}assets/site.js"></script>
<script src="{root}pagefind/pagefind-ui.js"></script>
</body>
</html>
"""

"""The published site as files: readable by a web server whatever the umask, made again
only where its inputs changed (one agency changed: only its report), the same bytes for
the same inputs whatever the number of processes (no clock time on any page), the home
page on the latest complete period, Vietnamese on every page."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HCM

from helpers.publish import publish_site
from helpers.run import executors

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def _publish(reports: Path, site: Path, **kw):
    return publish_site(ROOT, reports, site, engine="pandoc", echo=lambda s: None, **kw)


@pytest.fixture()
def reports(tiny_built, tmp_path) -> Path:
    """A private copy of the tiny project's reports (three agencies, 2019-9M)."""
    _, built, _, _ = tiny_built
    out = tmp_path / "reports"
    shutil.copytree(built, out, ignore=shutil.ignore_patterns("_store", "logs"))
    return out


def test_published_files_are_readable_whatever_the_umask(hcm_run, tmp_path):
    # the reports are written 0600 (files made whole in a private temporary file) …
    assert any(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in (hcm_run / "2019-10M").rglob("*")
               if p.is_file())
    site = tmp_path / "_site"
    subprocess.run([sys.executable, "-m", "helpers.cli", "publish", "--period", "2019-10M",
                    "--engine", "pandoc", "--out", str(hcm_run), "--site", str(site),
                    "--jobs", "1"], cwd=ROOT, check=True, capture_output=True,
                   preexec_fn=lambda: os.umask(0o077))
    # … and published 0644 in folders 0755, with a umask of 077
    modes = {p.relative_to(site): stat.S_IMODE(p.stat().st_mode) for p in site.rglob("*")}
    assert len(modes) > 40
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    wrong = {str(p): oct(m) for p, m in modes.items()
             if m != (0o755 if (site / p).is_dir() else 0o644)}
    assert wrong == {}
    for name in ("tables.xlsx", "indicators.json", "quality.xlsx", "dossier_flow.csv"):
        assert modes[Path("2019-10M") / HCM / name] == 0o644


def test_one_changed_agency_is_the_only_one_made_again(reports, tmp_path):
    site = tmp_path / "_site"
    first = _publish(reports, site)
    assert (first.rendered, first.reused) == (3, 0)
    before = {p.relative_to(site): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    nb = reports / "2019-9M" / "xa-binh-an" / "report.ipynb"
    data = json.loads(nb.read_text(encoding="utf-8"))
    data["cells"].append({"cell_type": "markdown", "metadata": {}, "id": "added",
                          "source": "Ghi chú bổ sung của chuyên viên."})
    nb.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    old_umask = os.umask(0o077)  # the changes, too, are published readable
    try:
        second = _publish(reports, site)
    finally:
        os.umask(old_umask)
    assert (second.rendered, second.reused) == (1, 2)
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in site.rglob("*") if p.is_file()} == \
        {oct(0o644)}
    after = {p.relative_to(site): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    changed = {str(p) for p in after if before.get(p) != after[p]}
    made = {f"2019-9M/xa-binh-an/{f.name}" for f in (site / "2019-9M" / "xa-binh-an").iterdir()
            if f.name.startswith(("report.", "fig-"))}
    assert {"2019-9M/xa-binh-an/report.pdf", "2019-9M/xa-binh-an/report.docx"} <= made
    # its page, PDF, DOCX and charts; the search index; nothing of the other agencies,
    # the period's page, the home page or the trend pages
    assert {p for p in changed if not p.startswith(("pagefind/", ".cchc"))} == made
    html = (site / "2019-9M" / "xa-binh-an" / "report.html").read_text(encoding="utf-8")
    assert "Ghi chú bổ sung của chuyên viên." in html
    assert "Ghi chú bổ sung của chuyên viên." in subprocess.run(
        ["pdftotext", str(site / "2019-9M" / "xa-binh-an" / "report.pdf"), "-"],
        capture_output=True, text=True).stdout


def test_same_inputs_give_the_same_bytes_serial_or_parallel(reports, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    _publish(reports, a)
    shutil.rmtree(reports.parent / "_publish")
    _publish(reports, b, jobs=2, executor=executors.get("local"))
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    differ = [str(p) for p in files_a if (a / p).read_bytes() != (b / p).read_bytes()]
    assert differ == []
    home = (a / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"\b\d{1,2}:\d{2}\b", home)  # no clock time on the home page


def test_home_shows_the_latest_complete_period(reports, tmp_path):
    """A run of one agency in a newer period does not replace the province's view."""
    partial = reports / "2019-FY" / "xa-an-binh"
    shutil.copytree(reports / "2019-9M" / "xa-an-binh", partial)
    site = tmp_path / "_site"
    _publish(reports, site)
    home = " ".join((site / "index.html").read_text(encoding="utf-8").split())
    assert "Kỳ báo cáo mới nhất: <strong>9 tháng đầu năm 2019</strong> (3 cơ quan)" in home
    assert "Năm 2019</strong> đang được lập" in home
    assert "Tổng hợp 9 tháng đầu năm 2019" in home
    assert "(chưa đủ)" in home  # the sidebar says the newer period is partial
    assert (site / "2019-FY" / "xa-an-binh" / "report.pdf").is_file()


def test_pages_speak_vietnamese(tiny_built):
    _, _, site, _ = tiny_built
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert '<html lang="vi">' in text
        for english in ("On this page", "Other Formats", "Search", "Download", "manifest",
                        "Sheet", "Agencies", "Typst"):
            assert english not in re.sub(r"<[^>]+>", " ", text), (page, english)
        assert "Trên trang này" in text or page.name != "report.html"


def test_quarto_project_is_vietnamese_and_names_agencies(tiny_built):
    """What the Quarto engine hands Quarto (rendered where Quarto is installed): the
    interface's labels in Vietnamese, a sidebar of titled items (names, never folder
    slugs), and "PDF" and "Word" as the links to a report's files."""
    from types import SimpleNamespace

    import yaml

    from helpers.publish.inputs import Hasher, scan
    from helpers.publish.quarto_engine import sidebar

    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["lang"] == "vi" and "_sidebar.yml" in config["metadata-files"]
    for key in ("toc-title-website", "related-formats-title", "other-links-title",
                "search-text-placeholder", "search-no-results-text", "back-to-top"):
        assert config["language"][key] and not re.search(r"[A-Z][a-z]+ [a-z]+", key)
    assert config["language"]["toc-title-website"] == "Trên trang này"
    assert "manifest" not in config["website"]["page-footer"]
    _, reports, _, _ = tiny_built
    bar = sidebar(SimpleNamespace(inputs=scan(reports, Hasher())))["website"]["sidebar"]

    def items(contents):
        for item in contents:
            yield item
            yield from items(item.get("contents", []))
    every = list(items(bar["contents"]))
    assert all(("text" in i) ^ ("section" in i) for i in every)
    texts = [i.get("text") or i.get("section") for i in every]
    assert "Xã An Bình" in texts and "9 tháng đầu năm 2019" in texts
    assert not any(re.fullmatch(r"[a-z0-9-]+", t) for t in texts)  # no slug anywhere
    qmd = (reports.parent / "_publish" / "2019-9M" / "xa-an-binh" / "report.qmd").read_text(
        encoding="utf-8")
    front = yaml.safe_load(qmd.split("---")[1])
    assert [(x["text"], x["href"]) for x in front["other-links"][:2]] == [
        ("PDF", "report.pdf"), ("Word", "report.docx")]


def test_publish_bench_clones_reports_under_new_names(tiny_built, tmp_path):
    """The publishing benchmark's inputs: N reports cloned from executed ones, each with
    its own id and name in indicators.json and in the notebook (no timing here)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("publish_speed",
                                                  ROOT / "bench" / "publish_speed.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    _, reports, _, _ = tiny_built
    out = tmp_path / "reports"
    ids = bench.clone_reports(reports, out, 5)
    assert ids == [f"co-quan-00{i}" for i in range(1, 6)]
    for i, aid in enumerate(ids, start=1):
        data = json.loads((out / "2019-9M" / aid / "indicators.json").read_text(encoding="utf-8"))
        assert data["report"]["name"] == f"Cơ quan mẫu số {i}"
        assert data["report"]["declared_agencies"] == ids
        nb = (out / "2019-9M" / aid / "report.ipynb").read_text(encoding="utf-8")
        assert "UBND xã An Bình" not in nb and "UBND xã Bình An" not in nb
    before = (out / "2019-9M" / ids[2] / "report.ipynb").read_bytes()
    bench.change_one(out, ids[2])
    assert (out / "2019-9M" / ids[2] / "report.ipynb").read_bytes() != before


FAKE_QUARTO = """#!/usr/bin/env python3
# Stands in for Quarto: renders each page listed in _quarto.yml to an HTML file holding
# its source, into --output-dir, as `quarto render` does for a website project.
import pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("--output-dir") + 1])
for src in pathlib.Path(".").glob("**/*.qmd"):
    if src.name.startswith("_"):
        continue
    dst = out / src.with_suffix(".html")
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text("<html>" + src.read_text(encoding="utf-8") + "</html>", encoding="utf-8")
"""


def test_quarto_engine_hands_quarto_the_project_and_adds_the_documents(reports, tmp_path,
                                                                        monkeypatch):
    """Where Quarto is not installed, a stand-in renders the pages: what the engine does
    around Quarto (sources, _quarto.yml, _sidebar.yml, then the PDF and DOCX of each report
    and the downloads) is checked; Quarto's own rendering is checked where it exists."""
    fake = tmp_path / "quarto"
    fake.write_text(FAKE_QUARTO, encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("QUARTO_PATH", str(fake))
    site = tmp_path / "_site"
    result = publish_site(ROOT, reports, site, engine="quarto", echo=lambda s: None)
    assert (result.engine, result.rendered) == ("quarto", 3)
    work = reports.parent / "_publish"
    assert (work / "_quarto.yml").read_text(encoding="utf-8") == \
        (ROOT / "_quarto.yml").read_text(encoding="utf-8")
    assert "Xã An Bình" in (work / "_sidebar.yml").read_text(encoding="utf-8")
    for f in ("report.html", "report.pdf", "report.docx", "tables.xlsx"):
        assert (site / "2019-9M" / "xa-an-binh" / f).is_file(), f
    again = publish_site(ROOT, reports, site, engine="quarto", echo=lambda s: None)
    assert (again.rendered, again.reused) == (0, 3)  # documents only when they change
    assert (site / "2019-9M" / "xa-an-binh" / "report.pdf").is_file()

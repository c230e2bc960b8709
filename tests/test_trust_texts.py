"""Attacks through text: markup, formulas, formulas of matplotlib, control characters and
a 5 000-character word, planted in ``params/`` (agency and unit names, a target's label,
the score's groups) and in data cells (lĩnh vực), must reach every medium literally: the
site (HTML, in Chromium: nothing runs, the page keeps the window's width), the PDF
(typst), the DOCX, the workbooks, the charts."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import CANARIES, FORMULA_FIELD, HOSTILE_FIELD, ROOT, cchc, declare
from hypothesis import given, settings
from hypothesis import strategies as st

AID = "xa-doc-hai"
PERIOD = "2019-9M"
NAME = ("=cmd|' /C calc'!A0 <script>alert('ten')</script> UBND *xã* _Độc_ "
        "#set page(width: 1cm) `mã` $x^2$ [bấm](javascript:alert(1)) \\ @nhan")
SHORT = "<img src=x onerror=alert('ngan')> Xã #strong[Độc] | cột"
UNITS = {"VP": "<script>alert('phong')</script> Văn phòng",
         "QLVH": r"$\frac{a}{b}$ Phòng _x_ ^y",
         "QLTT": r"Phòng | cột \| {giả} #box[x]"}
LABEL = "<script>alert('pb')</script> TTHC trực tuyến"
GROUP = "<script>alert('nhom')</script> Công khai"
SCORE = "<img src=x onerror=alert('diem')> Điểm"
LONG = ("Khôngcókhoảngtrắngnàocả" * 250)[:5000]
MATH = r"$\frac{1}{$ x^2_a \ $$ %"
CONTROL = "Lĩnh vực\x07 có\x1b[31m ký tự điều khiển\x0b"
ALERTS = ("ten", "ngan", "phong", "pb", "nhom", "diem", "x")


# ------------------------------------------------------------ charts (fast)

LABELS = st.text(alphabet=st.sampled_from(list("$\\^_{}%#&~ab xyz\t\x07\x00") + ["ễ", "\u0301"]),
                 min_size=0, max_size=90)


@settings(max_examples=40, deadline=None)
@given(st.lists(LABELS, min_size=1, max_size=4, unique=True))
def test_attack_mathtext_in_chart_labels_draws_literally(names):
    """Any text from a file as a bar label: drawing never raises, no line of it is read
    as mathtext, and what is drawn is the text (up to wrapping and control characters)."""
    from matplotlib import cbook

    from helpers.present import charts

    chart = charts.rate_bars(names, [0.5] * len(names), 0.6, "x", "tiêu đề", "lĩnh vực")
    assert chart.png().startswith(b"\x89PNG")  # drawn whole: mathtext parses at draw time
    ax = chart.figure.axes[0]
    drawn = [t.get_text() for t in ax.get_yticklabels()]
    for text in drawn:
        for line in text.split("\n"):
            assert not cbook.is_math_text(line), line
    shown = ["".join(t.replace(r"\$", "$").split()) for t in drawn]
    for name in names:
        clean = "".join(charts._CONTROL.sub(" ", name).split())
        if len(name) <= charts.LABEL_CHARS * (charts.LABEL_LINES - 1):
            assert clean in shown, (name, shown)


def test_attack_mathtext_in_every_chart_function():
    """The same text through each chart that draws file text: lĩnh vực (flow), plan
    groups (tasks), agency names (overview), a trend title."""
    import pandas as pd

    from helpers.indicators.tasks import STATES
    from helpers.present import charts

    summary = pd.DataFrame([{**{s: 1 for s in STATES}, "total": len(STATES)}], index=[MATH])
    for chart in (charts.tasks(summary), charts.trend([("Quý I", 0.5)], MATH, 0.9),
                  charts.rate_bars([MATH, CONTROL, LONG], [0.1, 0.2, 0.3], None, "x", "t", "x")):
        assert chart.png().startswith(b"\x89PNG")


# ------------------------------------------------------------ the site (slow)

@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path, Path, subprocess.CompletedProcess]:
    """One agency whose params and data carry every hostile text, built and published."""
    import synthetic as syn

    base = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "notebooks", base / "notebooks")
    shutil.copy(ROOT / "_quarto.yml", base / "_quarto.yml")
    params = base / "params"
    shutil.copytree(ROOT / "params", params)
    agency = {"id": AID, "name": NAME, "short_name": SHORT, "province": "#import \"x.typ\"",
              "level": "xã", "parent": "<script>alert('cq')</script> UBND huyện",
              "rule": "decree09", "symbol": "<b>SNV</b>", "deadline_style": "units-to-office",
              "units": [{"code": c, "name": n} for c, n in UNITS.items()]}
    declare(params, [agency])
    targets = yaml.safe_load((params / "targets.yml").read_text(encoding="utf-8"))
    targets.pop("agencies", None)
    targets["apportion"][2019][0]["label"] = LABEL
    (params / "targets.yml").write_text(yaml.safe_dump(targets, allow_unicode=True),
                                        encoding="utf-8")
    score = yaml.safe_load((params / "score.yml").read_text(encoding="utf-8"))
    score["groups"][0]["name"], score["label"] = GROUP, SCORE
    (params / "score.yml").write_text(yaml.safe_dump(score, allow_unicode=True), encoding="utf-8")
    raw = base / "data" / "raw"
    fields = (HOSTILE_FIELD, LONG, MATH, FORMULA_FIELD, syn.FIELDS_NV[0])
    shape = syn.AgencyShape(AID, "Đồng Nai", fields, {2018: 120, 2019: 150},
                            {2018: (10, 3), 2019: (10, 5)}, {2018: 0.1, 2019: 0.2},
                            style="one_workbook")
    for year in (2018, 2019):
        procs = syn.procedures(shape, year)
        dossiers = syn.dossiers(shape, year, procs)
        for d in dossiers:
            d.update(CANARIES)
        resolved = sum(1 for d in dossiers if d["resolved_on"] is not None)
        syn.write_agency_year(shape, "UBND xã Độc Hại", year, raw, {
            "thu_tuc": procs, "ho_so": dossiers, "danh_gia": syn.ratings(shape, year, resolved),
            "pakn": syn.feedback(shape, year), "chi_so": syn.self_assessed(shape, year)})
    # control characters cannot be written into a workbook by openpyxl; an export in CSV
    # carries them as they are
    (raw / AID / "2019" / "ho_so_bo_sung_2019.csv").write_text(
        "Mã hồ sơ;Mã thủ tục;Lĩnh vực;Hình thức nộp;Ngày tiếp nhận;Ngày hẹn trả;Ngày trả kết quả;"
        "Trạng thái\n"
        f"BS-1;{procs[0]['procedure_code']};{CONTROL};Trực tiếp;05/03/2019;12/03/2019;"
        "11/03/2019;Đã giải quyết\n", encoding="utf-8")
    site = base / "_site"
    proc = cchc("build", "--period", PERIOD, "--engine", "pandoc", "--jobs", "1", cwd=base)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return base, base / "reports", site, proc


def literal(text: str) -> str:
    """Text as written: pandoc's typography (curly quotes) undone, lines joined, the
    zero-width spaces that let a long word wrap taken out."""
    return " ".join(text.translate({0x2018: "'", 0x2019: "'", 0x200B: None}).split())


class _Live(HTMLParser):
    """What a browser would act on: script elements, ``on…`` handlers, javascript: URLs
    and elements that came from a text (``<b>``, ``<img>``)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        src = dict(attrs).get("src") or ""
        # the site's own scripts (its menu, Pagefind's search) are files of the site
        own = tag == "script" and re.fullmatch(r"(\.\./)*(assets|pagefind)/[\w.-]+\.js", src)
        if (tag in ("script", "iframe", "object", "embed", "b") and not own) or \
                (tag == "img" and src == "x"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")

    def handle_data(self, data: str) -> None:
        if self.lasttag == "script" and data.strip():  # an inline script: never ours
            self.found.append(f"<script>{data.strip()[:40]}")


@pytest.mark.slow
def test_attack_script_in_params_and_data_is_inert_html(hostile):
    """No page of the site holds a live script, handler or javascript: link (nor any
    element a text brought), though the agency's names, its units, a target's label, the
    score's groups and a lĩnh vực each carry one; each shows as the text it is."""
    _, _, site, _ = hostile
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 4
    for page in pages:
        parser = _Live()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.found == [], (page, parser.found)
    report = literal(html.unescape((site / PERIOD / AID / "report.html").read_text("utf-8")))
    assert "<script>alert('ten')</script> UBND" in report  # as text, once unescaped


@pytest.mark.slow
def test_attack_hostile_texts_in_chromium(hostile, browser, tmp_path):
    """In a real browser: no dialog on any page (home, period, report, trend page), the
    names read literally in the title, the navigation and the tables, and a 5 000-character
    lĩnh vực leaves every page as wide as the window (1280 px), not 57 853 px."""
    _, _, site, _ = hostile
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for rel in ("index.html", f"{PERIOD}/index.html", f"{PERIOD}/{AID}/report.html",
                f"agencies/{AID}.html"):
        page.goto((site / rel).as_uri())
        page.wait_for_load_state("load")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (rel, widths)
        page.screenshot(path=str(tmp_path / (rel.replace("/", "_") + ".png")), full_page=False)
    assert dialogs == []
    page.goto((site / PERIOD / AID / "report.html").as_uri())
    main = literal(page.locator("main").inner_text())
    assert "<script>alert('ten')</script> UBND *xã* _Độc_ #set page(width: 1cm)" in main
    assert "<script>alert('phong')</script> Văn phòng" in main
    assert "<script>alert('pb')</script> TTHC trực tuyến" in main
    assert "<script>alert('x')</script> *Văn hóa* | cơ sở" in main
    assert LONG in main
    # the navigation's agency list holds the short name, as text
    assert page.locator("nav.sidebar a", has_text="onerror=alert").first.text_content() == SHORT
    page.goto((site / "agencies" / f"{AID}.html").as_uri())
    assert literal(page.title()).startswith("=cmd|' /C calc'!A0 <script>alert('ten')</script>")
    assert literal(page.locator("h1.title").inner_text()).startswith("=cmd|' /C calc'!A0 <script>")
    page.close()


def _pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.slow
def test_attack_typst_and_markdown_in_texts_stay_literal_in_pdf(hostile):
    """typst code in the agency's name (``#set page(width: 1cm)``) and in a unit's name
    is printed, not run: the PDF is A4 and shows the texts."""
    _, _, site, _ = hostile
    pdf = site / PERIOD / AID / "report.pdf"
    text = literal(_pdf_text(pdf))
    assert "#set page(width: 1cm)" in text
    assert "<script>alert('phong')</script>" in text
    assert "#box[x]" in text
    # every page A4 (portrait, or landscape for a wide appendix), and the 5 000-character
    # lĩnh vực wraps inside its cell: no word runs off its page
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', boxes, re.S)
    words = 0
    for width, height, body in pages:
        assert {round(float(width)), round(float(height))} == {595, 842}, (width, height)
        right = [float(x) for x in re.findall(r'xMax="([\d.]+)"', body)]
        words += len(right)
        assert max(right, default=0) <= float(width)
    assert words > 500


@pytest.mark.slow
def test_attack_texts_in_docx_are_literal_and_valid(hostile):
    """The DOCX opens (control characters from a cell would make its XML invalid) and
    shows the texts as they are, in the body and in the administrative header."""
    from docx import Document

    _, _, site, _ = hostile
    path = site / PERIOD / AID / "report.docx"
    doc = Document(str(path))
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for row in t.rows for c in row.cells])
    text = literal(text)
    assert "<script>alert('phong')</script> Văn phòng" in text
    assert "#set page(width: 1cm)" in text
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "\x07" not in xml and "\x1b" not in xml


@pytest.mark.slow
def test_attack_formulas_and_control_characters_in_workbooks(hostile):
    """Workbooks: texts that start like a formula stay text (the agency's name in a
    heading, a lĩnh vực), control characters are gone (openpyxl refuses them)."""
    from openpyxl import load_workbook

    _, reports, _, _ = hostile
    for name in ("tables.xlsx", "quality.xlsx"):
        wb = load_workbook(reports / PERIOD / AID / name)
        values = [c for ws in wb for row in ws.iter_rows(values_only=True) for c in row
                  if isinstance(c, str)]
        assert not any(v.startswith(("=", "+", "-", "@")) for v in values), name
        assert not any("\x07" in v or "\x1b" in v for v in values), name
    heading = load_workbook(reports / PERIOD / AID / "tables.xlsx")["Chỉ số"]["A1"].value
    assert heading.startswith("'=cmd|")


@pytest.mark.slow
def test_attack_canaries_in_a_hostile_project_never_leave_ingestion(hostile):
    """The hostile project's dossiers carry the canaries too: none reaches an output."""
    base, reports, site, proc = hostile
    for folder in (reports, site, base / "_publish"):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix.lower() in (".html", ".json", ".ipynb", ".qmd",
                                                          ".csv", ".log", ".typ"):
                text = path.read_text(encoding="utf-8", errors="replace")
                for column, canary in CANARIES.items():
                    assert canary not in text, (column, path)
    for canary in CANARIES.values():
        assert canary not in proc.stdout + proc.stderr

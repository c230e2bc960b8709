"""The PDF, read back with poppler: the same form as the DOCX, captions numbered in order,
no column header printed over another, charts printed at a size where their text is at
least 8 pt, no clock time inside."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import HCM

from helpers.present import charts

pytestmark = pytest.mark.slow


def poppler(*args: str) -> str:
    if not shutil.which(args[0]):
        pytest.skip("poppler-utils is not installed")
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdf(hcm_site: Path) -> Path:
    return hcm_site / "2019-10M" / HCM / "report.pdf"


@pytest.fixture(scope="module")
def text(pdf: Path) -> str:
    return poppler("pdftotext", "-layout", str(pdf), "-")


def words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, x0, y0, x1, y1, word) of every word, from ``pdftotext -bbox``."""
    out = poppler("pdftotext", "-bbox", str(pdf), "-")
    found = []
    for page, chunk in enumerate(out.split("<page ")[1:], start=1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">([^<]*)</word>', chunk):
            found.append((page, *map(float, m.groups()[:4]), m[5]))
    return found


def overprints(ws: list[tuple[int, float, float, float, float, str]]) -> list[tuple]:
    """Pairs of words on the same line whose boxes overlap: text printed over text."""
    bad = []
    for i, a in enumerate(ws):
        for b in ws[i + 1:i + 80]:
            if a[0] != b[0]:
                break
            same_line = min(a[4], b[4]) - max(a[2], b[2]) > 0.5 * (a[4] - a[2])
            if same_line and min(a[3], b[3]) - max(a[1], b[1]) > 0.5:
                bad.append((a[0], a[5], b[5]))
    return bad


def test_the_form_and_its_order(text):
    flat = " ".join(text.split())
    for needle in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "Số: 4317/BC-SVHTT", "ngày 09 tháng 10 năm 2019", "BÁO CÁO",
                   "Căn cứ các nhiệm vụ được phân công", "Nơi nhận:", "GIÁM ĐỐC",
                   "(Kèm theo Báo cáo số 4317/BC-SVHTT ngày 09 tháng 10 năm 2019"):
        assert needle in flat, needle
    assert flat.index("Trên đây là báo cáo") < flat.index("Nơi nhận:") < flat.index("PHỤ LỤC")
    for site_only in ("SHA-256", "Chất lượng dữ liệu", "indicators.json"):
        assert site_only not in flat


def test_captions_are_numbered_in_order(text):
    tables = [int(n) for n in re.findall(r"\bBảng (\d+)\.", text)]
    figures = [int(n) for n in re.findall(r"\bHình (\d+)\.", text)]
    assert tables == list(range(1, len(tables) + 1)) and len(tables) >= 7
    assert figures == list(range(1, len(figures) + 1)) and len(figures) >= 4


def test_no_header_prints_over_another(pdf, text):
    ws = words(pdf)
    assert len(ws) > 2000
    assert overprints(ws) == []
    # the appendix header: "STT" and "Nhiệm vụ" side by side, each whole
    header = next(line for line in text.splitlines() if "STT" in line and "Nhiệm vụ" in line)
    assert re.search(r"STT\s+Nhiệm vụ", header)


def test_the_overprint_check_finds_overprinted_text(tmp_path):
    """The check above can fail: two words set at the same place are found."""
    import typst

    src = tmp_path / "x.typ"
    src.write_text('#place(dx: 0pt)[STT]\n#place(dx: 8pt)[Nhiệm vụ]\n', encoding="utf-8")
    out = tmp_path / "x.pdf"
    out.write_bytes(typst.compile(str(src)))
    assert overprints(words(out))


def test_charts_print_at_natural_size_so_text_is_8pt_or_more(pdf):
    """Charts are drawn 165 mm wide with text of 9 pt or more at 150 dpi; printed at 150
    ppi or finer up to 9/8 × 150 ≈ 169 ppi, their smallest text is still ≥ 8 pt."""
    listing = poppler("pdfimages", "-list", str(pdf)).splitlines()[2:]
    ppis = [int(line.split()[12]) for line in listing if line.split()[2] == "image"]
    assert len(ppis) >= 4
    assert all(charts.DPI <= ppi <= charts.DPI * charts.FONT_PT / 8 for ppi in ppis), ppis


def test_no_clock_time_inside(pdf):
    data = pdf.read_bytes()
    assert b"/CreationDate" not in data and b"/ModDate" not in data

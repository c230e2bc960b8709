"""The DOCX a director signs, read as WordprocessingML: the form of Nghị định 30/2020/NĐ-CP
from params (number, date, "Căn cứ", signer), Times New Roman on every run, real borders,
widths that fit the page, repeated header rows, landscape sections for wide tables, the
appendix after the signature, nothing of the site (hashes, downloads) inside; and, opened
by LibreOffice, no number broken across lines."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import HCM
from lxml import etree

from helpers.publish import layout

pytestmark = pytest.mark.slow
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TNR = "Times New Roman"
PORTRAIT_TWIPS = round(165 * 1440 / 25.4)  # 210 mm − 30 − 15 mm margins = 9354 twips
LANDSCAPE_TWIPS = round(262 * 1440 / 25.4)  # 297 mm − 20 − 15 mm margins = 14854 twips


def body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")).find(f"{W}body")


def text_of(el: etree._Element) -> str:
    """The text of an element, a line break read as a space."""
    return "".join((x.text or "") if x.tag == f"{W}t" else " "
                   for x in el.iter(f"{W}t", f"{W}br"))


def paragraphs(b: etree._Element) -> list[str]:
    return [" ".join(text_of(p).split()) for p in b.iter(f"{W}p")]


@pytest.fixture(scope="module")
def docx_path(hcm_site: Path) -> Path:
    return hcm_site / "2019-10M" / HCM / "report.docx"


def test_form_comes_from_params_and_the_seed_report(docx_path):
    """The header, number, date and "Căn cứ" of the seed report (Báo cáo số 4317/BC-SVHTT
    ngày 09 tháng 10 năm 2019, /work/shared/seeds/bao-cao-tien-do-cchc-2019-so-vhtt-tphcm.txt),
    configured in params/reports.yml; the signer's title from its default."""
    paras = paragraphs(body(docx_path))
    text = "\n".join(paras)
    assert "Số: 4317/BC-SVHTT" in paras
    assert "Thành phố Hồ Chí Minh, ngày 09 tháng 10 năm 2019" in paras
    assert "UBND THÀNH PHỐ HỒ CHÍ MINH" in paras
    assert "SỞ VĂN HÓA VÀ THỂ THAO THÀNH PHỐ HỒ CHÍ MINH" in paras
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in paras  # one paragraph, one line
    assert "Độc lập - Tự do - Hạnh phúc" in paras
    assert any(p.startswith("Căn cứ các nhiệm vụ được phân công tại Quyết định số 6058/QĐ-UBND")
               for p in paras)
    assert "Sở Văn hóa và Thể thao Thành phố Hồ Chí Minh báo cáo kết quả thực hiện công tác cải " \
           "cách hành chính 10 tháng đầu năm 2019 như sau:" in paras
    closing = next(i for i, p in enumerate(paras) if p.startswith("Trên đây là báo cáo"))
    assert paras[closing].endswith("./.")
    after = paras[closing:]
    assert "Nơi nhận:" in after and "- Lưu: VT, CCHC-KSTTHC." in after
    assert "GIÁM ĐỐC" in after
    # two appendices after the signature, numbered: the official form, then the tasks
    joined = ("(Kèm theo Báo cáo số 4317/BC-SVHTT ngày 09 tháng 10 năm 2019 "
              "của Sở Văn hóa và Thể thao Thành phố Hồ Chí Minh)")
    first = paras.index("PHỤ LỤC I")
    assert first > closing
    assert paras[first + 1:first + 3] == ["BIỂU SỐ 06/VPCP/KSTT", joined]
    second = paras.index("PHỤ LỤC II")
    assert second > first
    assert paras[second + 1:second + 3] == ["KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ", joined]
    for site_only in ("SHA-256", "Chất lượng dữ liệu", "indicators.json", "Tải về", "Đã ghi"):
        assert site_only not in text, site_only


def test_every_run_is_times_new_roman_13_to_14(docx_path):
    b = body(docx_path)
    runs = [r for r in b.iter(f"{W}r") if r.find(f"{W}t") is not None]
    assert len(runs) > 500
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None, text_of(r)
        assert {fonts.get(f"{W}{a}") for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {TNR}
    sizes = {int(r.find(f"{W}rPr/{W}sz").get(f"{W}val")) / 2 for r in runs}
    # 13–14 pt; 12 and 11 only where the decree prescribes them (Nơi nhận) or a wide
    # table needs them on a landscape page
    assert sizes <= {11, 12, 13, 14}
    nơi_nhận = [r for r in runs if text_of(r) == "Nơi nhận:"]
    assert int(nơi_nhận[0].find(f"{W}rPr/{W}sz").get(f"{W}val")) == 24
    with zipfile.ZipFile(docx_path) as z:
        styles = z.read("word/styles.xml").decode()
    assert "asciiTheme" not in styles and "majorHAnsi" not in styles  # headings too


def _sections(b: etree._Element) -> list[tuple[int, list[etree._Element]]]:
    """(text width in twips, tables) of each section, in order."""
    out, tables = [], []
    for el in b:
        if el.tag == f"{W}tbl":
            tables.append(el)
        sect = el.find(f"{W}pPr/{W}sectPr") if el.tag == f"{W}p" else (
            el if el.tag == f"{W}sectPr" else None)
        if sect is not None:
            w = int(sect.find(f"{W}pgSz").get(f"{W}w"))
            mar = sect.find(f"{W}pgMar")
            out.append((w - int(mar.get(f"{W}left")) - int(mar.get(f"{W}right")), tables))
            tables = []
    return out


def test_tables_have_borders_fixed_widths_within_the_page_and_repeat_headers(docx_path):
    sections = _sections(body(docx_path))
    widths = [w for w, _ in sections]
    # portrait and landscape sections (a wide table turned), to a twip of rounding
    assert any(abs(w - PORTRAIT_TWIPS) <= 2 for w in widths)
    assert any(abs(w - LANDSCAPE_TWIPS) <= 2 for w in widths)
    data_tables = 0
    for width, tables in sections:
        for t in tables:
            borders = t.find(f"{W}tblPr/{W}tblBorders")
            if borders.find(f"{W}top").get(f"{W}val") == "nil":
                continue  # the header and signature blocks are tables without borders
            data_tables += 1
            assert {borders.find(f"{W}{s}").get(f"{W}val") for s in
                    ("top", "left", "bottom", "right", "insideH", "insideV")} == {"single"}
            assert t.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
            grid = [int(g.get(f"{W}w")) for g in t.iter(f"{W}gridCol")]
            assert sum(grid) <= width
            assert abs(sum(grid) - width) <= 2  # the columns fill the text width
            rows = t.findall(f"{W}tr")
            assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
            # rows stay whole on a page, but for those with a long text (a task's report)
            short = [r for r in rows if max(len(text_of(c)) for c in r.iter(f"{W}tc")) <= 300]
            assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in short)
    assert data_tables >= 8


def test_no_number_is_narrower_than_its_cell(docx_path):
    """Each number of a table fits its cell on one line: the cell's width less its margins
    is at least the number's width at its size, measured with Times New Roman's metrics."""
    checked = 0
    for t in body(docx_path).iter(f"{W}tbl"):
        for tc in t.iter(f"{W}tc"):
            width = int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) - 160
            for p in tc.iter(f"{W}p"):
                runs = p.findall(f"{W}r")
                if not runs or runs[0].find(f"{W}rPr/{W}sz") is None:
                    continue
                size = int(runs[0].find(f"{W}rPr/{W}sz").get(f"{W}val")) / 2
                bold = runs[0].find(f"{W}rPr/{W}b") is not None
                for token in text_of(p).split():
                    if layout.is_number(token):
                        checked += 1
                        assert layout.text_pt(token, size, bold) * 20 <= width, (token, width)
    assert checked > 300


def test_the_signed_form_fills_every_field_from_params(tmp_path):
    """Unit: a report block with every field set prints each where the decree puts it;
    unset fields print dotted, never an invented date."""
    from helpers.publish import doctree, docx
    from helpers.publish.form import form

    about = {"name": "UBND xã An Bình", "parent_name": "UBND huyện Mẫu", "symbol": "UBND",
             "place": "An Bình", "document": {
                 "number": "12", "date": "2024-02-05", "sign_for": "TM. Ủy ban nhân dân",
                 "signer_title": "Chủ tịch", "signer_name": "Nguyễn Văn Mẫu",
                 "recipients": ["UBND huyện Mẫu"], "archive": "VT", "bases": ["Căn cứ X,"]}}
    tree = {"pandoc-api-version": [1, 23, 1, 1], "meta": {},
            "blocks": [doctree.para("Nội dung báo cáo.")]}
    dest = tmp_path / "r.docx"
    docx.write_docx(dest, doctree.document(tree), form(about, "Quý I/2024"), tmp_path)
    paras = paragraphs(body(dest))
    assert "Số: 12/BC-UBND" in paras
    assert "An Bình, ngày 05 tháng 02 năm 2024" in paras  # day < 10 and month 2: zeros
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in paras
    assert "Nguyễn Văn Mẫu" in paras
    assert "- UBND huyện Mẫu;" in paras and "Căn cứ X," in paras
    about["document"] = {}
    docx.write_docx(dest, doctree.document(tree), form(about, "Quý I/2024"), tmp_path)
    paras = paragraphs(body(dest))
    assert "Số: ……/BC-UBND" in paras
    assert "An Bình, ngày …… tháng …… năm ……" in paras
    assert not any(re.search(r"ngày \d", p) for p in paras)


def test_libreoffice_shows_every_number_whole(docx_path, tmp_path):
    """Opened by LibreOffice (Times New Roman's metric twin), every number of the
    document's tables is one word of the text: none wraps inside."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice or poppler-utils is not installed")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
                   check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = set(text.split())
    numbers = {tok for t in body(docx_path).iter(f"{W}tbl") for tc in t.iter(f"{W}tc")
               for tok in text_of(tc).split() if layout.is_number(tok) and len(tok) >= 4}
    assert len(numbers) > 30
    broken = sorted(n for n in numbers if n not in words)
    assert broken == []
    first = text.split("\f")[0]
    assert re.search(r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first)  # on one line


def grid_form(n: int = 13, w: int = 12) -> str:
    """A grid table shaped like the official form: STT and Lĩnh vực spanning two header
    rows, "Số hồ sơ" spanning two columns, then ten more columns."""
    seg = "-" * w

    def row(cells: list[tuple[str, int]]) -> str:
        return "|" + "".join(f" {t:<{w * s + s - 2}}|" for t, s in cells)

    top = "+" + "+".join([seg] * n) + "+"
    first = row([("STT", 1), ("Lĩnh vực", 1), ("Số hồ sơ", 2)]
                + [(f"Cột {i}", 1) for i in range(5, n + 1)])
    middle = ("|" + " " * w + "|" + " " * w + "+" + seg + "+" + seg + "+"
              + "|".join([" " * w] * (n - 4)) + "|")
    second = row([("", 1), ("", 1), ("Trực tuyến", 1), ("Trực tiếp", 1)] + [("", 1)] * (n - 4))
    rule = "+" + "+".join(["=" * w] * n) + "+"
    data = row([("1", 1), ("Văn hóa", 1), ("1.597", 1), ("5.234", 1)]
               + [(f"{i}.{i}00", 1) for i in range(1, n - 3)])
    return "\n".join([top, first, middle, second, rule, data, top])


GRID = ("\n::: {.cchc-appendix}\n## Biểu 06: tình hình giải quyết TTHC\n\n" + grid_form()
        + "\n\n: Biểu 06 (mẫu)\n\n:::\n")


def test_grid_table_with_spans_goes_into_a_landscape_appendix(tmp_path):
    """The official form is a grid table with merged cells, tagged appendix: in the DOCX
    its merges are kept (gridSpan, vMerge), it follows the signature on a landscape page,
    and the PDF of the same tree compiles."""
    import json

    import pypandoc

    from helpers.publish import doctree, docx, pdf
    from helpers.publish.form import form

    src = tmp_path / "r.md"
    src.write_text("Nội dung.\n" + GRID, encoding="utf-8")
    out = subprocess.run([pypandoc.get_pandoc_path(), str(src), "-t", "json"],
                         capture_output=True, text=True, check=True).stdout
    about = {"name": "Sở A", "symbol": "SA", "parent_name": "UBND tỉnh X", "place": "X"}
    d = doctree.document(json.loads(out))
    assert [a.title for a in d.appendices] == ["Biểu 06: tình hình giải quyết TTHC"]
    dest = tmp_path / "r.docx"
    docx.write_docx(dest, d, form(about, "Quý I/2024"), tmp_path)
    b = body(dest)
    spans = [int(g.get(f"{W}val")) for g in b.iter(f"{W}gridSpan")]
    assert 2 in spans and len(b.findall(f".//{W}vMerge")) >= 4  # STT, Lĩnh vực: 3 rows
    sections = _sections(b)
    assert abs(sections[-1][0] - LANDSCAPE_TWIPS) <= 2 and sections[-1][1]  # the form
    assert abs(sections[0][0] - PORTRAIT_TWIPS) <= 2  # the report before the signature
    paras = paragraphs(b)
    assert paras.index("Nơi nhận:") < paras.index("BIỂU 06: TÌNH HÌNH GIẢI QUYẾT TTHC")
    d = doctree.document(json.loads(out))
    tree = pdf.document_tree(d, form(about, "Quý I/2024"), [False], [True])
    (tmp_path / "t.json").write_text(json.dumps(tree), encoding="utf-8")
    subprocess.run([pypandoc.get_pandoc_path(), str(tmp_path / "t.json"), "-f", "json", "-t",
                    "typst", "-o", str(tmp_path / "r.typ")], check=True)
    pdf.compile_pdf(tmp_path / "r.typ", tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
                          capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    for head in ("STT", "Lĩnh vực", "Số hồ sơ", "Trực", "tuyến", "tiếp", "Cột 13"):
        assert head in flat, head
    assert "1 Văn hóa 1.597 5.234 1.100" in flat

"""The site as a reader sees it, in Debian's Chromium driven by Playwright: from the home
page to a report, the figures shown equal indicators.json, no console error, no request
to any outside host."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import pytest
from conftest import HCM

from helpers.present import vnformat as vn

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(hcm_site: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(hcm_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_home_to_report_figures_match_indicators(server, browser, hcm_run):
    page = browser.new_page()
    console_errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((server, "data:")) else None)
    page.goto(f"{server}/index.html")
    assert "Báo cáo cải cách hành chính" in page.title() or page.locator("h1").count()
    # the home page's overview links to the agency report of the latest period
    page.get_by_role("link", name="Sở VHTT TP. Hồ Chí Minh").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"2019-10M/{HCM}/report.html")
    text = page.locator("main").inner_text()
    ind = json.loads((hcm_run / "2019-10M" / HCM / "indicators.json").read_text())["indicators"]
    for code in ("rate.on_time", "rate.late_of_received", "rate.apology", "rate.satisfaction",
                 "rate.online_procedures", "rate.online_dossiers", "rate.digitized"):
        shown = vn.percent(ind[code]["value"])
        assert shown in text, (code, shown)
    assert vn.growth(ind["growth.online_procedures"]["value"]) in text  # "+94,4%"
    assert vn.integer(ind["dossiers.received_total"]["value"]) in text  # "6.981"
    # charts carry a description, not just a caption
    alts = page.locator("main img").evaluate_all("els => els.map(e => e.alt)")
    assert alts and all(a.startswith("Biểu đồ") for a in alts), alts
    # the downloads are there
    for name in ("report.pdf", "report.docx", "tables.xlsx", "indicators.json"):
        assert page.locator(f'a[href="{name}"]').count() >= 1, name
    # navigation by period and agency
    page.goto(f"{server}/agencies/{HCM}.html")
    assert "Diễn biến qua các kỳ" in page.locator("main").inner_text()
    assert console_errors == []
    assert outside == []
    page.close()


SEARCH = """async ([bundle, terms]) => {
  const pf = await import(bundle + 'pagefind.js');
  await pf.init();
  const out = {};
  for (const t of terms) {
    const r = await pf.search(t);
    out[t] = (await Promise.all(r.results.map(x => x.data()))).map(d => [d.url, d.meta.title]);
  }
  return out;
}"""


def test_search_finds_the_report_of_a_linh_vuc(server, browser):
    """Pagefind's index, queried in the browser with no network, finds the report that
    has the lĩnh vực, with or without diacritics, titled by agency and period."""
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server)
               else r.abort())
    page.goto(f"{server}/index.html")
    found = page.evaluate(SEARCH, ["/pagefind/", ["Xuất nhập khẩu văn hóa phẩm",
                                                  "xuat nhap khau van hoa pham", "zqxwvjk"]])
    report = f"/2019-10M/{HCM}/report.html"
    for term in ("Xuất nhập khẩu văn hóa phẩm", "xuat nhap khau van hoa pham"):
        assert found[term] and found[term][0][0] == report, found[term]
        assert found[term][0][1] == "Sở VHTT TP. Hồ Chí Minh – 10 tháng đầu năm 2019"
    assert found["zqxwvjk"] == []
    # the search box of the page shows the same result, in Vietnamese
    page.fill(".pagefind-ui__search-input", "xuất nhập khẩu")
    page.wait_for_selector(".pagefind-ui__result-link")
    assert "kết quả cho" in page.locator(".pagefind-ui__message").inner_text()
    assert page.locator(".pagefind-ui__result-link").first.get_attribute("href") == report
    page.close()


def test_report_page_has_contents_sidebar_and_fits_a_phone(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/2019-10M/{HCM}/report.html")
    toc = page.locator("nav.toc")
    assert toc.locator("h2").inner_text() == "Trên trang này"
    assert toc.locator("a").count() >= 8
    current = page.locator('nav.sidebar a[aria-current="page"]')
    assert current.inner_text() == "Sở VHTT TP. Hồ Chí Minh"  # a name, not a folder slug
    page.close()
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{server}/2019-10M/{HCM}/report.html")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert not phone.locator("nav.sidebar").is_visible()
    phone.locator("button.menu").click()
    assert phone.locator("nav.sidebar").is_visible()
    phone.close()

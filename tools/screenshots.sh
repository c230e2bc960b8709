#!/usr/bin/env bash
# Regenerate the README screenshots from a built site (run `cchc build --period 2019-10M`
# first): the home page, a report page, the search results, a report on a phone (390 px),
# the first page and an appendix page of the PDF, and the first page of the DOCX as
# LibreOffice shows it. Needs Debian's chromium, poppler-utils and LibreOffice; the site
# is served on 127.0.0.1 (search needs HTTP), nothing is fetched from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
site="${1:-_site}"
out=docs/screenshots
agency=so-vhtt-tphcm
period="${PERIOD:-2019-10M}"
mkdir -p "$out"
report="$site/$period/$agency/report"
[ -f "$report.html" ] || { echo "thiếu $report.html: chạy cchc build --period $period" >&2; exit 1; }

.venv/bin/python - "$site" "$out" "$period/$agency/report.html" <<'EOF'
import functools, http.server, sys, threading
from playwright.sync_api import sync_playwright

site, out, report = sys.argv[1:4]
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=site))
threading.Thread(target=httpd.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{httpd.server_address[1]}"
shots = [("home", "index.html", 1280, 1100, None), ("report", report, 1280, 1500, None),
         ("search", report, 1280, 760, "xuất nhập khẩu văn hóa phẩm"),
         ("phone", report, 390, 844, None)]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    for name, url, width, height, query in shots:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        page.goto(f"{base}/{url}")
        page.wait_for_load_state("networkidle")
        if query:
            page.fill(".pagefind-ui__search-input", query)
            page.wait_for_selector(".pagefind-ui__result-link")
            page.wait_for_timeout(300)
        page.screenshot(path=f"{out}/{name}.png")
    browser.close()
httpd.shutdown()
EOF

pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$report.pdf" "$out/pdf-page"
appendix=$(pdftotext -layout "$report.pdf" - | awk 'BEGIN{RS="\f"} /PHỤ LỤC/ && !n {n=NR} END{print n}')
pdftoppm -r 50 -png -f "$appendix" -l "$appendix" -singlefile "$report.pdf" "$out/pdf-appendix"
tmp=$(mktemp -d)
soffice --headless "-env:UserInstallation=file://$tmp/lo" --convert-to pdf --outdir "$tmp" \
  "$report.docx" >/dev/null 2>&1
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$tmp/report.pdf" "$out/docx-page"
rm -rf "$tmp"
ls -la "$out"

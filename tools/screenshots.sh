#!/usr/bin/env bash
# Regenerate the README screenshots from a built site (run `cchc build --period 2019-9M`
# first). Needs Debian's chromium and poppler-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
site="${1:-_site}"
out=docs/screenshots
mkdir -p "$out"
report=$(ls "$site"/2019-9M/*/report.html | grep so-vhtt-tphcm | head -1)
shot() {  # url file height
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --hide-scrollbars --window-size=1280,"$3" \
    --screenshot="$2" "file://$(realpath "$1")" 2>/dev/null
}
shot "$site/index.html" "$out/home.png" 1500
shot "$report" "$out/report.png" 1900
pdftoppm -r 80 -png -f 1 -l 1 -singlefile "${report%.html}.pdf" "$out/pdf-page"
ls -la "$out"

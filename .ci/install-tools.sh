#!/usr/bin/env bash
# Install the tools the xxgk tests/CI need (Debian 12, run as root).
# Idempotent: installs only what is missing.
#  - Debian: pdftotext/pdfinfo, qpdf, LibreOffice (Word → PDF), fc-scan, headless Chromium and
#    Node.js for the HTML test (tests/html.rs), a CJK font so the browser's screenshots are legible;
#  - npm: puppeteer-core and axe-core into tests/browser/node_modules (git-ignored), from the
#    committed tests/browser/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(poppler-utils qpdf fontconfig libreoffice-writer-nogui libreoffice-calc-nogui
          chromium nodejs npm fonts-noto-cjk)
TOOLS=(pdftotext pdfinfo qpdf soffice fc-scan chromium node npm)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi

missing=()
for t in "${TOOLS[@]}"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
done
# The CJK font is not a command: ask fontconfig (when it is there) for a Chinese face.
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
    missing+=("a CJK font")
fi

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-tools: all tools present (${TOOLS[*]})."
else
    echo "install-tools: missing ${missing[*]}; installing ${PACKAGES[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" apt-get install -y --no-install-recommends "${PACKAGES[@]}"
    for t in "${TOOLS[@]}"; do
        if ! command -v "$t" >/dev/null 2>&1; then
            echo "install-tools: $t still missing after install" >&2
            exit 1
        fi
    done
fi

# Node packages of the browser test, exactly as locked; skipped when already installed from the
# same lock file.
browser=tests/browser
stamp="$browser/node_modules/.package-lock.json"
if [ -f "$stamp" ] && [ -d "$browser/node_modules/puppeteer-core" ] && [ -d "$browser/node_modules/axe-core" ] \
    && [ "$stamp" -nt "$browser/package-lock.json" ]; then
    echo "install-tools: $browser/node_modules up to date."
else
    echo "install-tools: npm ci in $browser"
    # puppeteer-core downloads no browser: the test drives Debian's chromium.
    (cd "$browser" && npm ci --no-audit --no-fund)
fi
echo "install-tools: done."

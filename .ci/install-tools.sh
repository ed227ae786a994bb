#!/usr/bin/env bash
# Install the Debian tools the xxgk tests/CI need (Debian 12, run as root).
# Idempotent: does nothing if pdftotext, qpdf, soffice and fc-scan are all present.
set -euo pipefail

PACKAGES=(poppler-utils qpdf fontconfig libreoffice-writer-nogui libreoffice-calc-nogui)
TOOLS=(pdftotext qpdf soffice fc-scan)

missing=()
for t in "${TOOLS[@]}"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-tools: all tools present (${TOOLS[*]}); nothing to do."
    exit 0
fi

echo "install-tools: missing ${missing[*]}; installing ${PACKAGES[*]}"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update
"${SUDO[@]}" apt-get install -y --no-install-recommends "${PACKAGES[@]}"

for t in "${TOOLS[@]}"; do
    if ! command -v "$t" >/dev/null 2>&1; then
        echo "install-tools: $t still missing after install" >&2
        exit 1
    fi
done
echo "install-tools: done."

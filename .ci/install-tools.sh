#!/usr/bin/env bash
# Install the tools the xxgk tests/CI need (Debian 12, run as root): Debian's poppler-utils, qpdf,
# fontconfig and LibreOffice, and the OFD reader `sofd` (crate sofd-cli, built by cargo install:
# measured 6.6 min of CPU, 23.6 min wall with one job on a machine shared with other builds; an
# estimated 4–7 min on CI's two free cores).
# Idempotent: installs only what is missing.
set -euo pipefail

# The OFD reader tests/ofd.rs checks with; pinned so its figures stay comparable.
SOFD_VERSION=0.6.1

PACKAGES=(poppler-utils qpdf fontconfig libreoffice-writer-nogui libreoffice-calc-nogui)
TOOLS=(pdftotext qpdf soffice fc-scan)

missing=()
for t in "${TOOLS[@]}"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
done

install_sofd() {
    if command -v sofd >/dev/null 2>&1; then
        echo "install-tools: sofd present ($(sofd --version))."
        return
    fi
    # sofd links fontconfig (through font-kit): its headers and pkg-config must be there.
    if ! pkg-config --exists fontconfig 2>/dev/null; then
        "${SUDO[@]}" apt-get update
        "${SUDO[@]}" apt-get install -y --no-install-recommends pkg-config libfontconfig1-dev
    fi
    echo "install-tools: building sofd-cli $SOFD_VERSION (cargo install)"
    local start=$SECONDS
    cargo install sofd-cli --version "$SOFD_VERSION" --locked
    echo "install-tools: sofd-cli built in $((SECONDS - start)) s"
    command -v sofd >/dev/null 2>&1 || {
        echo "install-tools: sofd still missing after install (is ~/.cargo/bin on PATH?)" >&2
        exit 1
    }
}

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-tools: all tools present (${TOOLS[*]})."
    install_sofd
    exit 0
fi

echo "install-tools: missing ${missing[*]}; installing ${PACKAGES[*]}"

"${SUDO[@]}" apt-get update
"${SUDO[@]}" apt-get install -y --no-install-recommends "${PACKAGES[@]}"

for t in "${TOOLS[@]}"; do
    if ! command -v "$t" >/dev/null 2>&1; then
        echo "install-tools: $t still missing after install" >&2
        exit 1
    fi
done
install_sofd
echo "install-tools: done."

#!/usr/bin/env bash
# Install the tools the xxgk tests/CI need (Debian 12, run as root):
# - Debian packages: pdftotext, qpdf, soffice, fc-scan;
# - the OOXML schema validator openxml-audit (PyPI) for python3, which tests/docx.rs runs as
#   `python3 -m openxml_audit` on every generated .docx.
# Idempotent: installs nothing that is already there.
set -euo pipefail

PACKAGES=(poppler-utils qpdf fontconfig libreoffice-writer-nogui libreoffice-calc-nogui)
TOOLS=(pdftotext qpdf soffice fc-scan)
# Pinned: a newer release may add rules; move the pin on purpose and fix what it finds.
OPENXML_AUDIT=openxml-audit==0.8.0

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_install() {
    if [ "$apt_updated" -eq 0 ]; then
        "${SUDO[@]}" apt-get update
        apt_updated=1
    fi
    "${SUDO[@]}" apt-get install -y --no-install-recommends "$@"
}

# --- Debian packages ---------------------------------------------------------------------------
missing=()
for t in "${TOOLS[@]}"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-tools: all tools present (${TOOLS[*]}); nothing to do."
else
    echo "install-tools: missing ${missing[*]}; installing ${PACKAGES[*]}"
    apt_install "${PACKAGES[@]}"
    for t in "${TOOLS[@]}"; do
        if ! command -v "$t" >/dev/null 2>&1; then
            echo "install-tools: $t still missing after install" >&2
            exit 1
        fi
    done
fi

# --- openxml-audit (PyPI) ----------------------------------------------------------------------
if python3 -c 'import openxml_audit' >/dev/null 2>&1; then
    echo "install-tools: openxml-audit present; nothing to do."
else
    echo "install-tools: installing $OPENXML_AUDIT for $(command -v python3)"
    if ! python3 -m pip --version >/dev/null 2>&1; then
        apt_install python3-pip
    fi
    # Debian's own python3 refuses system-wide pip installs (PEP 668) unless told otherwise;
    # the variable is ignored by pips that do not know it.
    "${SUDO[@]}" env PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore \
        python3 -m pip install --quiet --disable-pip-version-check "$OPENXML_AUDIT"
    if ! python3 -c 'import openxml_audit' >/dev/null 2>&1; then
        echo "install-tools: openxml-audit still not importable by python3 after install" >&2
        exit 1
    fi
fi
echo "install-tools: done."

#!/usr/bin/env bash
# Install the tools the xxgk tests and CI need (Debian 12, run as root).
# Idempotent: installs only what is missing.
#  - Debian: pdftotext/pdfinfo, qpdf, GNU time (peak memory of hostile inputs), LibreOffice (Word → PDF), fc-scan, headless Chromium and
#    Node.js for the HTML test (tests/integration/html.rs), a CJK font so the browser's screenshots are legible;
#  - PyPI: the OOXML schema validator openxml-audit for python3, which tests/integration/docx.rs runs as
#    `python3 -m openxml_audit` on every generated .docx; the PDF/UA checker pdfua
#    (tests/integration/pdf_tags.rs, `python3 -m pdfua`);
#  - Debian: Apache PDFBox Preflight (libpdfbox2-java with the javax.activation and JAXB jars) and a
#    Java runtime, the PDF/A-1b validator of tests/integration/pdf_tags.rs (about 3 s to install
#    here with Java already present; default-jre-headless adds about 200 MB when it is not);
#  - PyPI: python-docx, with which tests/integration/published.rs makes a Word file the way other
#    programs do (not ours) to read it back;
#  - npm: puppeteer-core and axe-core into tests/browser/node_modules (git-ignored), from the
#    committed tests/browser/package-lock.json;
#  - crates.io: the OFD reader `sofd` (crate sofd-cli, built by cargo install when missing:
#    measured 6.6 min of CPU, 23.6 min wall with one job on a machine shared with other builds;
#    an estimated 4–7 min on CI's two free cores).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each tool and the Debian package that brings it: only what is missing is installed (a machine
# may already have, e.g., Node.js with its own npm from another source, which Debian's npm
# package conflicts with).
TOOLS=(pdftotext pdfinfo qpdf soffice fc-scan chromium node npm)
declare -A PACKAGE_OF=(
    [pdftotext]=poppler-utils [pdfinfo]=poppler-utils [qpdf]=qpdf
    [soffice]="libreoffice-writer-nogui libreoffice-calc-nogui" [fc-scan]=fontconfig
    [chromium]=chromium [node]=nodejs [npm]=npm
)
# Pinned: a newer release may add rules; move the pin on purpose and fix what it finds.
OPENXML_AUDIT=openxml-audit==0.8.0
# The OFD reader tests/integration/ofd.rs checks with; pinned so its figures stay comparable.
SOFD_VERSION=0.6.1
# The PDF/UA checker tests/integration/pdf_tags.rs runs (`python3 -m pdfua`); pinned as above.
PDFUA=pdfua==0.1.3

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
packages=()
for t in "${TOOLS[@]}"; do
    if ! command -v "$t" >/dev/null 2>&1; then
        missing+=("$t")
        read -r -a p <<< "${PACKAGE_OF[$t]}"
        packages+=("${p[@]}")
    fi
done
# GNU time is not bash's `time` keyword, which `command -v` would find: look for the program.
if [ ! -x /usr/bin/time ]; then
    missing+=("GNU time")
    packages+=(time)
fi
# The CJK font is not a command: ask fontconfig (when it is there) for a Chinese face.
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
    missing+=("a CJK font")
    packages+=(fonts-noto-cjk fontconfig)
fi

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-tools: all tools present (${TOOLS[*]})."
else
    # Unique, in order.
    read -r -a packages <<< "$(printf '%s\n' "${packages[@]}" | awk '!seen[$0]++' | tr '\n' ' ')"
    echo "install-tools: missing ${missing[*]}; installing ${packages[*]}"
    apt_install "${packages[@]}"
    for t in "${TOOLS[@]}"; do
        if ! command -v "$t" >/dev/null 2>&1; then
            echo "install-tools: $t still missing after install" >&2
            exit 1
        fi
    done
fi

# --- openxml-audit (PyPI) ----------------------------------------------------------------------
if python3 -c 'import openxml_audit' >/dev/null 2>&1; then
    echo "install-tools: openxml-audit present."
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

# --- pdfua (PyPI): the machine-checkable part of PDF/UA-1 (tests/integration/pdf_tags.rs) -----
if python3 -c 'import pdfua' >/dev/null 2>&1; then
    echo "install-tools: pdfua present."
else
    echo "install-tools: installing $PDFUA for $(command -v python3)"
    if ! python3 -m pip --version >/dev/null 2>&1; then
        apt_install python3-pip
    fi
    "${SUDO[@]}" env PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore \
        python3 -m pip install --quiet --disable-pip-version-check "$PDFUA"
    if ! python3 -c 'import pdfua' >/dev/null 2>&1; then
        echo "install-tools: pdfua still not importable by python3 after install" >&2
        exit 1
    fi
fi

# --- python-docx (PyPI): another program's Word files for tests/integration/published.rs -------
if python3 -c 'import docx' >/dev/null 2>&1; then
    echo "install-tools: python-docx present."
else
    echo "install-tools: installing python-docx for $(command -v python3)"
    if ! python3 -m pip --version >/dev/null 2>&1; then
        apt_install python3-pip
    fi
    "${SUDO[@]}" env PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore \
        python3 -m pip install --quiet --disable-pip-version-check "python-docx==1.2.0"
    if ! python3 -c 'import docx' >/dev/null 2>&1; then
        echo "install-tools: python-docx still not importable by python3 after install" >&2
        exit 1
    fi
fi

# --- PDFBox Preflight (Debian): the PDF/A-1b validator (tests/integration/pdf_tags.rs) --------
# The jars the test puts on the class path: Preflight with PDFBox 2, and the javax.activation
# and JAXB APIs that Java 11 and later no longer carry; a Java runtime to run it.
declare -A JAR_PACKAGE=(
    [preflight.jar]=libpdfbox2-java [pdfbox2.jar]=libpdfbox2-java [fontbox2.jar]=libfontbox2-java
    [xmpbox.jar]=libpdfbox2-java [commons-logging.jar]=libcommons-logging-java
    [javax.activation.jar]=libactivation-java [jaxb-api.jar]=libjaxb-api-java
)
java_packages=()
for jar in "${!JAR_PACKAGE[@]}"; do
    [ -f "/usr/share/java/$jar" ] || java_packages+=("${JAR_PACKAGE[$jar]}")
done
command -v java >/dev/null 2>&1 || java_packages+=(default-jre-headless)
if [ "${#java_packages[@]}" -eq 0 ]; then
    echo "install-tools: PDFBox Preflight and java present."
else
    read -r -a java_packages <<< "$(printf '%s\n' "${java_packages[@]}" | sort -u | tr '\n' ' ')"
    echo "install-tools: installing ${java_packages[*]} (PDFBox Preflight)"
    start=$SECONDS
    apt_install "${java_packages[@]}"
    echo "install-tools: PDFBox Preflight installed in $((SECONDS - start)) s"
fi

# --- npm: the browser test's packages, exactly as locked --------------------------------------
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
# --- sofd (crates.io) -------------------------------------------------------------------------
if command -v sofd >/dev/null 2>&1; then
    echo "install-tools: sofd present ($(sofd --version))."
else
    # sofd links fontconfig (through font-kit): its headers and pkg-config must be there.
    if ! pkg-config --exists fontconfig 2>/dev/null; then
        apt_install pkg-config libfontconfig1-dev
    fi
    echo "install-tools: building sofd-cli $SOFD_VERSION (cargo install)"
    start=$SECONDS
    cargo install sofd-cli --version "$SOFD_VERSION" --locked
    echo "install-tools: sofd-cli built in $((SECONDS - start)) s"
    command -v sofd >/dev/null 2>&1 || {
        echo "install-tools: sofd still missing after install (is ~/.cargo/bin on PATH?)" >&2
        exit 1
    }
fi
echo "install-tools: done."

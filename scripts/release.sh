#!/usr/bin/env bash
# Makes a release of xxgk in dist/ (or the folder given), on Debian 12 x86_64:
#   xxgk-VERSION-windows-x86_64.zip    xxgk.exe, 使用说明.txt, 填报模板.xlsx, examples, licences,
#                                      fonts/ (the built-in fonts' files and licences)
#   xxgk-VERSION-linux-x86_64.tar.gz   static (musl) binaries: start on any Linux of the arch,
#   xxgk-VERSION-linux-aarch64.tar.gz    whatever its glibc (UOS 20, Kylin V10 included)
#   xxgk_VERSION_amd64.deb, xxgk_VERSION_arm64.deb   the same binaries, docs and examples
#   SHA256SUMS
# Builds with --locked, one target at a time. Installs the cross compilers and rustup targets it
# lacks (scripts/cross-tools.sh). The archives are reproducible: entries sorted, dated by the
# last commit (SOURCE_DATE_EPOCH), owned by root.
# XXGK_RELEASE_PROFILE=dev makes the same artifacts from debug builds (to try the packaging).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TERM_COLOR=never
profile=${XXGK_RELEASE_PROFILE:-release}
case "$profile" in dev | test) pdir=debug ;; *) pdir=$profile ;; esac
dist=$(realpath -m "${1:-dist}")
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || { echo "release: no version in Cargo.toml" >&2; exit 1; }
# The .deb's Maintainer field: who made the release commit, unless told.
maintainer=${XXGK_MAINTAINER:-$(git log -1 --format='%an <%ae>')}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
say() { printf 'release: %s\n' "$*"; }

# shellcheck source=scripts/cross-tools.sh
. scripts/cross-tools.sh
cross_build_tools

start=$SECONDS
for t in x86_64-pc-windows-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
    t0=$SECONDS
    cargo build --locked --profile "$profile" --target "$t" --bin xxgk
    say "built $t in $((SECONDS - t0)) s"
done
exe=target/x86_64-pc-windows-gnu/$pdir/xxgk.exe
amd64=target/x86_64-unknown-linux-musl/$pdir/xxgk
arm64=target/aarch64-unknown-linux-musl/$pdir/xxgk
# Release builds are stripped by the profile; a dev build is stripped here.
strip_copy() { # strip_copy FROM TO STRIP
    cp "$1" "$2"
    [ "$profile" = release ] || "$3" "$2"
}

rm -rf "$dist"
mkdir -p "$dist"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# The template is made by the x86_64 binary this host runs (static: it starts here).
"$amd64" template --xlsx -o "$stage/填报模板.xlsx"

# Fixed dates, sorted entries, root owner: the same commit gives the same archives.
normalise() { find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +; }
tarball() { # tarball DIR NAME
    normalise "$1/$2"
    tar -C "$1" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
        -cf - "$2" | gzip -9n >"$dist/$2.tar.gz"
}

common() { # common DIR: examples, template, licences, and the fonts compiled into the program
    mkdir -p "$1/examples"
    cp examples/*.yaml "$1/examples/"
    cp "$stage/填报模板.xlsx" LICENSE-MIT LICENSE-APACHE "$1/"
    # Fandol's GPL asks for the fonts' source beside a binary that carries them (README, 许可).
    cp -r fonts "$1/fonts"
}

# --- Windows .zip ----------------------------------------------------------------------------
w=$stage/zip/xxgk-$version-windows-x86_64
mkdir -p "$w"
strip_copy "$exe" "$w/xxgk.exe" x86_64-w64-mingw32-strip
common "$w"
# Notepad reads UTF-8 with a BOM and CRLF lines on every Windows still in use. (The examples
# stay as they are: the same input everywhere.)
{
    printf '\xef\xbb\xbf'
    sed 's/$/\r/' packaging/windows/使用说明.txt
} >"$w/使用说明.txt"
normalise "$w"
# -X: no Unix owner fields; names are stored as UTF-8 (the zip flags it), which Windows 10's
# Explorer and 7-Zip read.
(cd "$stage/zip" && find "$(basename "$w")" | LC_ALL=C sort | zip -X -q -9 "$dist/$(basename "$w").zip" -@)

# --- Linux .tar.gz ---------------------------------------------------------------------------
for arch in x86_64 aarch64; do
    d=$stage/tar/xxgk-$version-linux-$arch
    mkdir -p "$d"
    if [ "$arch" = x86_64 ]; then
        strip_copy "$amd64" "$d/xxgk" strip
    else
        strip_copy "$arm64" "$d/xxgk" aarch64-linux-gnu-strip
    fi
    common "$d"
    cp README.md "$d/"
    tarball "$stage/tar" "$(basename "$d")"
done

# --- .deb ------------------------------------------------------------------------------------
# Built with dpkg-deb by packaging/deb/build.sh (the layout packaging/deb/test.sh installs):
# /usr/bin/xxgk, docs and examples, the systemd unit of `xxgk serve` and the maintainer scripts
# that make its `xxgk` user. The binaries are static, so the packages depend on nothing.
for arch in amd64 arm64; do
    b=$stage/deb-$arch
    if [ "$arch" = amd64 ]; then
        strip_copy "$amd64" "$b" strip
    else
        strip_copy "$arm64" "$b" aarch64-linux-gnu-strip
    fi
    XXGK_MAINTAINER=$maintainer bash packaging/deb/build.sh "$b" "$arch" \
        "$dist/xxgk_${version}_$arch.deb" "$stage/填报模板.xlsx"
done

(cd "$dist" && sha256sum -- *.zip *.tar.gz *.deb >SHA256SUMS)
say "made in $((SECONDS - start)) s ($profile builds):"
(cd "$dist" && ls -l && cat SHA256SUMS) | sed "s|^|  |"
cd "$root"

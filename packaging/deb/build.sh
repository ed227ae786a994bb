#!/usr/bin/env bash
# Builds the .deb of xxgk from a binary with dpkg-deb: the one layout that scripts/release.sh
# ships and packaging/deb/test.sh installs (cargo deb builds the same from Cargo.toml's
# [package.metadata.deb]).
#   packaging/deb/build.sh BINARY ARCH OUT.deb [TEMPLATE.xlsx]
# BINARY is copied as it is (release.sh strips it first). TEMPLATE: the Excel template for
# /usr/share/xxgk, made by BINARY when not given (so BINARY must run here then).
# XXGK_DEB_COMPRESS: dpkg-deb's -Z (default xz; the test uses none: 2 s instead of 40 on the
# 68 MB debug binary).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 3 ] || { echo "usage: $0 BINARY ARCH OUT.deb [TEMPLATE.xlsx]" >&2; exit 2; }
bin=$(realpath "$1")
arch=$2
out=$(realpath -m "$3")
template=${4:+$(realpath "$4")}
cd "$root"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
maintainer=${XXGK_MAINTAINER:-$(git log -1 --format='%an <%ae>')}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
p=$stage/xxgk_${version}_$arch
mkdir -p "$p/DEBIAN" "$p/usr/bin" "$p/usr/share/doc/xxgk" "$p/usr/share/xxgk"
cp "$bin" "$p/usr/bin/xxgk"
chmod 0755 "$p/usr/bin/xxgk"
if [ -n "$template" ]; then
    cp "$template" "$p/usr/share/xxgk/填报模板.xlsx"
else
    "$bin" template --xlsx -o "$p/usr/share/xxgk/填报模板.xlsx" >/dev/null 2>&1 ||
        { echo "build.sh: $bin could not make the template" >&2; exit 1; }
fi
cp README.md docs/SERVE.md "$p/usr/share/doc/xxgk/"
# The program's licences and those of the fonts compiled into it.
{
    printf 'xxgk: MIT OR Apache-2.0 (below); built-in fonts: their own licences (below).\n\n'
    for f in LICENSE-MIT LICENSE-APACHE fonts/LICENSE-*.txt; do
        printf '==== %s ====\n\n' "$(basename "$f")"
        cat "$f"
        printf '\n'
    done
} >"$p/usr/share/doc/xxgk/copyright"
mkdir -p "$p/usr/share/doc/xxgk/examples"
cp examples/*.yaml "$p/usr/share/doc/xxgk/examples/"
cp -r fonts "$p/usr/share/doc/xxgk/fonts"
# xxgk serve: a systemd unit (not enabled) and the `xxgk` user made by postinst.
mkdir -p "$p/lib/systemd/system"
cp packaging/deb/xxgk.service "$p/lib/systemd/system/"
size=$(du -sk --exclude=DEBIAN "$p" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
    -e "s|@MAINTAINER@|$maintainer|" \
    packaging/deb/control.in >"$p/DEBIAN/control"
find "$p" -type d -exec chmod 0755 {} +
find "$p" -type f ! -path "$p/usr/bin/*" -exec chmod 0644 {} +
for script in postinst prerm postrm; do
    install -m 0755 "packaging/deb/$script" "$p/DEBIAN/$script"
done
# Fixed dates and a root owner: the same commit gives the same package.
find "$p" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group "-Z${XXGK_DEB_COMPRESS:-xz}" --build "$p" "$out" >/dev/null

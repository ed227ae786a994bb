#!/usr/bin/env bash
# Installs the .deb on this machine and checks that the installed program serves its page:
#   packaging/deb/test.sh [BINARY]        (default target/debug/xxgk)
# Builds the package from BINARY with packaging/deb/build.sh (release.sh's layout), installs it
# with dpkg -i, checks the `xxgk` user and /var/lib/xxgk, starts /usr/bin/xxgk as that user on a
# free port (not through systemd: CI containers have none), fetches the set-up page, then
# purges the package and removes what it made, leaving the machine as it was.
# Skips (exit 0, with a message) without root or dpkg, or when xxgk is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/target/debug/xxgk}")
say() { printf 'deb test: %s\n' "$*"; }

if [ "$(id -u)" != 0 ]; then
    say "skipped: dpkg -i needs root"
    exit 0
fi
for tool in dpkg dpkg-deb curl setpriv getent; do
    command -v "$tool" >/dev/null || { say "skipped: no $tool"; exit 0; }
done
# Never touch an installation, a user or data that were there before.
if dpkg-query -W -f='${Status}' xxgk 2>/dev/null | grep -q installed; then
    say "skipped: a package xxgk is installed here"
    exit 0
fi
if getent passwd xxgk >/dev/null || getent group xxgk >/dev/null || [ -e /var/lib/xxgk ] || [ -e /usr/bin/xxgk ]; then
    say "skipped: user xxgk, /var/lib/xxgk or /usr/bin/xxgk exists already"
    exit 0
fi

work=$(mktemp -d)
server=
installed=
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    if [ -n "$installed" ]; then
        dpkg --purge xxgk >/dev/null 2>&1 || true
        # The package keeps the units' data on purge (by design); this test's is removed.
        rm -rf /var/lib/xxgk
        getent passwd xxgk >/dev/null && userdel xxgk
        getent group xxgk >/dev/null && groupdel xxgk
    fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() { say "FAILED: $*"; [ -f "$work/log" ] && sed 's/^/  server: /' "$work/log"; exit 1; }

t0=$SECONDS
arch=$(dpkg --print-architecture)
XXGK_DEB_COMPRESS=${XXGK_DEB_COMPRESS:-none} bash "$root/packaging/deb/build.sh" "$bin" "$arch" "$work/xxgk.deb"
installed=1
dpkg -i "$work/xxgk.deb" >/dev/null
dpkg-query -W -f='${Status}\n' xxgk | grep -q 'install ok installed' || fail "not installed"
[ -x /usr/bin/xxgk ] || fail "no /usr/bin/xxgk"
[ -f /lib/systemd/system/xxgk.service ] || fail "no systemd unit"
[ -f /usr/share/doc/xxgk/SERVE.md ] || fail "no SERVE.md"
getent passwd xxgk >/dev/null || fail "no user xxgk"
[ "$(stat -c '%U:%G %a' /var/lib/xxgk)" = "xxgk:xxgk 750" ] || fail "/var/lib/xxgk: $(stat -c '%U:%G %a' /var/lib/xxgk)"

# The installed binary, as the service runs it (user xxgk, its data folder), on a free port.
setpriv --reuid=xxgk --regid=xxgk --clear-groups \
    /usr/bin/xxgk serve --data /var/lib/xxgk --listen 127.0.0.1:0 >"$work/log" 2>&1 &
server=$!
setup=
for _ in $(seq 1 300); do
    setup=$(grep -o -m 1 'http://[^ ]*/setup/[0-9a-f]*' "$work/log" 2>/dev/null || true)
    [ -n "$setup" ] && break
    kill -0 "$server" 2>/dev/null || fail "the server stopped"
    sleep 0.2
done
[ -n "$setup" ] || fail "no set-up link printed"
code=$(curl -sS -o "$work/page" -w '%{http_code}' "$setup")
[ "$code" = 200 ] || fail "set-up page: HTTP $code"
grep -q '管理密码' "$work/page" || fail "the set-up page does not ask for the password"
[ -f /var/lib/xxgk/xxgk.db ] || fail "no database in /var/lib/xxgk"
[ "$(stat -c %U /var/lib/xxgk/xxgk.db)" = xxgk ] || fail "the database is not the xxgk user's"
say "ok: installed, served $setup as user xxgk ($((SECONDS - t0)) s)"

kill "$server"
wait "$server" 2>/dev/null || true
server=
dpkg --purge xxgk >/dev/null
getent passwd xxgk >/dev/null && fail "user xxgk left after purge"
installed=
rm -rf /var/lib/xxgk
getent group xxgk >/dev/null && groupdel xxgk
say "ok: purged"

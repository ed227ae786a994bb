# Sourced by scripts/release.sh and .ci/cross.sh (Debian 12, root or sudo): installs only what
# is missing.
#   cross_build_tools — the linkers and C compilers of .cargo/config.toml and the rustup targets;
#   cross_run_tools   — wine and qemu-user to run what was built; sets WINE (the wine64 program)
#                       and arm_batch (1 when an ARM64 binary can start another, as batch does).

CROSS_TARGETS=(x86_64-pc-windows-gnu aarch64-unknown-linux-musl x86_64-unknown-linux-musl)
_cross_sudo=()
[ "$(id -u)" -ne 0 ] && _cross_sudo=(sudo)

_cross_apt() {
    [ "$#" -gt 0 ] || return 0
    echo "cross-tools: installing $*"
    "${_cross_sudo[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${_cross_sudo[@]}" apt-get install -y --no-install-recommends "$@"
}

_cross_wine() {
    command -v wine64 || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || true
}

cross_build_tools() {
    local p=() t installed
    command -v x86_64-w64-mingw32-gcc >/dev/null || p+=(gcc-mingw-w64-x86-64)
    command -v musl-gcc >/dev/null || p+=(musl-tools)
    command -v aarch64-linux-gnu-gcc >/dev/null || p+=(gcc-aarch64-linux-gnu)
    # libdeflate's C is compiled for static ARM64 against these headers (it calls only memcpy,
    # malloc and getauxval, which musl has too).
    [ -f /usr/aarch64-linux-gnu/include/stdlib.h ] || p+=(libc6-dev-arm64-cross)
    command -v readelf >/dev/null || p+=(binutils)
    _cross_apt "${p[@]}"
    installed=$(rustup target list --installed)
    for t in "${CROSS_TARGETS[@]}"; do
        grep -qx "$t" <<<"$installed" || rustup target add "$t"
    done
}

cross_run_tools() {
    local p=()
    [ -n "$(_cross_wine)" ] || p+=(wine64)
    command -v qemu-aarch64-static >/dev/null || p+=(qemu-user-static)
    command -v script >/dev/null || p+=(bsdutils)
    _cross_apt "${p[@]}"
    WINE=$(_cross_wine)
    if [ -z "$WINE" ]; then
        echo "cross-tools: wine64 missing after install" >&2
        return 1
    fi
    # Batch workers are the program itself: under qemu-user a worker is an ARM64 binary that
    # only binfmt_misc can start. Installing qemu-user-static registers it on a booted Debian;
    # where nothing did (a container or VM without systemd), register Debian's own entry.
    arm_batch=1
    if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
        {
            [ -e /proc/sys/fs/binfmt_misc/register ] ||
                "${_cross_sudo[@]}" mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
            "${_cross_sudo[@]}" sh -c 'cat /usr/lib/binfmt.d/qemu-aarch64.conf > /proc/sys/fs/binfmt_misc/register'
        } 2>/dev/null || true
        if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
            arm_batch=0
            echo "cross-tools: NOTE: binfmt_misc cannot start ARM64 binaries here (no ARM64 batch)"
        fi
    fi
}

#!/usr/bin/env bash
# Cross builds (issue 25), called by .ci/run after the native tests:
#  - builds xxgk for Windows (x86_64-pc-windows-gnu), static ARM64 Linux
#    (aarch64-unknown-linux-musl) and static x86_64 Linux (x86_64-unknown-linux-musl), one at a
#    time, in the dev profile (XXGK_CROSS_PROFILE=release to check release builds);
#  - runs each on the examples, an Excel input, the Excel template, a dropped file and a batch
#    folder with Chinese names and spaces — the .exe under wine (with the test-only
#    bcryptprimitives.dll of .ci/wine beside it), the ARM64 binary under qemu-user, the musl one
#    natively — and requires the native build's exit codes and byte-identical files;
#  - checks that the static binaries need no shared library (or no glibc newer than 2.28);
#  - drives the Windows double-click and dropped-file behaviour under wine in a pseudo-terminal
#    (its own console, as Explorer gives), pressing Enter once it asks, and checks the Chinese
#    text and that it waited; from a console (cmd) and from a pipe it must behave as on Linux.
# Debian 12 (root, or sudo). Installs what is missing: Debian packages and rustup targets.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TERM_COLOR=never
profile=${XXGK_CROSS_PROFILE:-dev}
case "$profile" in dev | test) pdir=debug ;; *) pdir=$profile ;; esac
start_all=$SECONDS
say() { printf 'cross: %s\n' "$*"; }
fail() {
    printf 'cross: FAIL: %s\n' "$*" >&2
    exit 1
}

# The compilers, wine, qemu and rustup targets; WINE and arm_batch are set.
# shellcheck source=scripts/cross-tools.sh
. scripts/cross-tools.sh
cross_build_tools
cross_run_tools

# --- Builds ------------------------------------------------------------------------------------
build() {
    local t0=$SECONDS
    cargo build --locked --profile "$profile" "$@" --bin xxgk
    say "built $* in $((SECONDS - t0)) s"
}
# The native reference is the binary `cargo test` built and tested (after .ci/run's tests this
# builds nothing; `cargo build` alone would build the dependencies again, with other features).
t0=$SECONDS
cargo test --locked --profile "$profile" --no-run
say "built native in $((SECONDS - t0)) s"
for t in "${CROSS_TARGETS[@]}"; do
    build --target "$t"
done

work=$(mktemp -d)
# XXGK_CROSS_KEEP=1 keeps the outputs and logs to look at.
if [ -z "${XXGK_CROSS_KEEP:-}" ]; then
    trap 'rm -rf "$work"' EXIT
else
    say "outputs kept in $work"
fi
bin=$work/bin
mkdir -p "$bin"
cp "target/$pdir/xxgk" "$bin/xxgk"
cp "target/x86_64-pc-windows-gnu/$pdir/xxgk.exe" "$bin/xxgk.exe"
cp "target/aarch64-unknown-linux-musl/$pdir/xxgk" "$bin/xxgk-arm64"
cp "target/x86_64-unknown-linux-musl/$pdir/xxgk" "$bin/xxgk-musl"
x86_64-w64-mingw32-gcc -shared -O2 -o "$bin/bcryptprimitives.dll" .ci/wine/bcryptprimitives.c -ladvapi32

# --- Static binaries ---------------------------------------------------------------------------
# No shared library at all, or (a glibc build) none newer than GLIBC_2.28 (UOS 20, Kylin V10).
check_static() {
    local f=$1 newest
    if readelf -d "$f" 2>/dev/null | grep -q '(NEEDED)'; then
        newest=$(objdump -T "$f" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
        if [ -n "$newest" ] && [ "$(printf '%s\n2.28\n' "$newest" | sort -V | tail -n 1)" != 2.28 ]; then
            fail "$f needs GLIBC_$newest (> 2.28)"
        fi
        say "$f: dynamic, newest glibc symbol ${newest:-none}"
    else
        readelf -l "$f" | grep -q 'Requesting program interpreter' && fail "$f has an interpreter"
        say "$f: static (no interpreter, no shared library)"
    fi
}
check_static "$bin/xxgk-musl"
check_static "$bin/xxgk-arm64"
ldd "$bin/xxgk-musl" 2>&1 | grep -Eq 'not a dynamic executable|statically linked' ||
    fail "ldd lists libraries for the static x86_64 binary"

# --- Wine ----------------------------------------------------------------------------------------
export WINEPREFIX=${XXGK_WINEPREFIX:-$HOME/.cache/xxgk-wine}
export WINEDEBUG=-all
# No Mono or Gecko install prompts (nothing here needs them).
export WINEDLLOVERRIDES="mscoree,mshtml="
export LC_ALL=C.UTF-8
wineserver=$(dirname "$WINE")/wineserver
[ -x "$wineserver" ] || wineserver=$(command -v wineserver || command -v wineserver64 || true)
t0=$SECONDS
"$WINE" wineboot -i >/dev/null 2>&1 || true
say "wine prefix ready in $((SECONDS - t0)) s"
# The fonts the native build draws with beyond its own (e.g. a system CJK face for characters
# the built-in fonts lack) go into the per-user Windows font folder, where xxgk.exe must find
# them for the documents to be the same.
userfonts="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local/Microsoft/Windows/Fonts"
mkdir -p "$userfonts"
machine_fonts=$("$bin/xxgk" fonts | { grep -o ' — /[^（]*' || true; } | sed 's/^ — //' | sort -u)
while read -r f; do
    if [ -n "$f" ] && [ -f "$f" ]; then cp -f "$f" "$userfonts/"; fi
done <<<"$machine_fonts"

# --- The suite: the same commands for every build ------------------------------------------------
cd "$work"
mkdir -p "in" "批量 报告/廊坊市" "批量 报告/示例单位 甲"
cp "$root/examples/langfang-2021.yaml" "in/廊坊 2021.yaml"
cp "$root/examples/demo-2023.yaml" "in/示例 2023.yaml"
# A second body of the same year, as an Excel workbook, so the batch sums two reports.
sed 's/廊坊市人民政府办公室/廊坊市某某局/g' "in/廊坊 2021.yaml" >某某局.yaml
"$bin/xxgk" convert 某某局.yaml "in/填报 某局.xlsx"
cp "in/廊坊 2021.yaml" "批量 报告/廊坊市/廊坊 2021.yaml"
cp "in/示例 2023.yaml" "批量 报告/示例单位 甲/示例.yaml"
cp "in/填报 某局.xlsx" "批量 报告/某某局.xlsx"

# suite NAME COMMAND...: runs COMMAND (the program) on every case into out-NAME, exit codes in
# out-NAME/codes, messages in log-NAME.
suite() {
    local name=$1 out=out-$1 log=log-$1 code f
    shift
    local t0=$SECONDS
    mkdir -p "$out/render" "$out/template" "$out/drop"
    : >"$log"
    run() { # run LABEL COMMAND...
        local label=$1
        shift
        set +e
        "$@" >>"$log" 2>&1 </dev/null
        code=$?
        set -e
        echo "$label → $code" >>"$out/codes"
    }
    for f in in/*; do
        run "render ${f#in/}" "$@" render "$f" -o "$out/render" --to docx,pdf,xlsx,html,ofd
    done
    run template "$@" template --xlsx -o "$out/template/填报模板.xlsx"
    cp in/* "$out/drop/"
    run dropped "$@" "$out/drop/廊坊 2021.yaml" "$out/drop/填报 某局.xlsx"
    if [ "$name" != arm64 ] || [ "$arm_batch" -eq 1 ]; then
        run batch "$@" batch "批量 报告" -o "$out/batch" -j 2
    fi
    say "$name: suite ran in $((SECONDS - t0)) s"
}
same_as_native() {
    local name=$1
    if [ "$name" = arm64 ] && [ "$arm_batch" -eq 0 ]; then
        diff -r -x batch -x codes out-native "out-$name" >/dev/null &&
            diff <(grep -v '^batch' out-native/codes) "out-$name/codes" >/dev/null
    else
        diff -r out-native "out-$name" >/dev/null
    fi || {
        diff -r out-native "out-$name" | head -n 20 >&2
        cat "log-$name" >&2
        fail "$name: outputs or exit codes differ from the native build's"
    }
    say "$name: exit codes and $(find "out-$name" -type f | wc -l) files identical to native"
}

suite native "$bin/xxgk"
grep -qx 'render 廊坊 2021.yaml → 0' out-native/codes ||
    fail "native render of the example failed: $(cat log-native)"
grep -q '已汇总 2 份' log-native || fail "native batch did not sum the two 2021 reports: $(cat log-native)"
[ -f "out-native/drop/廊坊 2021.docx" ] || fail "the dropped file was not rendered beside it"

sed 's/^/cross: native: /' out-native/codes
suite musl "$bin/xxgk-musl"
same_as_native musl
suite arm64 qemu-aarch64-static "$bin/xxgk-arm64"
same_as_native arm64
suite windows "$WINE" "$bin/xxgk.exe"
same_as_native windows
if grep -F '\\?\' log-windows >/dev/null; then
    grep -F '\\?\' log-windows | head -n 5 >&2
    fail "windows: a message shows a verbatim (\\\\?\\) path"
fi

# --- Windows console behaviour -------------------------------------------------------------------
# In a pseudo-terminal wine gives the program a console of its own, as Explorer does for a
# double-click or a dropped file. The screen's text, without terminal escapes and spaces (the
# console draws spaces as cursor moves):
screen() { sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[()][A-Z0-9]//g' "$1" | tr -d ' \r\n\t'; }
# console LOG FEED COMMAND...: runs COMMAND in a pseudo-terminal, exit code in $code. FEED=key:
# once the screen asks for the key, waits 2 s, then presses Enter; $waited is 1 when the program
# was still there to take it (it really waited). A key typed before the console is set up would
# be flushed with the terminal's input, hence the wait for the prompt. FEED=none: no input.
console() {
    local log=$1 feed=$2 fifo=$PWD/console.fifo input=/dev/null
    shift 2
    : >"$log"
    rm -f "$fifo" fed
    waited=0
    if [ "$feed" = key ]; then
        mkfifo "$fifo"
        input=$fifo
        (
            exec 3>"$fifo"
            for _ in $(seq 1 600); do
                screen "$log" | grep -qF "按回车键关闭窗口" && break
                sleep 0.2
            done
            sleep 2
            # Fails (the reader is gone) when the program ended without waiting.
            { printf '\r' >&3 && echo 1 >fed; } 2>/dev/null || echo 0 >fed
            sleep 1
        ) &
    fi
    set +e
    timeout 300 script -qec "$(printf '%q ' "$@")" /dev/null <"$input" >"$log" 2>&1
    code=$?
    set -e
    wait
    [ -f fed ] && waited=$(cat fed)
    [ "$code" -ne 124 ] || fail "windows console: timed out (waiting for a key?): $*"
}
expect() { # expect LOG TEXT...: each TEXT (spaces ignored) on the screen
    local log=$1 t
    shift
    for t in "$@"; do
        screen "$log" | grep -qF "${t// /}" || {
            cat -v "$log" >&2
            fail "windows console: \"$t\" not shown"
        }
    done
}
# Double-click: the explanation, then a wait for the key that closes the window.
console dbl.log key "$WINE" "$bin/xxgk.exe"
[ "$code" -eq 0 ] || fail "windows double-click: exit $code"
[ "$waited" -eq 1 ] || fail "windows double-click: the window did not wait for a key"
expect dbl.log "把填好的 Excel 填报表（.xlsx）或 YAML 文件拖到 xxgk.exe 的图标上松开" \
    "xxgk template --xlsx -o 填报.xlsx" "按回车键关闭窗口"
# A dropped file: checked, rendered beside it, the result shown, then the wait.
mkdir -p "drop 窗口"
cp "in/廊坊 2021.yaml" "drop 窗口/"
console drop.log key "$WINE" "$bin/xxgk.exe" "drop 窗口/廊坊 2021.yaml"
[ "$code" -eq 0 ] || fail "windows dropped file: exit $code"
[ "$waited" -eq 1 ] || fail "windows dropped file: the window did not wait for a key"
expect drop.log "检查并生成" "廊坊 2021.yaml" "已生成" "按回车键关闭窗口"
for f in "廊坊 2021.docx" "廊坊 2021.pdf" "廊坊 2021.xlsx"; do
    cmp -s "drop 窗口/$f" "out-native/drop/$f" || fail "windows dropped file: $f differs from native"
done
# A file of another kind dropped: the error stays readable until the key. (A .txt is read now,
# as text pasted from a published page; an old Word .doc is not.)
echo x >"drop 窗口/说明.doc"
console other.log key "$WINE" "$bin/xxgk.exe" "drop 窗口/说明.doc"
[ "$code" -eq 2 ] || fail "windows dropped .doc: exit $code, not 2"
[ "$waited" -eq 1 ] || fail "windows dropped .doc: the window did not wait for a key"
expect other.log "错误：" "按回车键关闭窗口"
# From a console the clerk opened (cmd is attached too): as on Linux, no wait.
"$bin/xxgk" >native-noarg.log 2>&1 </dev/null && native_code=0 || native_code=$?
console cmd.log none "$WINE" cmd /c "$bin/xxgk.exe"
[ "$code" -eq "$native_code" ] || fail "windows from cmd without arguments: exit $code, native $native_code"
if screen cmd.log | grep -qF "按回车键关闭窗口"; then
    fail "windows from cmd: waits for a key, as only a window of its own should"
fi
expect cmd.log "用法：xxgk <COMMAND>"
# No console at all (a pipe): as on Linux.
"$WINE" "$bin/xxgk.exe" >pipe.log 2>&1 </dev/null && code=0 || code=$?
[ "$code" -eq "$native_code" ] || fail "windows from a pipe without arguments: exit $code, native $native_code"
if grep -qF "按回车键" pipe.log; then fail "windows from a pipe: waits for a key"; fi
say "windows console: double-click, dropped file, cmd and pipe behave"

[ -n "$wineserver" ] && "$wineserver" -k 2>/dev/null || true
say "done in $((SECONDS - start_all)) s"

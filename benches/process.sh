#!/usr/bin/env bash
# Whole-process benchmark: the release binary, copied alone to a scratch folder (no source tree
# and no fonts/ in reach, HOME pointed at an empty folder), renders examples/langfang-2021.yaml
# RUNS times (default 30) for each case; prints the median and the range of wall time and the
# largest peak RSS (GNU time's %M), and the PDF's size.
# Usage: benches/process.sh [RUNS] [BINARY]   (BINARY defaults to target/release/xxgk, built)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
src_bin=${2:-}
if [ -z "$src_bin" ]; then
  cargo build --release --quiet
  src_bin=target/release/xxgk
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/home" "$work/run"
cp "$src_bin" "$work/bin/xxgk"
cp examples/langfang-2021.yaml "$work/run/report.yaml"
bin=$work/bin/xxgk

case_() {  # case_ LABEL ARGS...: RUNS timed runs after one warm-up run
  local label=$1; shift
  (cd "$work/run" && HOME="$work/home" "$bin" "$@" >/dev/null 2>&1)
  : > "$work/times"
  for _ in $(seq 1 "$runs"); do
    (cd "$work/run" && HOME="$work/home" /usr/bin/time -f "%e %M %U %S" -a -o "$work/times" \
      "$bin" "$@" >/dev/null 2>&1)
  done
  # %e has 10 ms resolution; time the same runs again with date for ms.
  : > "$work/ms"
  for _ in $(seq 1 "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    (cd "$work/run" && HOME="$work/home" "$bin" "$@" >/dev/null 2>&1)
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000)) >> "$work/ms"
  done
  local med lo hi rss cpu
  med=$(sort -n "$work/ms" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  lo=$(sort -n "$work/ms" | head -1)
  hi=$(sort -n "$work/ms" | tail -1)
  rss=$(awk '{ if ($2 > m) m = $2 } END { print m }' "$work/times")
  # CPU time (user + sys, 10 ms resolution each) is less sensitive to other load than wall time.
  cpu=$(awk '{ print ($3 + $4) * 1000 }' "$work/times" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  awk -v l="$label" -v med="$med" -v lo="$lo" -v hi="$hi" -v rss="$rss" -v cpu="$cpu" 'BEGIN {
    printf "%-24s wall median %6.1f ms (%.1f–%.1f)  CPU median %3.0f ms  peak RSS %5.1f MiB\n", l, med / 1000, lo / 1000, hi / 1000, cpu, rss / 1024 }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(uname -m); $("$bin" --version); binary $(stat -c %s "$bin") bytes; $runs runs per case"
case_ "render, docx+pdf+xlsx" render report.yaml
case_ "render --to pdf" render report.yaml --to pdf
case_ "render --to docx,xlsx" render report.yaml --to docx,xlsx
case_ "check" check report.yaml
echo "PDF: $(stat -c %s "$work/run/report.pdf") bytes; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

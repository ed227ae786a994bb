#!/usr/bin/env bash
# Batch benchmark: N generated reports (default 1000) rendered to docx, pdf and xlsx by one
# `xxgk batch` run. Prints total time, reports per second and peak memory (max RSS), for N and
# for N/10, to show that memory stays flat in the number of reports.
# Usage: benches/batch.sh [N] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
jobs=${2:-$(nproc)}
cargo build --release --quiet
bin=target/release/xxgk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gen() {  # gen COUNT DIR: copies of the demo report with a distinct body and varied numbers
  local count=$1 dir=$2
  mkdir -p "$dir"
  for i in $(seq 1 "$count"); do
    local k=$((i % 50)) sub="区$((i % 10))"
    mkdir -p "$dir/$sub"
    sed -e "s/青山县市场监督管理局/青山县第${i}局/g" \
        -e "s/行政许可: 856/行政许可: $((800 + k))/" \
        -e "s/行政处罚: 312/行政处罚: $((300 + k))/" \
        examples/demo-2023.yaml > "$dir/$sub/report-$i.yaml"
  done
}

run() {  # run COUNT
  local count=$1 dir=$work/in-$1 out=$work/out-$1
  gen "$count" "$dir"
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" batch "$dir" -o "$out" -j "$jobs" 2>/dev/null || true
  read -r secs kb < "$work/time"
  local ok; ok=$(grep -c '"ok": true' "$out/校验结果.json" || true)
  awk -v n="$count" -v s="$secs" -v kb="$kb" -v ok="$ok" -v j="$jobs" 'BEGIN {
    printf "%5d reports (-j %d, %d ok): %6.2f s, %6.1f reports/s, peak RSS %.0f MB\n", n, j, ok, s, n / s, kb / 1024 }'
}

echo "machine: $(nproc) cores, $(uname -m); xxgk $($bin --version)"
run $((n / 10))
run "$n"

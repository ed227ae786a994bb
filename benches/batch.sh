#!/usr/bin/env bash
# Batch benchmark: N generated reports (default 1000) rendered to docx, pdf and xlsx by one
# `xxgk batch` run. Prints total time, reports per second and peak memory (max RSS), for N and
# for N/10, to show that memory stays flat in the number of reports.
# Usage: benches/batch.sh [N] [JOBS]
# VARIED=1 benches/batch.sh ...: instead of copies of the demo report, the two examples in turn,
# each with its own body name and a sentence of 80 characters drawn at random from the
# examples' texts, so that no two reports set the same glyphs (python3).
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

gen_varied() {  # gen_varied COUNT DIR
  python3 - "$1" "$2" <<'PY'
import os, random, sys
count, out = int(sys.argv[1]), sys.argv[2]
bases = [open(f"examples/{n}.yaml", encoding="utf-8").read() for n in ("demo-2023", "langfang-2021")]
names = ["青山县市场监督管理局", "廊坊市人民政府办公室"]
pool = sorted({c for b in bases for c in b if "\u4e00" <= c <= "\u9fff"})
places = "东西南北中平安和宁远新长永丰兴华阳山河清江海"
units = ["教育局", "财政局", "统计局", "交通运输局", "自然资源和规划局", "卫生健康委员会", "人民政府办公室", "住房和城乡建设局"]
for i in range(1, count + 1):
    rnd = random.Random(i)
    k = i % 2
    name = rnd.choice(places) + rnd.choice(places) + f"县第{i}" + rnd.choice(units)
    text = bases[k].replace(names[k], name)
    words = "".join(rnd.choice(pool) for _ in range(80))
    text = text.replace("其他需要报告的事项: ", f"其他需要报告的事项: {words}。", 1)
    d = os.path.join(out, f"区{i % 10}")
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, f"report-{i}.yaml"), "w", encoding="utf-8").write(text)
PY
}

run() {  # run COUNT
  local count=$1 dir=$work/in-$1 out=$work/out-$1
  if [ -n "${VARIED:-}" ]; then gen_varied "$count" "$dir"; else gen "$count" "$dir"; fi
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" batch "$dir" -o "$out" -j "$jobs" 2>/dev/null || true
  # The last line: GNU time puts "Command exited with non-zero status" before it.
  read -r secs kb < <(tail -1 "$work/time")
  local ok; ok=$(grep -c '"ok": true' "$out/校验结果.json" || true)
  awk -v n="$count" -v s="$secs" -v kb="$kb" -v ok="$ok" -v j="$jobs" 'BEGIN {
    printf "%5d reports (-j %d, %d ok): %6.2f s, %6.1f reports/s, peak RSS %.0f MB\n", n, j, ok, s, n / s, kb / 1024 }'
}

echo "machine: $(nproc) cores, $(uname -m); $($bin --version); ${VARIED:+varied }reports"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run $((n / 10))
run "$n"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

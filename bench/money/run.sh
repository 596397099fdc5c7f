#!/usr/bin/env bash
# Runs Rastro's money detectors (go run ./bench/money, built once) and a
# plain networkx baseline (bench/money/networkx_baseline.py, Debian's
# python3-networkx) side by side on the same AMLSim samples in one run, and
# prints one table: per planted pattern, precision and recall of the flagged
# accounts against isFraud for both tools, and the median wall and CPU time
# of load+detect (measured inside each process, REPEAT runs); with
# hyperfine installed, also the median end-to-end process time.
# Usage: bash bench/money/run.sh [repeat]   (default 3; DATA=folder of the
# AMLSim samples, default ../shared/data/aml)
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${DATA:-../shared/data/aml}"
repeat="${1:-3}"
if [ ! -d "$data" ]; then
  echo "reference data $data not found; set DATA" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/rastro-money-bench" ./bench/money
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# dataset kind [ordered]
cases=("20K_fanin200 fan_in" "20K_cycle200 cycle" "20K_cycle200 cycle ordered")
for c in "${cases[@]}"; do
  read -r ds kind ordered <<<"$c"
  go_args=(-dir "$data/$ds" -kind "$kind")
  py_args=(--dir "$data/$ds" --kind "$kind")
  if [ -n "${ordered:-}" ]; then
    go_args+=(-ordered)
    py_args+=(--ordered)
  fi
  echo "## $ds $kind ${ordered:-}" >&2
  "$tmp/rastro-money-bench" "${go_args[@]}" -repeat "$repeat" | tee -a "$tmp/results.jsonl" >&2
  /usr/bin/python3 bench/money/networkx_baseline.py "${py_args[@]}" --repeat "$repeat" | tee -a "$tmp/results.jsonl" >&2
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --runs "$repeat" --export-json "$tmp/hf.json" \
      -n rastro "$tmp/rastro-money-bench ${go_args[*]} -repeat 1" \
      -n networkx "/usr/bin/python3 bench/money/networkx_baseline.py ${py_args[*]} --repeat 1" >&2
    /usr/bin/python3 - "$tmp/hf.json" "$ds" "$kind${ordered:+ (time-ordered)}" >>"$tmp/results.jsonl" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(json.dumps({"hyperfine": r["command"], "dataset": sys.argv[2], "pattern": sys.argv[3], "median_s": r["median"]}))
PY
  fi
done
/usr/bin/python3 bench/money/table.py "$tmp/results.jsonl"

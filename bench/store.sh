#!/usr/bin/env bash
# Runs the store benchmarks on SQLite and PostgreSQL in one run and prints
# the medians side by side with the PostgreSQL/SQLite ratio.
# Usage: bash bench/store.sh [count]   (default 5 runs per benchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-5}"
out=$(mktemp -d)
if [ -z "${TEST_POSTGRES_DSN:-}" ]; then
  eval "$(bash .ci/postgres.sh)"
  trap 'bash .ci/postgres.sh stop >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
fi
go test -run '^$' -bench BenchmarkStore -benchtime 200x -count "$count" ./sqlite/ > "$out/sqlite.txt"
go test -run '^$' -bench BenchmarkStore -benchtime 200x -count "$count" ./postgres/ > "$out/postgres.txt"
python3 - "$out/sqlite.txt" "$out/postgres.txt" <<'PY'
import re, statistics, sys
def medians(path):
    runs = {}
    for line in open(path):
        m = re.match(r'BenchmarkStore/(\S+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op', line)
        if m:
            runs.setdefault(m.group(1), []).append(float(m.group(3)))
    return {k: statistics.median(v) for k, v in runs.items()}
lite, pg = medians(sys.argv[1]), medians(sys.argv[2])
print(f"{'operation':32} {'SQLite':>12} {'PostgreSQL':>12} {'PG/SQLite':>10}")
for k in sorted(lite):
    if k in pg:
        print(f"{k:32} {lite[k]/1e6:10.3f}ms {pg[k]/1e6:10.3f}ms {pg[k]/lite[k]:9.2f}x")
PY

#!/usr/bin/env bash
# Identity resolution at scale: generates N person records with planted
# duplicates (synth.WritePeople), runs `rastro resolve` on them under
# /usr/bin/time -v (wall, CPU, peak RSS), and scores the clusters against
# the planted people (pairwise precision, recall, F1).
# Usage: bash bench/resolve/run.sh [N ...]   (default 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@")
[ $# -eq 0 ] && sizes=(100000 1000000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/bench-resolve" ./bench/resolve
go build -o "$tmp/rastro" ./cmd/rastro
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${sizes[@]}"; do
  "$tmp/bench-resolve" gen -n "$n" -out "$tmp/records.csv" >"$tmp/gen.json"
  /usr/bin/time -v "$tmp/rastro" resolve --in "$tmp/records.csv" --id id \
    --fields first_name,last_name,birth_date,phone,email,city --out "$tmp/clusters.csv" 2>"$tmp/time.txt"
  summary=$(grep -m1 'records,' "$tmp/time.txt")
  wall=$(grep 'Elapsed (wall clock)' "$tmp/time.txt" | awk '{print $NF}')
  user=$(grep 'User time' "$tmp/time.txt" | awk '{print $NF}')
  sys=$(grep 'System time' "$tmp/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$tmp/time.txt" | awk '{print $NF}')
  echo "## $n records: $(cat "$tmp/gen.json")"
  echo "   $summary"
  echo "   wall $wall  user ${user}s  sys ${sys}s  peak RSS $((rss / 1024)) MiB"
  echo "   quality $("$tmp/bench-resolve" eval -records "$tmp/records.csv" -clusters "$tmp/clusters.csv")"
done

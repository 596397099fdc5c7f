#!/usr/bin/env bash
# Communities on a million-edge LFR graph: generates it with
# bench/network/lfrgen (100,000 nodes, mu 0.3, average degree 20.6, degrees
# 7..100 with exponent 3, communities 20..200 with exponent 1.5, seed 42)
# into a temporary directory, then times Rastro's Leiden and igraph's
# community_leiden on it in one run, with NMI against the planted
# communities, and prints both with the ratio igraph/Rastro (> 1: Rastro
# faster).
# Usage: bash bench/network/run1m.sh [repeat]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
repeat="${1:-3}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/rastro-bench" ./bench/network
go run ./bench/network/lfrgen -n 100000 -mu 0.3 -avgdeg 20.6 -out "$tmp/lfr100k_mu0.3"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
args=(-edges "$tmp/lfr100k_mu0.3.edges" -truth "$tmp/lfr100k_mu0.3.truth" -name lfr100k -repeat "$repeat" -algos communities)
"$tmp/rastro-bench" "${args[@]}" | tee -a "$tmp/results.jsonl" >&2
/usr/bin/python3 bench/network/leiden.py --edges "$tmp/lfr100k_mu0.3.edges" --truth "$tmp/lfr100k_mu0.3.truth" \
  --name lfr100k --repeat "$repeat" | tee -a "$tmp/results.jsonl" >&2
/usr/bin/python3 bench/network/table.py "$tmp/results.jsonl"

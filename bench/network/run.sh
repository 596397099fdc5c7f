#!/usr/bin/env bash
# Times Rastro's network package and its peers (python3-igraph,
# python3-networkx, python3-graph-tool from Debian) on the same LFR graphs
# in one run, and prints the medians with the ratio peer/Rastro (> 1 means
# Rastro is faster).
# Usage: bash bench/network/run.sh [repeat]   (default 5; exact betweenness
# runs BC_REPEAT times, default 3; GRAPHS="lfr2k_mu0.3 lfr10k_mu0.3")
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${DATA:-../shared/data/networks}"
repeat="${1:-5}"
bc_repeat="${BC_REPEAT:-3}"
graphs="${GRAPHS:-lfr2k_mu0.3 lfr10k_mu0.3}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -d "$data" ]; then
  echo "reference data $data not found; set DATA" >&2
  exit 1
fi
go build -o "$tmp/rastro-bench" ./bench/network
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for g in $graphs; do
  name="${g%%_*}"
  args=(-edges "$data/$g.edges" -truth "$data/$g.truth" -name "$name" -repeat "$repeat" -bc-repeat "$bc_repeat")
  if [ -f "$data/$g.igraph_betweenness" ]; then
    args+=(-bc "$data/$g.igraph_betweenness")
  fi
  echo "## $name: rastro" >&2
  "$tmp/rastro-bench" "${args[@]}" | tee -a "$tmp/results.jsonl" >&2
  echo "## $name: peers" >&2
  /usr/bin/python3 bench/network/peers.py --edges "$data/$g.edges" --truth "$data/$g.truth" \
    --name "$name" --repeat "$repeat" --bc-repeat "$bc_repeat" | tee -a "$tmp/results.jsonl" >&2
done
/usr/bin/python3 bench/network/table.py "$tmp/results.jsonl"

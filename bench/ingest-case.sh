#!/usr/bin/env bash
# End-to-end ingest of a generated training case into SQLite (issue 5): wall
# time, MB/s and peak memory of storing the evidence (`rastro ingest`) and of
# parsing it (the evidence.parse jobs, worked by `rastro jobs run`), for one or
# more scenario sizes, so that "memory stays flat as input grows" can be
# judged from one table.
#
# Usage: bash bench/ingest-case.sh [SIZES] [SEED]
#   SIZES  comma-separated generator sizes (default large; e.g. small,medium,large)
#   SEED   generator seed (default 7)
#   TMPDIR where the data goes (default /tmp); needs about 3 × the case size
#
# Per size, in a fresh data dir and a fresh case:
#   1. `rastro gen --size S --seed N --out DIR` (truth.json is moved out so
#      only evidence is ingested);
#   2. store: `rastro ingest --data D --case ID --quiet DIR`, timed with
#      /usr/bin/time (wall, peak RSS, CPU), after dropping the page cache when
#      allowed (root). Intake queues one evidence.parse job per item;
#   3. parse: `rastro jobs run --data D` works the queue with its default 2
#      workers until it is empty and exits; timed with /usr/bin/time (wall,
#      peak RSS, user + system CPU). It prints one line per evidence item
#      (parsed N records / skipped: why / failed at WHERE: why), kept in the
#      script's output directory only while it runs.
#   MB/s is evidence bytes (10^6) over wall seconds of each phase; records/s
#   is the records stored over the parse phase's wall seconds and over its
#   CPU seconds (the second is what to compare on a shared machine).
#
# The machine is shared: the script prints `uptime`; quote the load average.
# Everything it creates is deleted at exit. Needs sqlite3 (apt-get install
# sqlite3).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-large}"
seed="${2:-7}"
command -v sqlite3 >/dev/null || { echo "ingest-case.sh: needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rastro-ingest-case.XXXXXX")
cleanup() {
  rm -rf "$tmp"
}
trap cleanup EXIT
bin="$tmp/rastro"

# build_rastro OUT: builds ./cmd/rastro from the working tree; when other
# work in progress keeps it from compiling, builds the last commit instead
# (git archive HEAD, read-only) and says so.
build_rastro() {
  echo "# building rastro from the working tree"
  if go build -o "$1" ./cmd/rastro 2>"$tmp/build.err"; then
    return
  fi
  echo "# working tree does not build ($(head -2 "$tmp/build.err" | tr '\n' ' ')); building $(git rev-parse --short HEAD) instead"
  mkdir "$tmp/src"
  git archive HEAD | tar -x -C "$tmp/src"
  (cd "$tmp/src" && go build -o "$1" ./cmd/rastro)
  rm -rf "$tmp/src"
}

drop_caches() {
  sync
  { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null && echo yes || echo no
}

q() { sqlite3 -cmd ".timeout 10000" "$1/rastro.db" "$2"; }

echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $(uptime)"
build_rastro "$bin"
results="$tmp/results.txt"
: > "$results"

for size in ${sizes//,/ }; do
  dir="$tmp/case-$size"
  data="$tmp/data-$size"
  echo "# $size: generating (seed $seed)"
  "$bin" gen --size "$size" --seed "$seed" --out "$dir" --quiet >/dev/null
  mv "$dir/truth.json" "$tmp/truth-$size.json"
  bytes=$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  nfiles=$(find "$dir" -type f | wc -l)

  "$bin" agency add --data "$data" --name "Bench agency" --country CR >/dev/null
  "$bin" user add --data "$data" --username bench --agency "Bench agency" --role admin --password 'bench-password-not-secret' >/dev/null
  id=$("$bin" case add --data "$data" --title "ingest bench $size" --jurisdiction CR --agency "Bench agency" --lead bench)

  echo "# $size: storing $nfiles files, $bytes bytes ($(uptime | sed 's/.*load/load/'))"
  cold=$(drop_caches)
  /usr/bin/time -f "%e %M %U %S" -o "$tmp/time.txt" "$bin" ingest --data "$data" --case "$id" --quiet "$dir" > "$tmp/ingest.out"
  read -r store_s store_kb store_u store_s2 < <(tail -1 "$tmp/time.txt")
  items=$(q "$data" "SELECT count(*) FROM evidence")
  njobs=$(q "$data" "SELECT count(*) FROM jobs")

  echo "# $size: parsing ($njobs jobs queued; $(uptime | sed 's/.*load/load/'))"
  /usr/bin/time -f "%e %M %U %S" -o "$tmp/time.txt" "$bin" jobs run --data "$data" --log-level warn > "$tmp/jobs-$size.out"
  read -r parse_s hwm parse_u parse_s2 < <(tail -1 "$tmp/time.txt")
  cpu=$(awk -v a="$parse_u" -v b="$parse_s2" 'BEGIN { print a + b }')
  pending=$(q "$data" "SELECT count(*) FROM jobs WHERE state IN ('queued','running')")
  grep -c ': failed' "$tmp/jobs-$size.out" | sed "s/^/# $size: files that failed to parse: /" || true
  states=$(q "$data" "SELECT group_concat(state || '=' || n, ',') FROM (SELECT state, count(*) n FROM jobs GROUP BY state)")
  records=$(q "$data" "SELECT count(*) FROM records")
  # Bytes of the items whose parse job finished, and of all items (members
  # of archives count on their own, so this can exceed the input's bytes).
  item_bytes=$(q "$data" "SELECT coalesce(sum(size), 0) FROM evidence")
  parsed_bytes=$(q "$data" "SELECT coalesce(sum(e.size), 0) FROM jobs j JOIN evidence e ON e.id = json_extract(j.payload, '\$.evidence_id') WHERE j.kind = 'evidence.parse' AND j.state = 'done'")
  echo "$size $bytes $nfiles $items $store_s $store_kb $(awk -v a="$store_u" -v b="$store_s2" 'BEGIN { print a + b }') $parse_s $hwm $cpu $njobs $pending $records $states $cold $item_bytes $parsed_bytes" >> "$results"
  rm -rf "$dir" "$data"
done

echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $(uptime)"
python3 - "$results" "$seed" <<'PY'
import sys
print(f"{'size':7} {'evidence':>10} {'files':>6} {'items':>6} | {'store s':>8} {'MB/s':>6} {'peak RSS':>9} {'CPU s':>6} | "
      f"{'parse s':>8} {'MB/s':>6} {'peak RSS':>9} {'CPU s':>7} {'records':>9} {'rec/s':>7} {'rec/CPU-s':>9}  jobs")
for line in open(sys.argv[1]):
    (size, b, nf, items, ss, skb, scpu, ps, hwm, pcpu, njobs, pending, records, states, cold, ib, pb) = line.split()
    mb = int(b) / 1e6
    print(f"{size:7} {mb:8.1f}MB {nf:>6} {items:>6} | {float(ss):8.1f} {mb/float(ss):6.1f} {int(skb)/1024:7.0f}MB {float(scpu):6.1f} | "
          f"{float(ps):8.1f} {mb/float(ps):6.1f} {int(hwm)/1024:7.0f}MB {float(pcpu):7.1f} {int(records):9,} "
          f"{int(records)/float(ps):7,.0f} {int(records)/max(float(pcpu), 0.01):9,.0f}  {states}")
print(f"(seed {sys.argv[2]}; store = rastro ingest, page cache dropped first: {cold}; parse = rastro jobs run, 2 workers, until the queue is empty)")
PY

"""A plain networkx baseline for Rastro's money detectors on AMLSim samples.

Reads transactions.csv (sourceNodeId,targetNodeId,value,time) into a
networkx MultiDiGraph and flags accounts with one of two plain rules:

- fan_in: an account that receives from at least --min-degree distinct
  senders over the whole run (AMLSim patterns span the run) is flagged with
  its senders; the focal account is the receiver.
- cycle: simple directed cycles of 3..--max-len hops found by depth-first
  search from every transfer, no amount rule; with --ordered each hop must
  be no earlier than the previous one (time-respecting), otherwise hop times
  are ignored (AMLSim's planted cycles are not time-ordered). Like Rastro,
  the search is bounded, but by --budget steps per start account (Rastro:
  20,000 per start transfer; pure Python cannot afford that), and an
  unordered cycle is only searched from its smallest account.

Scores flagged accounts against nodes.csv's isFraud and prints one JSON line
with the same fields as `go run ./bench/money`: precision, recall, and the
median wall and CPU time of load+detect over --repeat runs.

    /usr/bin/python3 bench/money/networkx_baseline.py --dir DATA/20K_fanin200 --kind fan_in
"""
import argparse
import bisect
import csv
import json
import os
import statistics
import time

import networkx as nx


def load(path):
    g = nx.MultiDiGraph()
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        for src, dst, value, step in r:
            g.add_edge(src, dst, value=float(value), t=int(step))
    return g


def fan_in(g, min_degree):
    flagged, focal = set(), set()
    for v in g.nodes:
        senders = {u for u in g.predecessors(v) if u != v}
        if len(senders) >= min_degree:
            focal.add(v)
            flagged.add(v)
            flagged.update(senders)
    return flagged, focal


def cycles(g, max_len, ordered, budget):
    # Per account, its outgoing transfers as (time, target), time-sorted.
    out = {v: sorted((d["t"], w) for _, w, d in g.out_edges(v, data=True) if w != v) for v in g.nodes}
    times = {v: [t for t, _ in out[v]] for v in out}
    flagged, focal = set(), set()
    for s in g.nodes:
        left = [budget]
        for t0, v0 in out[s]:
            if not ordered and v0 < s:
                continue
            path = [s, v0]

            def dfs(v, t):
                k = bisect.bisect_left(times[v], t) if ordered else 0
                for t1, w in out[v][k:]:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                    if w == s and len(path) >= 3:
                        flagged.update(path)
                        focal.add(s)
                    elif w not in path and len(path) < max_len and (ordered or w > s):
                        path.append(w)
                        dfs(w, t1)
                        path.pop()

            dfs(v0, t0)
    return flagged, focal


def fraud_accounts(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        return {row[0] for row in r if len(row) > 1 and row[1] == "1"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--kind", choices=["fan_in", "cycle"], required=True)
    ap.add_argument("--ordered", action="store_true")
    ap.add_argument("--min-degree", type=int, default=12)
    ap.add_argument("--max-len", type=int, default=6)
    ap.add_argument("--budget", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    fraud = fraud_accounts(os.path.join(a.dir, "nodes.csv"))
    walls, cpus = [], []
    for _ in range(max(a.repeat, 1)):
        t0, c0 = time.perf_counter(), time.process_time()
        g = load(os.path.join(a.dir, "transactions.csv"))
        if a.kind == "fan_in":
            flagged, focal = fan_in(g, a.min_degree)
        else:
            flagged, focal = cycles(g, a.max_len, a.ordered, a.budget)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    hits, fhits = len(flagged & fraud), len(focal & fraud)
    pattern = a.kind + (" (time-ordered)" if a.ordered else "")
    print(json.dumps({
        "tool": "networkx", "dataset": os.path.basename(os.path.normpath(a.dir)), "pattern": pattern,
        "flagged": len(flagged), "fraud": len(fraud), "hits": hits,
        "precision": hits / len(flagged) if flagged else 0, "recall": hits / max(len(fraud), 1),
        "focal_flagged": len(focal), "focal_hits": fhits, "focal_precision": fhits / len(focal) if focal else 0,
        "median_s": statistics.median(walls), "cpu_s": statistics.median(cpus), "runs": len(walls),
        "networkx": nx.__version__,
    }))


if __name__ == "__main__":
    main()

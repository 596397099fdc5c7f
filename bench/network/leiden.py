"""Times igraph's community_leiden (modularity, as in peers.py) on one edge
list and prints one JSON line in the shape of the Go program's, with the
NMI against the planted communities. Run by run1m.sh."""
import argparse
import json
import statistics
import time

import igraph as ig


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--edges", required=True)
    p.add_argument("--truth", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    g = ig.Graph.Read_Edgelist(args.edges, directed=False)
    truth = {}
    with open(args.truth) as f:
        for line in f:
            a, b = line.split()
            truth[int(a)] = int(b)
    planted = [truth[i] for i in range(g.vcount())]
    times, cpus, note = [], [], ""
    for seed in range(1, args.repeat + 1):
        ig.set_random_number_generator(__import__("random").Random(seed))
        start, cpu = time.perf_counter(), time.process_time()
        c = g.community_leiden(objective_function="modularity", n_iterations=2)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        note = "leiden: %d comms, Q=%.4f, NMI=%.4f" % (
            len(c), g.modularity(c.membership), ig.compare_communities(c.membership, planted, method="nmi"))
    print(json.dumps({"tool": "igraph", "graph": args.name, "algo": "communities",
                      "median_s": statistics.median(times), "cpu_s": statistics.median(cpus),
                      "runs": args.repeat, "note": note + " [%d runs]" % args.repeat}), flush=True)


if __name__ == "__main__":
    main()

"""Times igraph, networkx and graph-tool (Debian packages) on one edge list.

Prints one JSON line per tool and algorithm with the median wall time, in
the same shape as the Go program beside it. Run by run.sh.
"""
import argparse
import json
import statistics
import time


def timed(runs, fn):
    """Returns (median wall s, median CPU s of all threads, last note)."""
    times, cpus, note = [], [], ""
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        note = fn()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(times), statistics.median(cpus), "%s[%d runs]" % (note + " " if note else "", runs)


def load_truth(path):
    if not path:
        return None
    out = {}
    with open(path) as f:
        for line in f:
            a, b = line.split()
            out[int(a)] = int(b)
    return out


def nmi(memb, truth, n):
    import igraph as ig
    return ig.compare_communities(memb, [truth[i] for i in range(n)], method="nmi")


def bench_igraph(args, truth, emit):
    import igraph as ig
    g = ig.Graph.Read_Edgelist(args.edges, directed=False)
    n = g.vcount()
    emit("igraph", "components", *timed(args.repeat, lambda: "%d components" % len(g.connected_components())))
    emit("igraph", "pagerank", *timed(args.repeat, lambda: g.pagerank() and ""))

    def leiden():
        c = g.community_leiden(objective_function="modularity", n_iterations=2)
        note = "leiden: %d comms, Q=%.4f" % (len(c), g.modularity(c.membership))
        return note + (", NMI=%.4f" % nmi(c.membership, truth, n) if truth else "")
    emit("igraph", "communities", *timed(args.repeat, leiden))

    def louvain():
        c = g.community_multilevel()
        note = "louvain: %d comms, Q=%.4f" % (len(c), g.modularity(c.membership))
        return note + (", NMI=%.4f" % nmi(c.membership, truth, n) if truth else "")
    emit("igraph", "communities (louvain)", *timed(args.repeat, louvain))
    emit("igraph", "betweenness", *timed(args.bc_repeat, lambda: g.betweenness() and ""))


def bench_networkx(args, truth, emit):
    import networkx as nx
    G = nx.read_edgelist(args.edges, nodetype=int)
    n = G.number_of_nodes()
    emit("networkx", "components", *timed(args.repeat, lambda: "%d components" % len(list(nx.connected_components(G)))))
    emit("networkx", "pagerank", *timed(args.repeat, lambda: nx.pagerank(G) and ""))

    def louvain():
        comms = nx.community.louvain_communities(G, seed=1)
        memb = [0] * n
        for i, c in enumerate(comms):
            for v in c:
                memb[v] = i
        note = "louvain: %d comms, Q=%.4f" % (len(comms), nx.community.modularity(G, comms))
        return note + (", NMI=%.4f" % nmi(memb, truth, n) if truth else "")
    emit("networkx", "communities", *timed(args.repeat, louvain))
    if n <= args.nx_bc_max_nodes:
        emit("networkx", "betweenness", *timed(1, lambda: nx.betweenness_centrality(G, normalized=False) and "pure Python"))
    else:
        emit("networkx", "betweenness", None, "skipped: pure Python, tens of minutes at this size")


def bench_graph_tool(args, truth, emit):
    import graph_tool.all as gt
    edges = [tuple(map(int, line.split()[:2])) for line in open(args.edges) if line.strip()]
    g = gt.Graph(directed=False)
    g.add_edge_list(edges)
    emit("graph-tool", "components", *timed(args.repeat, lambda: "%d components" % len(set(gt.label_components(g)[0].a))))
    emit("graph-tool", "pagerank", *timed(args.repeat, lambda: gt.pagerank(g) and ""))
    emit("graph-tool", "communities", None, "n/a: no Leiden/Louvain (SBM inference only)")
    emit("graph-tool", "betweenness", *timed(args.bc_repeat, lambda: gt.betweenness(g, norm=False) and ""))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--edges", required=True)
    p.add_argument("--truth")
    p.add_argument("--name", required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--bc-repeat", type=int, default=3)
    p.add_argument("--nx-bc-max-nodes", type=int, default=2000)
    p.add_argument("--tools", default="igraph,networkx,graph-tool")
    args = p.parse_args()
    truth = load_truth(args.truth)

    def emit(tool, algo, median, cpu, note=None):
        if note is None:  # emit(tool, algo, None, "why skipped")
            cpu, note = None, cpu
        print(json.dumps({"tool": tool, "graph": args.name, "algo": algo, "median_s": median,
                          "cpu_s": cpu, "runs": args.repeat, "note": note}), flush=True)

    benches = {"igraph": bench_igraph, "networkx": bench_networkx, "graph-tool": bench_graph_tool}
    for tool in args.tools.split(","):
        try:
            benches[tool](args, truth, emit)
        except ImportError as e:
            emit(tool, "all", None, "not installed: %s" % e)


if __name__ == "__main__":
    main()

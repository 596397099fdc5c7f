"""Prints run.sh's results as a Markdown table: medians and peer/Rastro."""
import json
import sys

PEERS = ["igraph", "networkx", "graph-tool"]


def fmt(s):
    if s is None:
        return "—"
    return "%.3f s" % s if s >= 0.01 else "%.2f ms" % (s * 1000)


def main(path):
    for key, title in (("median_s", "Wall time (median)"), ("cpu_s", "CPU time, all threads (median)")):
        print("### " + title)
        print()
        table(path, key)
        print()
    notes = []
    for line in open(path):
        r = json.loads(line)
        if r["note"]:
            notes.append("%s %s %s: %s" % (r["graph"], r["tool"], r["algo"], r["note"]))
    for n in notes:
        print("- " + n)


def table(path, key):
    rows = {}
    for line in open(path):
        r = json.loads(line)
        algo = r["algo"].split(" (")[0]
        rows.setdefault((r["graph"], algo), {})[r["tool"] + r["algo"][len(algo):]] = r
    cols = ["rastro"] + PEERS + ["igraph (louvain)"]
    print("| graph | algorithm | " + " | ".join(cols[:1] + ["%s (ratio)" % c for c in cols[1:]]) + " |")
    print("|" + "---|" * (len(cols) + 2))
    for (graph, algo), by in rows.items():
        base = by.get("rastro", {}).get(key)
        cells = [fmt(base)]
        for c in cols[1:]:
            m = by.get(c, {}).get(key)
            if m is None:
                cells.append("—")
            elif base:
                cells.append("%s (%.1f×)" % (fmt(m), m / base))
            else:
                cells.append(fmt(m))
        print("| %s | %s | %s |" % (graph, algo, " | ".join(cells)))


if __name__ == "__main__":
    main(sys.argv[1])

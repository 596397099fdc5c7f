"""Prints bench/money/run.sh's results as Markdown tables."""
import json
import sys


def main(path):
    rows, e2e = {}, {}
    for line in open(path):
        r = json.loads(line)
        key = (r["dataset"], r["pattern"])
        if "hyperfine" in r:
            e2e.setdefault(key, {})[r["hyperfine"]] = r["median_s"]
        else:
            rows.setdefault(key, {})[r["tool"]] = r
    print("### Quality: flagged accounts against AMLSim isFraud")
    print()
    print("| sample | pattern | tool | flagged | precision | recall | focal flagged | focal precision |")
    print("|---|---|---|---|---|---|---|---|")
    for (ds, pat), by in rows.items():
        for tool in ("rastro", "networkx"):
            r = by.get(tool)
            if r:
                print("| %s | %s | %s | %d | %.3f | %.3f | %d | %.3f |" % (
                    ds, pat, tool, r["flagged"], r["precision"], r["recall"], r["focal_flagged"], r["focal_precision"]))
    print()
    print("### Speed: load + detect, median of %s runs" % next(iter(next(iter(rows.values())).values()))["runs"])
    print()
    print("| sample | pattern | rastro wall | rastro CPU | networkx wall | networkx CPU | CPU ratio networkx/rastro | end-to-end rastro | end-to-end networkx |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (ds, pat), by in rows.items():
        ra, nx = by.get("rastro"), by.get("networkx")
        if not (ra and nx):
            continue
        hf = e2e.get((ds, pat), {})
        print("| %s | %s | %.3f s | %.3f s | %.3f s | %.3f s | %.1f× | %s | %s |" % (
            ds, pat, ra["median_s"], ra["cpu_s"], nx["median_s"], nx["cpu_s"], nx["cpu_s"] / max(ra["cpu_s"], 1e-9),
            fmt(hf.get("rastro")), fmt(hf.get("networkx"))))


def fmt(s):
    return "—" if s is None else "%.3f s" % s


if __name__ == "__main__":
    main(sys.argv[1])

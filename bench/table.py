"""Turns the JSON lines of bench/compare.sh into the markdown tables of docs/benchmarks.md.

With several rounds (ROUNDS=n), each cell is the median of the rounds, and a row per headline
measure gives every round's figure and its ratio (the k-th run of ours against the k-th of the
other server, which ran right after it)."""
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
circuits = [r for r in rows if r["scenario"] == "circuits"]
rows = [r for r in rows if r["scenario"] != "circuits"]
runs = {}
for r in rows:
    runs.setdefault((r["scenario"], r["target"]), []).append(r)


def fmt(value, unit=""):
    if value is None:
        return "n/a"
    if isinstance(value, float) and value >= 100 or isinstance(value, int):
        return f"{value:,.0f}{unit}"
    return f"{value:,.2f}{unit}"


def ratio(a, b):
    return "n/a" if a is None or b in (None, 0) else f"{a / b:.2f}x"


def median(values):
    present = [v for v in values if v is not None]
    if not present:
        return None
    middle = statistics.median(present)
    return round(middle) if all(isinstance(v, int) for v in present) else middle


columns = [
    ("readings/s", "readingsPerSecond", ""),
    ("ingest p50 ms", "ingestP50Ms", ""),
    ("ingest p99 ms", "ingestP99Ms", ""),
    ("e2e p50 ms", "e2eP50Ms", ""),
    ("e2e p99 ms", "e2eP99Ms", ""),
    ("e2e max ms", "e2eMaxMs", ""),
    ("never seen (coalesced away or lost)", "missed", ""),
    ("connect all ms", "connectMs", ""),
    ("kB per idle subscriber", "bytesPerSubscriber", ""),
    ("server CPU", "serverCpu", ""),
]
# What each round is listed for, when there are several.
headline = {"readingsPerSecond", "e2eP99Ms", "connectMs", "bytesPerSubscriber"}
subscriberOnly = {"e2eP50Ms", "e2eP99Ms", "e2eMaxMs", "missed", "connectMs", "bytesPerSubscriber"}


def value(run, key):
    v = run.get(key)
    if key == "bytesPerSubscriber":
        return None if v is None or run["subscribers"] == 0 else v / 1024
    return v


for scenario in dict.fromkeys(r["scenario"] for r in rows):
    targets = [t for t in ("ours", "nchan", "original") if (scenario, t) in runs]
    first = runs[(scenario, targets[0])][0]
    rounds = max(len(runs[(scenario, t)]) for t in targets)
    print(f"\n### {scenario}: {first['subscribers']} subscribers, "
          f"{'as fast as possible' if not first['rate'] else str(first['rate']) + ' readings/s'}"
          f"{f' ({rounds} rounds: medians, then each round)' if rounds > 1 else ''}\n")
    header = ["measure"] + targets + [f"ours / {t}" for t in targets if t != "ours" and "ours" in targets]
    print("| " + " | ".join(header) + " |")
    print("| --- " + "| ---: " * (len(header) - 1) + "|")
    for title, key, unit in columns:
        if key in subscriberOnly and first["subscribers"] == 0:
            continue
        each = [[value(run, key) for run in runs[(scenario, t)]] for t in targets]
        if all(v is None for values in each for v in values):
            continue
        medians = [median(values) for values in each]
        cells = [fmt(v, unit) for v in medians]
        if "ours" in targets:
            ours = each[targets.index("ours")]
            cells += [ratio(median(ours), medians[i]) for i, t in enumerate(targets) if t != "ours"]
        print(f"| {title} | " + " | ".join(cells) + " |")
        if rounds > 1 and key in headline:
            cells = ["; ".join(fmt(v, unit) for v in values) for values in each]
            if "ours" in targets:
                ours = each[targets.index("ours")]
                cells += ["; ".join(ratio(a, b) for a, b in zip(ours, each[i])) for i, t in enumerate(targets) if t != "ours"]
            print(f"| {title}, each round | " + " | ".join(cells) + " |")

for c in circuits:
    print(f"\n### circuits: {c['measuredCircuits']} dashboards over the Blazor hub, one live chart each, 1 reading/s\n")
    print("| measure | ours |")
    print("| --- | ---: |")
    print(f"| server memory per circuit | {c['bytesPerCircuit'] / 1024:,.0f} kB |")
    print(f"| chart updates received / expected | {c['updates']:,} / {c['expectedUpdates']:,} |")
    print(f"| update latency p50 / p99 / max | {c['updateP50Ms']} / {c['updateP99Ms']} / {c['updateMaxMs']} ms |")
    print(f"| server CPU / bench CPU (cores) | {c['serverCpu']} / {c['benchCpu']} |")

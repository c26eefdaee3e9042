"""Turns the JSON lines of bench/compare.sh into the markdown tables of docs/benchmarks.md."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
circuits = [r for r in rows if r["scenario"] == "circuits"]
rows = [r for r in rows if r["scenario"] != "circuits"]
by = {(r["scenario"], r["target"]): r for r in rows}


def fmt(value, unit=""):
    if value is None:
        return "n/a"
    if isinstance(value, float) and value >= 100 or isinstance(value, int):
        return f"{value:,.0f}{unit}"
    return f"{value:,.2f}{unit}"


def ratio(a, b):
    return "n/a" if a is None or b in (None, 0) else f"{a / b:.2f}x"


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
for scenario in dict.fromkeys(r["scenario"] for r in rows):
    targets = [t for t in ("ours", "nchan", "original") if (scenario, t) in by]
    first = by[(scenario, targets[0])]
    print(f"\n### {scenario}: {first['subscribers']} subscribers, "
          f"{'as fast as possible' if not first['rate'] else str(first['rate']) + ' readings/s'}\n")
    header = ["measure"] + targets + [f"ours / {t}" for t in targets if t != "ours" and "ours" in targets]
    print("| " + " | ".join(header) + " |")
    print("| --- " + "| ---: " * (len(header) - 1) + "|")
    for title, key, unit in columns:
        values = [by[(scenario, t)].get(key) for t in targets]
        if key in ("e2eP50Ms", "e2eP99Ms", "e2eMaxMs", "missed", "connectMs", "bytesPerSubscriber") and first["subscribers"] == 0:
            continue
        if key == "bytesPerSubscriber":
            values = [None if v is None or by[(scenario, t)]["subscribers"] == 0 else v / 1024 for v, t in zip(values, targets)]
        if all(v is None for v in values):
            continue
        cells = [fmt(v, unit) for v in values]
        if "ours" in targets:
            ours = values[targets.index("ours")]
            cells += [ratio(ours, values[i]) for i, t in enumerate(targets) if t != "ours"]
        print(f"| {title} | " + " | ".join(cells) + " |")

for c in circuits:
    print(f"\n### circuits: {c['measuredCircuits']} dashboards over the Blazor hub, one live chart each, 1 reading/s\n")
    print("| measure | ours |")
    print("| --- | ---: |")
    print(f"| server memory per circuit | {c['bytesPerCircuit'] / 1024:,.0f} kB |")
    print(f"| chart updates received / expected | {c['updates']:,} / {c['expectedUpdates']:,} |")
    print(f"| update latency p50 / p99 / max | {c['updateP50Ms']} / {c['updateP99Ms']} / {c['updateMaxMs']} ms |")
    print(f"| server CPU / bench CPU (cores) | {c['serverCpu']} / {c['benchCpu']} |")

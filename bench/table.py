"""Turns the JSON lines of bench/compare.sh into the markdown tables of docs/benchmarks.md.

Each scenario gets a column per target (ours, its A/B variants, the baseline commit, nginx + nchan,
the original) and a ratio column "ours / X" for every other target. With several rounds
(ROUNDS=n), each cell is the median of the rounds, and a row per headline measure gives every
round's figure and its ratio (the k-th run of ours against the k-th of the other target, which ran
right after it). Every throughput row comes with its count of 2xx answers and of the others, the
CPU of the server and of the load generator, and whether the generator, not the server, was the
limit (the rule is printed under the tables)."""
import json
import re
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
runs = {}
for r in rows:
    runs.setdefault((r["scenario"], r["target"]), []).append(r)

ORDER = ["ours", "ours-defaults", "ours-gen0-64m"]
TAIL = ["nchan", "mosquitto", "original"]


def ordered(targets):
    targets = list(dict.fromkeys(targets))
    # Numbers in names in their order: ours-batch-5000 before ours-batch-20000.
    middle = sorted((t for t in targets if t not in ORDER and t not in TAIL),
                    key=lambda t: [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", t)])
    return [t for t in ORDER if t in targets] + middle + [t for t in TAIL if t in targets]


def fmt(value):
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value >= 100 or isinstance(value, int):
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def ratio(a, b):
    if any(isinstance(v, (bool, str)) for v in (a, b)):
        return ""
    return "n/a" if a is None or b in (None, 0) else f"{a / b:.2f}x"


def median(values):
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, bool) for v in present):
        bound = sum(present)
        return bool(bound) if len(present) == 1 else f"{'yes' if bound else 'no'} ({bound}/{len(present)})"
    if all(isinstance(v, str) for v in present):
        return "; ".join(dict.fromkeys(present))
    middle = statistics.median(present)
    return round(middle) if all(isinstance(v, int) for v in present) else middle


def generator_cpu(run):
    cpu = run.get("generatorCpu", run.get("benchCpu"))
    return None if cpu is None else float(cpu)


def generator_bound(run):
    if "generatorBound" in run:
        return run["generatorBound"]
    cpu = generator_cpu(run)
    return None if cpu is None else cpu >= 0.9


def load(run):
    if run.get("generator") == "wrk":
        return f"wrk -t{run['threads']} -c{run['connections']} {run['script']}.lua"
    if run.get("ingest") == "mqtt":
        return f"bench, {run['connections']} MQTT publishers, QoS {run['qos']}"
    return f"bench, {run['connections']} conn."


def statuses(run):
    codes = run.get("statuses")
    return None if codes is None else ", ".join(f"{code}: {count:,}" for code, count in sorted(codes.items())) or "none"


def kb_per_subscriber(run):
    v = run.get("bytesPerSubscriber")
    return None if v is None or run["subscribers"] == 0 else v / 1024


def key(name):
    return lambda run: run.get(name)


def real(name):
    """A measure with decimals (milliseconds, cores), though JSON may hold 1.0 as 1."""
    return lambda run: None if run.get(name) is None else float(run[name])


# (title, value of a run, ratio shown, listed per round, only with subscribers)
columns = [
    ("load", load, False, False, False),
    ("requests/s", key("requestsPerSecond"), True, True, False),
    ("readings/s (2xx only)", key("readingsPerSecond"), True, True, False),
    ("readings stored/s (read back)", key("storedPerSecond"), False, True, False),
    ("answers 2xx", key("ok2xx"), False, False, False),
    ("answers not 2xx", key("non2xx"), False, True, False),
    ("answers by status", statuses, False, False, False),
    ("connection errors", key("socketErrors"), False, False, False),
    ("ingest p50 ms", real("ingestP50Ms"), True, False, False),
    ("ingest p99 ms", real("ingestP99Ms"), True, False, False),
    ("e2e p50 ms", real("e2eP50Ms"), True, False, True),
    ("e2e p99 ms", real("e2eP99Ms"), True, True, True),
    ("e2e max ms", real("e2eMaxMs"), True, False, True),
    ("never seen (coalesced away or lost)", key("missed"), True, False, True),
    ("connect all ms", key("connectMs"), True, True, True),
    ("kB per idle subscriber", kb_per_subscriber, True, True, True),
    ("server CPU (cores)", real("serverCpu"), True, False, False),
    ("generator CPU (cores)", generator_cpu, True, False, False),
    ("generator-bound", generator_bound, False, True, False),
    ("other processes' CPU (cores)", real("otherCpu"), False, False, False),
]

circuit_columns = [
    ("dashboards measured", key("measuredCircuits"), False, False, False),
    ("failed", key("failed"), False, False, False),
    ("all circuits opened in s", real("startSeconds"), True, True, False),
    ("server memory per circuit kB", lambda c: None if c.get("bytesPerCircuit") is None else c["bytesPerCircuit"] / 1024, True, True, False),
    ("chart updates received", key("updates"), True, False, False),
    ("chart updates expected", key("expectedUpdates"), False, False, False),
    ("update latency p50 ms", real("updateP50Ms"), True, False, False),
    ("update latency p99 ms", real("updateP99Ms"), True, True, False),
    ("update latency max ms", real("updateMaxMs"), True, False, False),
    ("server CPU (cores)", real("serverCpu"), True, False, False),
    ("bench CPU (cores)", generator_cpu, True, False, False),
    ("generator-bound", generator_bound, False, True, False),
]

import_columns = [
    ("file", lambda r: f"{r['rows']:,} rows, {r['fileMb']:g} MB", False, False, False),
    ("rows per batch (Import:BatchRows)", key("batchRows"), False, False, False),
    ("rows stored", key("stored"), False, False, False),
    ("rows/s", key("rowsPerSecond"), True, True, False),
    ("seconds, first byte to answer", real("seconds"), True, False, False),
    ("server RSS before MB", real("rssBeforeMb"), False, False, False),
    ("server peak RSS MB", real("peakRssMb"), True, True, False),
    ("server CPU (cores)", real("serverCpu"), True, False, False),
    ("generator CPU (cores)", generator_cpu, True, False, False),
    ("generator-bound", generator_bound, False, True, False),
    ("other processes' CPU (cores)", real("otherCpu"), False, False, False),
]


def table(scenario, title, cols, with_subscribers=True):
    targets = ordered(t for s, t in runs if s == scenario)
    rounds = max(len(runs[(scenario, t)]) for t in targets)
    print(f"\n### {scenario}: {title}{f' ({rounds} rounds: medians, then each round)' if rounds > 1 else ''}\n")
    others = [t for t in targets if t != "ours"] if "ours" in targets else []
    header = ["measure"] + targets + [f"ours / {t}" for t in others]
    print("| " + " | ".join(header) + " |")
    print("| --- " + "| ---: " * (len(header) - 1) + "|")
    for name, get, ratios, per_round, subscriber_only in cols:
        if subscriber_only and not with_subscribers:
            continue
        each = [[get(run) for run in runs[(scenario, t)]] for t in targets]
        if all(v is None for values in each for v in values):
            continue
        medians = [median(values) for values in each]
        cells = [fmt(v) for v in medians]
        ours = each[targets.index("ours")] if "ours" in targets else None
        if ours is not None:
            cells += [ratio(median(ours), medians[targets.index(t)]) if ratios else "" for t in others]
        print(f"| {name} | " + " | ".join(cells) + " |")
        if rounds > 1 and per_round:
            cells = ["; ".join(fmt(v) for v in values) for values in each]
            if ours is not None:
                cells += ["; ".join(ratio(a, b) for a, b in zip(ours, each[targets.index(t)])) if ratios else "" for t in others]
            print(f"| {name}, each round | " + " | ".join(cells) + " |")


for scenario in dict.fromkeys(r["scenario"] for r in rows):
    first = next(r for r in rows if r["scenario"] == scenario)
    if scenario == "circuits":
        table(scenario, f"{first['measuredCircuits']:,} dashboards over the Blazor hub, one live chart each, 1 reading/s", circuit_columns)
        continue
    if scenario.startswith("import"):
        store = "PostgreSQL" if scenario.endswith("postgres") else "SQLite"
        table(scenario, f"a {first['rows']:,}-row CSV file imported into {store}, every batch durable", import_columns)
        continue
    speed = "as fast as possible" if not first["rate"] else f"{first['rate']:g} readings/s"
    batch = f", {first['batch']:,} readings per request" if first.get("batch", 1) > 1 else ""
    mqtt = f", MQTT QoS {first['qos']} from {first['connections']:,} publishers" if first.get("ingest") == "mqtt" else ""
    table(scenario, f"{first['subscribers']:,} subscribers, {speed}{batch}{mqtt}", columns, first["subscribers"] > 0)

if any(r["scenario"] == "batch" and r["target"] == "nchan" for r in rows):
    print("\nbatch: nchan gets the same body and keeps it as one message (nothing parsed, nothing durable); "
          "its readings/s is the body's readings times its 2xx answers, for scale only.")
knobs = {r["target"]: r["knobs"] for r in rows if "knobs" in r}
if knobs:
    print("\nRuntime knobs (environment) of each .NET target: "
          + "; ".join(f"{t}: {k or 'none (the project defaults: server GC)'}" for t, k in knobs.items() if t not in TAIL) + ".")
print("\nGenerator-bound (the figure is the load generator's limit, a lower bound of the server's): "
      "for wrk rows, wrk used 0.9 core or more, or the server used under 1.5 cores (under 0.9 for the "
      "original, one Python thread) while server and wrk together used 90% of the machine's cores; "
      "for BlazorIot.Bench rows (fan-out, circuits, import), the bench used 0.9 core or more. "
      "CPU is user + system time from /proc over the measured run, in cores; \"other processes' CPU\" is "
      "what the rest of the machine took meanwhile (anything much above 0.1 core disturbed the row). "
      "readings/s counts only readings of 2xx answers; \"answers not 2xx\" are other statuses and "
      "\"connection errors\" are wrk's connect/read/write errors and timeouts (or the bench's failed connections). "
      "For MQTT rows a 2xx answer is a PUBACK with reason code success (or mosquitto's \"no matching subscribers\") "
      "at QoS 1, and a message written at QoS 0, where nothing comes back; \"readings stored/s\" is what the "
      "server's store holds afterwards, read back over HTTP.")

#!/usr/bin/env bash
# Runs the same load against BlazorIot, nginx + nchan and the original Bottle + gevent server, one
# server at a time on this machine, and prints the table of docs/benchmarks.md (ratios in one run).
# Needs (Debian): apt-get install -y wrk nginx libnginx-mod-nchan python3-bottle python3-gevent git
#   and the .NET 10 SDK. Throughput (ingest, ingest256, batch) is wrk's, with the Lua scripts of
#   bench/wrk/ (2xx and other statuses counted per thread); fan-out (fan1000, fan10k, flood) and
#   circuits are BlazorIot.Bench's, which follows every reading to every subscriber.
#   mqtt and fanmqtt drive MQTT with BlazorIot.Bench's MQTTnet publishers (one message in flight
#   each, as a device publishes): ours' embedded broker against Debian's mosquitto alone (no storage).
#   import streams a generated CSV file of IMPORT_ROWS (default 1,000,000) rows to POST /api/sensors/{id}/import
#   with BlazorIot.Bench (rows/s from the first byte to the answer, the server's peak RSS): on SQLite, then on
#   PostgreSQL when PG (default: .ci/run's test role on 127.0.0.1) is reachable, each in a fresh database.
# Usage: bench/compare.sh [scenario ...]   (default: all of ingest ingest256 batch fan1000 fan10k flood circuits mqtt fanmqtt import)
# REFERENCE=dir holding the original server.py (default: ../shared/reference beside this repository)
# RESULTS=file for the JSON lines (default: bench/results.jsonl)
# ROUNDS=n runs each scenario's targets n times in turn (default 1); the table then shows the
#   median and each round's figures and ratios, since one run on two cores can be far off.
# BASELINE=commit (default 1942c92, empty for none): ingest and ingest256 also run that commit's
#   BlazorIot.Server (built once in a temporary git worktree, removed on exit) as target
#   "fastpath-<commit>", started exactly as ours is.
# AB=1 (default; 0 for none): ingest256, fan1000 and circuits also run "ours-defaults", ours without
#   any runtime knob, and circuits "ours-gen0-64m", ours' knobs plus a 64 MB gen0 budget; import also
#   runs "ours-batch-N" with Import:BatchRows 5,000, 20,000 and 50,000 against the default 10,000:
#   a tuning knob stays only with a same-run A/B in this table.
# MQTT_CASES (default "1:1 1:64 0:1 0:64"): the mqtt scenario's QoS:publishers cases.
# WRK_THREADS (default 2), DURATION (wrk seconds, default 10), WARMUP (unmeasured wrk seconds before
#   each measured run, default 3), BATCH (readings per batch request, default 1000),
#   BATCH_CONNECTIONS (default 64).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
reference=${REFERENCE:-$root/../shared/reference}
[ -f "$reference/server.py" ] || { echo "No original server at $reference/server.py: set REFERENCE." >&2; exit 2; }
[ -f /usr/lib/nginx/modules/ngx_nchan_module.so ] || { echo "nginx with nchan is missing: apt-get install -y nginx libnginx-mod-nchan" >&2; exit 2; }
/usr/bin/python3 -c "import bottle, gevent" 2>/dev/null || { echo "The original server needs: apt-get install -y python3-bottle python3-gevent" >&2; exit 2; }
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
work=$(mktemp -d /tmp/blazoriot-compare.XXXXXX)
results=${RESULTS:-$root/bench/results.jsonl}
ours_port=5055 nchan_port=5056 original_port=8080 mqtt_port=5057 mosquitto_port=5058
baseline=${BASELINE-1942c92}
ab=${AB:-1}
wrk_threads=${WRK_THREADS:-2} duration=${DURATION:-10} warmup=${WARMUP:-3}
batch=${BATCH:-1000} batch_connections=${BATCH_CONNECTIONS:-64}
clock_ticks=$(getconf CLK_TCK)
: > "$results"
ulimit -n 20000 || true
scenarios=${*:-ingest ingest256 batch fan1000 fan10k flood circuits mqtt fanmqtt import}
pg=${PG:-Host=127.0.0.1;Port=5432;Username=blazoriot;Password=blazoriot}
pg_admin=$(/usr/bin/python3 - "$pg" <<'PY'
import sys
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if p)
print(f"postgresql://{parts.get('Username')}:{parts.get('Password')}@{parts.get('Host')}:{parts.get('Port', '5432')}/postgres")
PY
)
# The import's PostgreSQL databases, one a run (a dropped one may still be held a moment by autovacuum).
pg_databases=""
# Settings of the next server started (an import's batch size and store), on top of the common ones.
server_args=()

# The runtime knobs of each .NET target; every other DOTNET_/COMPlus_ runtime setting of the caller's
# environment is removed, so a row's knobs are exactly these.
knobs_ours="DOTNET_gcServer=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION=1024"
knobs_defaults=""
knobs_gen0="$knobs_ours DOTNET_GCgen0size=0x4000000"
unset_knobs=()
for name in $(compgen -e | grep -E '^(DOTNET_|COMPlus_)' | grep -vE '^DOTNET_(ROOT|CLI_|NOLOGO|GENERATE_ASPNET_CERTIFICATE)' || true); do
  unset_knobs+=(-u "$name")
done

# bench ARGS...: runs BlazorIot.Bench, shows its table, keeps its JSON line with the target's name and knobs.
bench() {
  local target=$1; shift
  local out status=0
  out=$(dotnet "$root/BlazorIot.Bench/bin/Release/net10.0/BlazorIot.Bench.dll" "$@") || status=$?
  echo "$out" >&2
  # hub-circuits exits 1 when a circuit failed: its figures (with the failures) still go in the table.
  [[ $(echo "$out" | tail -n 1) == "{"* ]] || { echo "BlazorIot.Bench failed ($status) with no figures" >&2; exit 1; }
  echo "$out" | tail -n 1 | TARGET=$target KNOBS=$(knobs_of "$target") /usr/bin/python3 -c '
import json, os, sys
row = json.loads(sys.stdin.read())
row["target"] = os.environ["TARGET"]
row["knobs"] = os.environ["KNOBS"]
print(json.dumps(row))' >> "$results"
}

knobs_of() {
  case $1 in
    ours|ours-batch*|fastpath-*) echo "$knobs_ours";;
    ours-defaults) echo "$knobs_defaults";;
    ours-gen0-64m) echo "$knobs_gen0";;
    *) echo "";;
  esac
}
port_of() { case $1 in nchan) echo $nchan_port;; original) echo $original_port;; *) echo $ours_port;; esac; }
# How many cores the server can use at most: the original is one process, one thread of Python.
cores_of() { case $1 in original) echo 1;; *) nproc;; esac; }

server_pids=""
# start_dotnet TARGET DLL: ours (or the baseline) with the target's knobs and nothing else.
start_dotnet() {
  local target=$1 dll=$2
  rm -rf "$work/$target" && mkdir -p "$work/$target"
  # shellcheck disable=SC2046 # the knobs are words of NAME=value
  env "${unset_knobs[@]}" $(knobs_of "$target") \
  dotnet "$dll" --urls "http://127.0.0.1:$ours_port" --Mqtt:Port=$mqtt_port \
    --Demo:Enabled=false --Storage:SqlitePath="$work/$target/bench.db" --Logging:LogLevel:Default=Warning \
    --Ingest:RequestsPerSecond=1000000 --Ingest:Burst=1000000 --Ingest:MaxBatch=10000 --Ingest:MaxBodyBytes=8388608 \
    --Streaming:MaxSubscribers=20000 "${server_args[@]}" > "$work/$target/log" 2>&1 &
  own_pid=$! server_pids=$!
  wait_port $ours_port
}
start_nchan() {
  rm -rf "$work/nchan" && mkdir -p "$work/nchan"
  # Bodies (a batch is ~30 kB) stay in memory instead of going through a temporary file.
  sed -e "s#@DIR@#$work/nchan#g" -e "s#@PORT@#$nchan_port#g" \
    -e 's#^\( *\)client_body_temp_path#\1client_body_buffer_size 1m;\n\1client_body_temp_path#' bench/nchan.conf > "$work/nchan/nginx.conf"
  nginx -c "$work/nchan/nginx.conf" -p "$work/nchan"
  wait_port $nchan_port
  local master; master=$(cat "$work/nchan/nginx.pid"); server_pids="$master,$(pgrep -d, -P "$master")"
}
start_original() {
  rm -rf "$work/original" && mkdir -p "$work/original/contenu"
  cp "$reference/server.py" "$work/original/"
  (cd "$work/original" && exec /usr/bin/python3 server.py > log 2>&1) &
  own_pid=$! server_pids=$!
  wait_port $original_port
}
start_mosquitto() {
  rm -rf "$work/mosquitto" && mkdir -p "$work/mosquitto"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 0\nmax_queued_messages 0\n' "$mosquitto_port" > "$work/mosquitto/mosquitto.conf"
  /usr/sbin/mosquitto -c "$work/mosquitto/mosquitto.conf" > "$work/mosquitto/log" 2>&1 &
  own_pid=$! server_pids=$!
  wait_port $mosquitto_port
}
start_target() {
  case $1 in
    mosquitto) start_mosquitto;;
    ours|ours-defaults|ours-gen0-64m|ours-batch*) start_dotnet "$1" "$ours_dll";;
    fastpath-*) start_dotnet "$1" "$baseline_dll";;
    nchan) start_nchan;;
    original) start_original;;
    *) echo "unknown target $1" >&2; exit 2;;
  esac
}
stop_all() {
  if [ -f "$work/nchan/nginx.pid" ]; then nginx -c "$work/nchan/nginx.conf" -p "$work/nchan" -s stop 2>/dev/null || true; fi
  # Ours and the original are single processes started here: stop exactly those.
  if [ -n "${own_pid:-}" ]; then kill "$own_pid" 2>/dev/null || true; wait "$own_pid" 2>/dev/null || true; own_pid=""; fi
  sleep 1
}
cleanup() {
  stop_all
  for database in $pg_databases; do psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $database;" || true; done
  if [ -d "$work/baseline" ]; then git worktree remove --force "$work/baseline" || true; git worktree prune; fi
  rm -rf "$work"
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || { echo "port $1 is already in use: stop what listens there" >&2; exit 2; }; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; exit 1; }
# User + system CPU ticks of the processes P,Q,... so far (utime and stime of /proc/PID/stat).
cpu_ticks() {
  local total=0 pid line
  for pid in ${1//,/ }; do
    read -r line < "/proc/$pid/stat" || continue
    # shellcheck disable=SC2086 # the fields after the command name, split on spaces
    set -- ${line##*) }
    total=$((total + ${12} + ${13}))
  done
  echo $total
}
# CPU ticks the whole machine spent busy so far (/proc/stat: all but idle and iowait).
machine_ticks() {
  local cpu user nice system idle iowait irq softirq steal
  read -r cpu user nice system idle iowait irq softirq steal _ < /proc/stat
  echo $((user + nice + system + irq + softirq + steal))
}
trap cleanup EXIT
port_free $ours_port; port_free $nchan_port; port_free $original_port; port_free $mqtt_port; port_free $mosquitto_port

# The published output, as deploy/blazoriot.service runs it: a build's output serves static assets
# through the development manifest, which looks for a file on disk on every request.
dotnet publish -c Release BlazorIot.Server -o "$work/publish-ours" -v q -nologo > /dev/null
dotnet build -c Release BlazorIot.Bench -v q -nologo > /dev/null
ours_dll=$work/publish-ours/BlazorIot.Server.dll
baseline_dll=""
if [ -n "$baseline" ] && [[ " $scenarios " =~ \ ingest(256)?\  ]]; then
  baseline_target=fastpath-$baseline
  git worktree add --detach -q "$work/baseline" "$baseline"
  (cd "$work/baseline" && dotnet publish -c Release BlazorIot.Server -o "$work/publish-baseline" -v q -nologo > /dev/null)
  baseline_dll=$work/publish-baseline/BlazorIot.Server.dll
fi

# One BlazorIot.Bench scenario against one target, on a freshly started server.
run() {
  local scenario=$1 target=$2; shift 2
  start_target "$target"
  echo "== $scenario / $target" >&2
  bench "$target" load --target "$target" --url "http://127.0.0.1:$(port_of "$target")" --pids "$server_pids" --scenario "$scenario" "$@"
  stop_all
}

# wrk_run SCENARIO TARGET SCRIPT CONNECTIONS [NAME=value ...]: one wrk scenario (bench/wrk/SCRIPT.lua,
# the script's settings in its environment) against one target, on a freshly started server, after
# WARMUP seconds of the same load unmeasured. CPU of the server's processes and of wrk over the run.
wrk_run() {
  local scenario=$1 target=$2 script=$3 connections=$4; shift 4
  local port; port=$(port_of "$target")
  local args=(-t"$wrk_threads" -c"$connections" -s "bench/wrk/$script.lua" "http://127.0.0.1:$port")
  start_target "$target"
  echo "== $scenario / $target: wrk -t$wrk_threads -c$connections -d${duration}s --latency -s bench/wrk/$script.lua $*" >&2
  if [ "$warmup" != 0 ]; then env "$@" wrk -d"$warmup"s "${args[@]}" > /dev/null; fi
  local cpu_before machine_before started out ended cpu_after machine_after
  cpu_before=$(cpu_ticks "$server_pids"); machine_before=$(machine_ticks); started=$(date +%s%N)
  # wrk is the only child of this subshell: `times` gives its user and system CPU.
  out=$(env "$@" wrk -d"$duration"s --latency "${args[@]}"; times)
  ended=$(date +%s%N); cpu_after=$(cpu_ticks "$server_pids"); machine_after=$(machine_ticks)
  echo "$out" | grep -v '^wrk-json ' >&2
  OUT=$out SCENARIO=$scenario TARGET=$target CONNECTIONS=$connections THREADS=$wrk_threads SCRIPT=$script \
  WALL_NS=$((ended - started)) SERVER_TICKS=$((cpu_after - cpu_before)) MACHINE_TICKS=$((machine_after - machine_before)) TICKS=$clock_ticks \
  CORES=$(cores_of "$target") KNOBS=$(knobs_of "$target") /usr/bin/python3 -c '
import json, os, re
env = os.environ
out = env["OUT"]
w = json.loads(re.search(r"^wrk-json (.*)$", out, re.M).group(1))
user, system = re.findall(r"(\d+)m([\d.]+)s", out.strip().splitlines()[-1])
wall = int(env["WALL_NS"]) / 1e9
seconds = w["durationUs"] / 1e6
generator = (sum(int(m) * 60 + float(s) for m, s in (user, system))) / wall
server = int(env["SERVER_TICKS"]) / int(env["TICKS"]) / wall
# What the rest of the machine (other processes, the kernel outside them) took meanwhile.
other = max(0.0, int(env["MACHINE_TICKS"]) / int(env["TICKS"]) / wall - server - generator)
cores = int(env["CORES"])
# Generator-bound: wrk took 0.9 core or more, or the server stayed under 1.5 cores (0.9 of its
# one core for the single-threaded original) while the two of them filled the machine.
bound = generator >= 0.9 or (server < min(1.5, 0.9 * cores) and server + generator >= 0.9 * os.cpu_count())
errors = w["connectErrors"] + w["readErrors"] + w["writeErrors"] + w["timeouts"]
print(json.dumps({
    "scenario": env["SCENARIO"], "target": env["TARGET"], "knobs": env["KNOBS"], "generator": "wrk",
    "script": env["SCRIPT"], "threads": int(env["THREADS"]), "connections": int(env["CONNECTIONS"]),
    "subscribers": 0, "rate": 0, "batch": w["readingsPerRequest"], "seconds": round(seconds, 2),
    "requests": w["requests"], "requestsPerSecond": round(w["requests"] / seconds),
    "readingsPerSecond": round(w["ok2xx"] * w["readingsPerRequest"] / seconds),
    "ok2xx": w["ok2xx"], "non2xx": w["non2xx"], "statuses": w["statuses"], "socketErrors": errors,
    "ingestP50Ms": round(w["p50Us"] / 1000, 2), "ingestP99Ms": round(w["p99Us"] / 1000, 2),
    "ingestMaxMs": round(w["maxUs"] / 1000, 2),
    "serverCpu": round(server, 2), "generatorCpu": round(generator, 2), "generatorBound": bound,
    "otherCpu": round(other, 2),
}))' >> "$results"
  stop_all
}

# import_run SCENARIO TARGET BATCH [postgres]: BlazorIot.Bench's import into a freshly started server (and database).
import_run() {
  local scenario=$1 target=$2 batch=$3 provider=${4:-sqlite}
  server_args=(--Import:BatchRows="$batch")
  if [ "$provider" = postgres ]; then
    local database=blazoriot_import_$$_$RANDOM
    psql -q "$pg_admin" -c "CREATE DATABASE $database;"
    pg_databases="$pg_databases $database"
    server_args+=(--Storage:Provider=postgres --ConnectionStrings:Postgres="$pg;Database=$database")
  fi
  start_target "$target"
  echo "== $scenario / $target" >&2
  bench "$target" import --target "$target" --url "http://127.0.0.1:$ours_port" --pids "$server_pids" --scenario "$scenario" \
    --rows "${IMPORT_ROWS:-1000000}" --batch "$batch"
  stop_all
  server_args=()
}

rounds=${ROUNDS:-1}
for scenario in $scenarios; do
  for _ in $(seq "$rounds"); do
    started=$SECONDS
    case $scenario in
      ingest) # (a) one reading per request, as fast as possible, nobody listening
        wrk_run ingest ours legacy 64
        [ -z "$baseline_dll" ] || wrk_run ingest "$baseline_target" legacy 64
        wrk_run ingest nchan nchan 64
        wrk_run ingest original legacy 64 ;;
      ingest256) # (a) the same with 256 device connections: throughput = connections / per-request latency
        wrk_run ingest256 ours legacy 256
        [ "$ab" = 0 ] || wrk_run ingest256 ours-defaults legacy 256
        [ -z "$baseline_dll" ] || wrk_run ingest256 "$baseline_target" legacy 256
        wrk_run ingest256 nchan nchan 256
        wrk_run ingest256 original legacy 256 ;;
      batch) # (a) batched POST, durable for ours; nchan keeps the same body as one message
        wrk_run batch ours batch "$batch_connections" BATCH="$batch" WRK_PATH=/api/readings
        wrk_run batch nchan batch "$batch_connections" BATCH="$batch" WRK_PATH=/pub ;;
      fan1000) # (b, c) 1,000 subscribers, 20 readings/s
        run fan1000 ours --subscribers 1000 --rate 20 --duration 15
        [ "$ab" = 0 ] || run fan1000 ours-defaults --subscribers 1000 --rate 20 --duration 15
        run fan1000 nchan --subscribers 1000 --rate 20 --duration 15
        run fan1000 original --subscribers 1000 --rate 20 --duration 15 ;;
      fan10k) # (c, d) 10,000 subscribers, 2 readings/s
        run fan10k ours --subscribers 10000 --rate 2 --duration 15
        run fan10k nchan --subscribers 10000 --rate 2 --duration 15
        run fan10k original --subscribers 10000 --rate 2 --duration 15 ;;
      flood) # (e) 1,000 subscribers, ingest as fast as possible
        run flood ours --subscribers 1000 --ingest batch --batch 1000 --rate max --connections 4 --duration 10
        run flood nchan --subscribers 1000 --rate max --connections 16 --duration 10
        run flood original --subscribers 1000 --ingest legacy --rate max --connections 16 --duration 10 ;;
      circuits) # (f) 1,000 dashboards (one live chart each) over the real Blazor hub, 1 reading/s
        targets=ours
        [ "$ab" = 0 ] || targets="ours ours-defaults ours-gen0-64m"
        for target in $targets; do
          start_target "$target"
          echo "== circuits / $target" >&2
          bench "$target" hub-circuits --url "http://127.0.0.1:$ours_port" --pids "$server_pids" --circuits 1000 --duration 30
          stop_all
        done ;;
      mqtt) # (g) readings/s over MQTT, nobody listening: QoS 1 (ours: PUBACK after commit) and QoS 0, 1 and 64 publishers
        for case in ${MQTT_CASES:-1:1 1:64 0:1 0:64}; do
          qos=${case%%:*} publishers=${case##*:}
          run "mqtt-q$qos-p$publishers" ours --ingest mqtt --mqtt "mqtt://127.0.0.1:$mqtt_port" --qos "$qos" --connections "$publishers" --rate max --duration 10
          run "mqtt-q$qos-p$publishers" mosquitto --ingest mqtt --mqtt "mqtt://127.0.0.1:$mosquitto_port" --qos "$qos" --connections "$publishers" --rate max --duration 10
        done ;;
      import) # (h) a 1,000,000-row CSV file imported, durable: SQLite, then PostgreSQL; batch sizes A/B
        import_run import ours 10000
        if [ "$ab" != 0 ]; then for rows in 5000 20000 50000; do import_run import "ours-batch-$rows" $rows; done; fi
        if psql -q "$pg_admin" -c "SELECT 1" > /dev/null 2>&1; then
          import_run import-postgres ours 10000 postgres
          if [ "$ab" != 0 ]; then for rows in 5000 20000 50000; do import_run import-postgres "ours-batch-$rows" $rows postgres; done; fi
        else
          echo "== import-postgres: no PostgreSQL at $pg (set PG): skipped" >&2
        fi ;;
      fanmqtt) # (g) end to end: a reading published over MQTT (QoS 1) to 1,000 /connexion subscribers (fan1000 is the same over the device's GET)
        run fanmqtt ours --subscribers 1000 --rate 20 --duration 15 --ingest mqtt --mqtt "mqtt://127.0.0.1:$mqtt_port" --qos 1 --connections 4 --sensor luminosity --path /connexion ;;
      *) echo "unknown scenario $scenario" >&2; exit 2 ;;
    esac
    echo "== $scenario: $((SECONDS - started)) s wall" >&2
  done
done
/usr/bin/python3 bench/table.py "$results"

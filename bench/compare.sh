#!/usr/bin/env bash
# Runs the same load against BlazorIot, nginx + nchan and the original Bottle + gevent server, one
# server at a time on this machine, and prints the table of docs/benchmarks.md (ratios in one run).
# Needs: apt-get install -y nginx libnginx-mod-nchan python3-bottle python3-gevent
# Usage: bench/compare.sh [scenario ...]   (default: all of ingest batch fan1000 fan10k flood circuits)
# REFERENCE=dir holding the original server.py (default: ../shared/reference beside this repository)
# RESULTS=file for the JSON lines (default: bench/results.jsonl)
# ROUNDS=n runs each scenario's targets n times in turn (default 1); the table then shows the
#   median and each round's figures and ratios, since one run on two cores can be far off.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
reference=${REFERENCE:-$root/../shared/reference}
[ -f "$reference/server.py" ] || { echo "No original server at $reference/server.py: set REFERENCE." >&2; exit 2; }
[ -f /usr/lib/nginx/modules/ngx_nchan_module.so ] || { echo "nginx with nchan is missing: apt-get install -y nginx libnginx-mod-nchan" >&2; exit 2; }
/usr/bin/python3 -c "import bottle, gevent" 2>/dev/null || { echo "The original server needs: apt-get install -y python3-bottle python3-gevent" >&2; exit 2; }
work=$(mktemp -d /tmp/blazoriot-compare.XXXXXX)
results=${RESULTS:-$root/bench/results.jsonl}
ours_port=5055 nchan_port=5056 original_port=8080
: > "$results"
ulimit -n 20000 || true

dotnet build -c Release BlazorIot.Server -v q -nologo > /dev/null
dotnet build -c Release BlazorIot.Bench -v q -nologo > /dev/null
# bench SCENARIO-VERB ARGS...: runs the bench, shows its table, keeps its JSON line.
bench() {
  local out
  out=$(dotnet "$root/BlazorIot.Bench/bin/Release/net10.0/BlazorIot.Bench.dll" "$@")
  echo "$out" >&2
  echo "$out" | tail -n 1 >> "$results"
}

server_pids=""
start_ours() {
  rm -rf "$work/ours" && mkdir -p "$work/ours"
  # As deploy/blazoriot.service runs it: workstation GC, socket completions inline on the epoll threads,
  # a larger shared array pool.
  DOTNET_gcServer=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION=1024 \
  dotnet "$root/BlazorIot.Server/bin/Release/net10.0/BlazorIot.Server.dll" --urls "http://127.0.0.1:$ours_port" \
    --Demo:Enabled=false --Storage:SqlitePath="$work/ours/bench.db" --Logging:LogLevel:Default=Warning \
    --Ingest:RequestsPerSecond=1000000 --Ingest:Burst=1000000 --Ingest:MaxBatch=10000 --Ingest:MaxBodyBytes=8388608 \
    --Streaming:MaxSubscribers=20000 > "$work/ours/log" 2>&1 &
  own_pid=$! server_pids=$!
  wait_port $ours_port
}
start_nchan() {
  rm -rf "$work/nchan" && mkdir -p "$work/nchan"
  sed -e "s#@DIR@#$work/nchan#g" -e "s#@PORT@#$nchan_port#g" bench/nchan.conf > "$work/nchan/nginx.conf"
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
stop_all() {
  if [ -f "$work/nchan/nginx.pid" ]; then nginx -c "$work/nchan/nginx.conf" -p "$work/nchan" -s stop 2>/dev/null || true; fi
  # Ours and the original are single processes started here: stop exactly those.
  if [ -n "${own_pid:-}" ]; then kill "$own_pid" 2>/dev/null || true; wait "$own_pid" 2>/dev/null || true; own_pid=""; fi
  sleep 1
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || { echo "port $1 is already in use: stop what listens there" >&2; exit 2; }; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; exit 1; }
trap 'stop_all; rm -rf "$work"' EXIT
port_free $ours_port; port_free $nchan_port; port_free $original_port

# One scenario against one target, on a freshly started server.
run() {
  local scenario=$1 target=$2; shift 2
  "start_$target"
  local url port
  case $target in ours) port=$ours_port;; nchan) port=$nchan_port;; original) port=$original_port;; esac
  echo "== $scenario / $target" >&2
  bench load --target "$target" --url "http://127.0.0.1:$port" --pids "$server_pids" --scenario "$scenario" "$@"
  stop_all
}

scenarios=${*:-ingest batch fan1000 fan10k flood circuits}
rounds=${ROUNDS:-1}
for scenario in $scenarios; do
  for _ in $(seq "$rounds"); do
    case $scenario in
      ingest) # (a) one reading per request, as fast as possible, nobody listening
        run ingest ours --subscribers 0 --ingest legacy --rate max --connections 64 --duration 10
        run ingest nchan --subscribers 0 --rate max --connections 64 --duration 10
        run ingest original --subscribers 0 --ingest legacy --rate max --connections 64 --duration 10 ;;
      ingest256) # (a) the same with 256 device connections: throughput = connections / per-request latency
        run ingest256 ours --subscribers 0 --ingest legacy --rate max --connections 256 --duration 10
        run ingest256 nchan --subscribers 0 --rate max --connections 256 --duration 10 ;;
      batch) # (a) batched POST, durable
        run batch ours --subscribers 0 --ingest batch --batch 5000 --rate max --connections 8 --duration 10 ;;
      fan1000) # (b, c) 1,000 subscribers, 20 readings/s
        run fan1000 ours --subscribers 1000 --rate 20 --duration 15
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
        start_ours
        echo "== circuits / ours" >&2
        bench hub-circuits --url "http://127.0.0.1:$ours_port" --pids "$server_pids" --circuits 1000 --duration 30
        stop_all ;;
      *) echo "unknown scenario $scenario" >&2; exit 2 ;;
    esac
  done
done
/usr/bin/python3 bench/table.py "$results"

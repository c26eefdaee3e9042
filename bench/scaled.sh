#!/usr/bin/env bash
# Ingest and fan-out with the PostgreSQL store: one instance, then two behind nginx (docs/scaling.md),
# each freshly started on an empty database; prints the table of docs/benchmarks.md.
# Needs: a PostgreSQL the role of PG (default: .ci/run's test role on 127.0.0.1) may create databases on,
# and apt-get install -y nginx. Ports 5060-5062 must be free.
# ONLY=post|batch|fan1000 and INSTANCES=1|2 run a part; KEEP=1 keeps the logs.
# PG=connection string (default Host=127.0.0.1;Port=5432;Username=blazoriot;Password=blazoriot)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
pg=${PG:-Host=127.0.0.1;Port=5432;Username=blazoriot;Password=blazoriot}
psql_url() { python3 - "$pg" <<'PY'
import sys
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if p)
print(f"postgresql://{parts.get('Username')}:{parts.get('Password')}@{parts.get('Host')}:{parts.get('Port', '5432')}/postgres")
PY
}
admin=$(psql_url)
work=$(mktemp -d /tmp/blazoriot-scaled.XXXXXX)
chmod 755 "$work"   # nginx's workers (user nobody) write request bodies below it
results=$work/results.jsonl
ulimit -n 20000 || true
# The published output, as deploy/blazoriot.service runs it.
dotnet publish -c Release BlazorIot.Server -o "$work/publish" -v q -nologo > /dev/null
dotnet build -c Release BlazorIot.Bench -v q -nologo > /dev/null

pids=()
start_instance() { # port name
  DOTNET_gcServer=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=${INLINE:-1} DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION=1024 ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$work/publish/BlazorIot.Server.dll" --urls "http://127.0.0.1:$1" \
    --Storage:Provider=postgres --ConnectionStrings:Postgres="$pg;Database=blazoriot_bench" \
    --Storage:SqlitePath="$work/$2.db" --Demo:Enabled=false --Logging:LogLevel:Default=Warning \
    --Ingest:RequestsPerSecond=1000000 --Ingest:Burst=1000000 --Ingest:MaxBatch=10000 --Ingest:MaxBodyBytes=8388608 \
    --Streaming:MaxSubscribers=20000 > "$work/$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 150); do curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "instance on $1 never became ready" >&2; exit 1
}
start_front() {
  cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
worker_processes 2;
events { worker_connections 20000; }
http {
  access_log off;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi; uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  map \$cookie_blazoriot_route \$blazoriot_route { '' \$remote_addr\$remote_port; default \$cookie_blazoriot_route; }
  upstream blazoriot { hash \$blazoriot_route consistent; server 127.0.0.1:5061; server 127.0.0.1:5062; keepalive 64; }
  server {
    listen 127.0.0.1:5060;
    client_max_body_size 16m; client_body_buffer_size 1m;
    location / { proxy_pass http://blazoriot; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; proxy_read_timeout 1h; }
  }
}
CONF
  nginx -c "$work/nginx.conf" -p "$work"
  for _ in $(seq 50); do curl -fs http://127.0.0.1:5060/health/live >/dev/null 2>&1 && return 0; sleep 0.2; done
}
stop_all() {
  [ -f "$work/nginx.pid" ] && nginx -c "$work/nginx.conf" -p "$work" -s stop 2>/dev/null || true
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  pids=(); rm -f "$work/nginx.pid"; sleep 1
}
fresh_database() {
  psql -q "$admin" -c "DROP DATABASE IF EXISTS blazoriot_bench WITH (FORCE);" -c "CREATE DATABASE blazoriot_bench;"
}
trap 'stop_all; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
bench() { # label url pids args...
  local label=$1 url=$2 server=$3; shift 3
  local out; out=$(dotnet "$root/BlazorIot.Bench/bin/Release/net10.0/BlazorIot.Bench.dll" load --url "$url" --pids "$server" --scenario "$label" "$@")
  echo "$out" >&2
  echo "$out" | tail -n 1 >> "$results"
}
run() { # instances label args...
  local instances=$1 label=$2; shift 2
  fresh_database
  if [ "$instances" = 1 ]; then
    start_instance 5061 a
    bench "$label/1" http://127.0.0.1:5061 "${pids[0]}" "$@"
  else
    start_instance 5061 a; start_instance 5062 b; start_front
    local master; master=$(cat "$work/nginx.pid")
    bench "$label/2" http://127.0.0.1:5060 "${pids[0]},${pids[1]},$master,$(pgrep -d, -P "$master")" "$@"
  fi
  stop_all
}

for n in ${INSTANCES:-1 2}; do
  [ -z "${ONLY:-}" ] || [ "$ONLY" = post ] && run $n post --subscribers 0 --ingest post --rate max --connections 64 --duration 10
  [ -z "${ONLY:-}" ] || [ "$ONLY" = batch ] && run $n batch --subscribers 0 --ingest batch --batch 5000 --rate max --connections 8 --duration 10
  [ -z "${ONLY:-}" ] || [ "$ONLY" = fan1000 ] && run $n fan1000 --subscribers 1000 --rate 20 --duration 15
done
python3 - "$results" <<'PY'
import json, sys
rows = {r["scenario"]: r for r in (json.loads(l) for l in open(sys.argv[1]) if l.startswith("{"))}
def f(v): return "n/a" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:,.2f}")
print("\n| scenario | measure | 1 instance | 2 instances behind nginx | 2 / 1 |")
print("| --- | --- | ---: | ---: | ---: |")
for name, measures in (("post", ["readingsPerSecond", "ingestP50Ms", "ingestP99Ms", "serverCpu"]),
                       ("batch", ["readingsPerSecond", "ingestP99Ms", "serverCpu"]),
                       ("fan1000", ["e2eP50Ms", "e2eP99Ms", "missed", "serverCpu"])):
    one, two = rows.get(name + "/1", {}), rows.get(name + "/2", {})
    for m in measures:
        a, b = one.get(m), two.get(m)
        print(f"| {name} | {m} | {f(a)} | {f(b)} | {'n/a' if not a or b is None else f'{b / a:.2f}x'} |")
PY

#!/usr/bin/env bash
# Edge benchmark. Throughput: wrk against the same node-hello instance directly, through nginx-light
# (keepalive upstream, the same forwarding headers and request id) and through the edge (access log off,
# and on as shipped), cores pinned: wrk on LOAD_CORE, the proxy on PROXY_CORE, the instance on
# BACKEND_CORE. Prints requests/s and p99 of each and the ratios edge/nginx and edge/direct, measured
# side by side in one run. Then route propagation: repeated scale-ups, RUNNING -> first 200 through the edge.
# Usage: bench/edge/run.sh   env: DURATION (s per wrk run, 10) WRK_ROUNDS (3) WARMUP (s, 5) EDGE_WARMUP (s, 60)
#        CONNECTIONS (64) ROUNDS (scale-ups, 20)
#        LOAD_CORE (0) PROXY_CORE (1) BACKEND_CORE (0). Loopback only; asserts nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
duration="${DURATION:-10}" warmup="${WARMUP:-5}" conns="${CONNECTIONS:-64}" rounds="${ROUNDS:-20}" wrk_rounds="${WRK_ROUNDS:-3}" edge_warmup="${EDGE_WARMUP:-60}"
load_core="${LOAD_CORE:-0}" proxy_core="${PROXY_CORE:-1}" backend_core="${BACKEND_CORE:-0}"

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  echo "installing ${need[*]}" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

home="$(mktemp -d /tmp/granary-bench-edge-XXXX)"
export GRANARY_HOME="$home"
granary() { "$root/granary" "$@"; }
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  granary micro down >/dev/null 2>&1 || true
  rm -rf "$home"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# Bounded wait: until COMMAND succeeds, at most N tenths of a second.
wait_for() { local n=$1; shift; for _ in $(seq 1 "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "gave up waiting for: $*" >&2; return 1; }

echo "starting a micro cloud under $home" >&2
granary micro up --api-port 0 --edge-port 0 >/dev/null
export GRANARY_SKIP_BUILD=1
granary push "$root/samples/node-hello" --name bench >/dev/null
app_json="$(granary app bench --json)"
read -r backend_port instance_id < <(python3 -c 'import json,sys;i=json.load(sys.stdin)["instanceDetails"][0];print(i["port"],i["instanceId"])' <<<"$app_json")
for pid in $(grep -l "GRANARY_INSTANCE_ID=$instance_id" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
  taskset -a -p -c "$backend_core" "$pid" >/dev/null
done

# A standalone edge joining the micro cloud as a client (the documented command), pinned to its core.
silo_pid="$(cat "$home/micro/silo.pid")"
gateway_port="$(tr '\0' '\n' <"/proc/$silo_pid/cmdline" | sed -n 's/^--Orleans:GatewayPort=//p')"
start_edge() { # PORT ACCESSLOG
  taskset -c "$proxy_core" dotnet "$root/.artifacts/edge/Granary.Edge.dll" --urls "http://127.0.0.1:$1" \
    --Orleans:ClusterId=granary-micro "--Orleans:GatewayPort=$gateway_port" --Granary:Domain=localhost \
    "--Granary:Edge:AccessLog=$2" >"$home/edge-$1.log" 2>&1 &
  pids+=($!)
}
edge_port="$(free_port)" edge_log_port="$(free_port)"
start_edge "$edge_port" false
start_edge "$edge_log_port" true
routed() { [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: bench.localhost' "http://127.0.0.1:$1/")" == 200 ]]; }
wait_for 600 routed "$edge_port"
wait_for 600 routed "$edge_log_port"

nginx_port="$(free_port)"
mkdir -p "$home/nginx/logs" "$home/nginx/tmp"
cat >"$home/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $home/nginx/nginx.pid;
error_log $home/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $home/nginx/tmp/body;
  proxy_temp_path $home/nginx/tmp/proxy;
  upstream app { server 127.0.0.1:$backend_port; keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
      proxy_set_header X-Request-Id \$request_id;
      add_header X-Request-Id \$request_id;
    }
  }
}
EOF
taskset -c "$proxy_core" nginx -p "$home/nginx" -c "$home/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
wait_for 100 routed "$nginx_port"

# wrk: prints "RPS P99_MS NON2XX" for one target.
measure() { # URL
  taskset -c "$load_core" wrk -t1 -c"$conns" -d"${duration}s" --latency -H 'Host: bench.localhost' "$1" | python3 -c '
import re, sys
out = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(rps, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], errors.group(1) if errors else 0)'
}

targets=("direct http://127.0.0.1:$backend_port/" "nginx-light http://127.0.0.1:$nginx_port/"
  "edge(log-off) http://127.0.0.1:$edge_port/" "edge(log-on) http://127.0.0.1:$edge_log_port/")
# Warm-up: connection pools everywhere; for the edges also the JIT, which on one busy core takes about a
# minute of load to reach optimized code (tiered compilation), as it would in any edge that has run a while.
for target in "${targets[@]}"; do
  [[ "$target" == edge* ]] && seconds="$edge_warmup" || seconds="$warmup"
  taskset -c "$load_core" wrk -t1 -c"$conns" -d"${seconds}s" -H 'Host: bench.localhost' "${target#* }" >/dev/null
done
# Rounds interleave the targets so that load from anything else on the machine hits them alike; medians are printed.
echo "wrk -t1 -c$conns, $wrk_rounds rounds of ${duration}s per target; wrk on core $load_core, proxy on core $proxy_core, instance on core $backend_core" >&2
results="$home/results.txt"
for round in $(seq 1 "$wrk_rounds"); do
  for target in "${targets[@]}"; do
    echo "${target%% *} $(measure "${target#* }")" >>"$results"
  done
done

python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, rps, p99, errors = line.split()
    rows.setdefault(name, []).append((float(rps), float(p99), int(errors)))
med = {n: (statistics.median(r for r, _, _ in v), statistics.median(p for _, p, _ in v), sum(e for _, _, e in v), v) for n, v in rows.items()}
print(f"{'target':<16}{'requests/s':>12}{'p99 ms':>9}{'non-2xx':>9}   rounds (requests/s)")
for n, (r, p, e, v) in med.items():
    print(f"{n:<16}{r:>12.0f}{p:>9.2f}{e:>9}   {' '.join(f'{x:.0f}' for x, _, _ in v)}")
direct, nginx, nginx_p99 = med["direct"][0], med["nginx-light"][0], med["nginx-light"][1]
for n in ("edge(log-off)", "edge(log-on)"):
    r, p = med[n][0], med[n][1]
    print(f"{n}: edge/nginx {r / nginx:.2f}x requests/s, p99 {p - nginx_p99:+.2f} ms vs nginx; edge/direct {r / direct:.2f}x"
          f"  (target >= 1.0x nginx, p99 within 1 ms: {'met' if r >= nginx and p - nginx_p99 <= 1 else 'NOT met'})")
PY

token="$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["token"])' "$home/config.json")"
api="$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["api"])' "$home/config.json")"
micro_edge_port="$(granary info --json | python3 -c 'import json,sys,urllib.parse;print(urllib.parse.urlparse(json.load(sys.stdin)["edge"]).port)')"
python3 "$root/bench/edge/propagation.py" --api "$api" --token "$token" --edge-port "$micro_edge_port" --app bench --rounds "$rounds"

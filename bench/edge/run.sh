#!/usr/bin/env bash
# Edge benchmark. Throughput: wrk against the same node-hello instance directly, through nginx-light
# (keepalive upstream, the same forwarding headers and request id; access log off, and on) and through the
# edge (access log off, and on as shipped), cores pinned: wrk on LOAD_CORE, the proxy on PROXY_CORE, the
# instance on BACKEND_CORE. Prints requests/s and p99 of each and the ratios edge/nginx (each edge against
# the nginx that logs as it does) and edge/direct, measured side by side in one run. Then route propagation: repeated scale-ups, RUNNING -> first 200 through the edge;
# timed kill -9 of one of 3 instances under a GET loop (kill.py); route-table scale at 100k routes (route-scale.sh).
# Usage: bench/edge/run.sh   env: DURATION (s per wrk run, 5) WRK_ROUNDS (12) WARMUP (s, 5) EDGE_WARMUP (s, 60)
#        CONNECTIONS (64) ROUNDS (scale-ups, 20) KILL_ROUNDS (5) SCALE_APPS (100000; 0 skips)
#        EDGE_ENV (extra environment for the edges, e.g. "DOTNET_TieredPGO=0")
#        LOAD_CORE (0) PROXY_CORE (1) BACKEND_CORE (0). Loopback only; asserts nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
duration="${DURATION:-5}" warmup="${WARMUP:-5}" conns="${CONNECTIONS:-64}" rounds="${ROUNDS:-20}" wrk_rounds="${WRK_ROUNDS:-12}" edge_warmup="${EDGE_WARMUP:-60}"
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
# Processes of the instance, found the way an operator would: by GRANARY_INSTANCE_ID in /proc/PID/environ.
instance_pids() { for f in /proc/[0-9]*/environ; do grep -qs "GRANARY_INSTANCE_ID=$1" "$f" && basename "$(dirname "$f")"; done; return 0; }
backend_pid=""
for pid in $(instance_pids "$instance_id"); do
  taskset -a -p -c "$backend_core" "$pid" >/dev/null
  grep -qs node "/proc/$pid/comm" && backend_pid="$pid"
done

# A standalone edge joining the micro cloud as a client (the documented command), pinned to its core.
silo_pid="$(cat "$home/micro/silo.pid")"
gateway_port="$(tr '\0' '\n' <"/proc/$silo_pid/cmdline" | sed -n 's/^--Orleans:GatewayPort=//p')"
start_edge() { # PORT ACCESSLOG
  # shellcheck disable=SC2086
  # DOTNET_GCgen0size as micro up and the node tool start edges (Cli/Node/EdgeRuntime.cs, Edge/README.md).
  env DOTNET_GCgen0size=0x4000000 ${EDGE_ENV:-} taskset -c "$proxy_core" dotnet "$root/.artifacts/edge/Granary.Edge.dll" --urls "http://127.0.0.1:$1" \
    --Orleans:ClusterId=granary-micro "--Orleans:GatewayPort=$gateway_port" --Granary:Domain=localhost \
    "--Granary:Edge:AccessLog=$2" >"$home/edge-$1.log" 2>&1 &
  pids+=($!)
  last_pid=$!
}
edge_port="$(free_port)" edge_log_port="$(free_port)"
start_edge "$edge_port" false
edge_pid=$last_pid
start_edge "$edge_log_port" true
edge_log_pid=$last_pid
routed() { [[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: bench.localhost' "http://127.0.0.1:$1/")" == 200 ]]; }
wait_for 600 routed "$edge_port"
wait_for 600 routed "$edge_log_port"

nginx_port="$(free_port)" nginx_log_port="$(free_port)"
mkdir -p "$home/nginx/logs" "$home/nginx/tmp"
# Both servers forward alike: keepalive upstream, the edge's forwarding headers and a request id.
cat >"$home/nginx/proxy.conf" <<'EOF'
location / {
  proxy_pass http://app;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $host;
  proxy_set_header X-Forwarded-For $remote_addr;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Forwarded-Host $host;
  proxy_set_header X-Request-Id $request_id;
  add_header X-Request-Id $request_id;
}
EOF
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
    include $home/nginx/proxy.conf;
  }
  # The same, with an access log written as the edge writes its own: a line per request, buffered, flushed every
  # 100 ms. The edge with its access log on is compared with this one.
  log_format granary '\$time_iso8601 \$host "\$request_method \$uri" \$status \${request_time}s instance=- app=- request_id=\$request_id';
  server {
    listen 127.0.0.1:$nginx_log_port;
    access_log $home/nginx/logs/access.log granary buffer=64k flush=100ms;
    include $home/nginx/proxy.conf;
  }
}
EOF
taskset -c "$proxy_core" nginx -p "$home/nginx" -c "$home/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
wait_for 100 routed "$nginx_port"
nginx_worker="$(pgrep -P "$(cat "$home/nginx/nginx.pid")" | head -1)"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# wrk: prints "RPS P99_MS NON2XX CPU_US_PER_REQUEST" for one target; the CPU is the serving process's own
# (the proxy's, or the instance's when direct), the figure least disturbed by other load on the machine.
measure() { # URL PID
  local before after
  before="$(cpu_ticks "$2")"
  taskset -c "$load_core" wrk -t1 -c"$conns" -d"${duration}s" --latency -H 'Host: bench.localhost' "$1" >"$home/wrk.out"
  after="$(cpu_ticks "$2")"
  python3 -c '
import re, sys
out = sys.stdin.read()
requests = int(re.search(r"(\d+) requests in", out).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
cpu_us = (int(sys.argv[2]) - int(sys.argv[1])) / int(sys.argv[3]) * 1e6 / max(1, requests)
print(rps, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], errors.group(1) if errors else 0, round(cpu_us, 1))' \
    "$before" "$after" "$(getconf CLK_TCK)" <"$home/wrk.out"
}

targets=("direct http://127.0.0.1:$backend_port/ $backend_pid" "nginx-light http://127.0.0.1:$nginx_port/ $nginx_worker"
  "nginx-light(log-on) http://127.0.0.1:$nginx_log_port/ $nginx_worker"
  "edge(log-off) http://127.0.0.1:$edge_port/ $edge_pid" "edge(log-on) http://127.0.0.1:$edge_log_port/ $edge_log_pid")
# Warm-up: connection pools everywhere; for the edges also the JIT, which on one busy core takes about a
# minute of load to reach optimized code (tiered compilation), as it would in any edge that has run a while.
for target in "${targets[@]}"; do
  [[ "$target" == edge* ]] && seconds="$edge_warmup" || seconds="$warmup"
  read -r _ url _ <<<"$target"
  taskset -c "$load_core" wrk -t1 -c"$conns" -d"${seconds}s" -H 'Host: bench.localhost' "$url" >/dev/null
done
echo "wrk -t1 -c$conns, $wrk_rounds rounds of ${duration}s per target; wrk on core $load_core, proxy on core $proxy_core, instance on core $backend_core" >&2
results="$home/results.txt"
# Each round runs the targets in a fresh random order: in a fixed order, whatever a run leaves behind (the
# instance's garbage, its idle keep-alive connections, the machine's drift within a round) always fell on
# the same next target.
for round in $(seq 1 "$wrk_rounds"); do
  while read -r index; do
    read -r name url pid <<<"${targets[$index]}"
    echo "$round $name $(measure "$url" "$pid")" >>"$results"
  done < <(seq 0 $((${#targets[@]} - 1)) | shuf)
done

python3 - "$results" <<'PY'
import random, statistics, sys
rows = {}
for line in sorted(open(sys.argv[1]), key=lambda l: int(l.split()[0])):
    _, name, rps, p99, errors, cpu = line.split()
    rows.setdefault(name, []).append((float(rps), float(p99), int(errors), float(cpu)))
med = {n: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v), sum(x[2] for x in v), statistics.median(x[3] for x in v), v)
       for n, v in rows.items()}
print(f"{'target':<20}{'requests/s':>12}{'p99 ms':>9}{'non-2xx':>9}{'CPU us/req':>12}   rounds (requests/s)")
for n, (r, p, e, c, v) in med.items():
    print(f"{n:<20}{r:>12.0f}{p:>9.2f}{e:>9}{c:>12.1f}   {' '.join(f'{x[0]:.0f}' for x in v)}")
direct = med["direct"][0]
# Paired figures: within a round the targets run back to back, so a ratio of the same round's edge and nginx runs
# cancels the machine's slow swings in load that move every target's medians alike (seen: 25k-37k for one target).
# Each edge is paired with the nginx that logs as it does.
for n, reference in (("edge(log-off)", "nginx-light"), ("edge(log-on)", "nginx-light(log-on)")):
    r, p, c = med[n][0], med[n][1], med[n][3]
    nginx, nginx_cpu, nginx_rounds = med[reference][0], med[reference][3], rows[reference]
    pairs = list(zip(rows[n], nginx_rounds))
    ratio = statistics.median(e[0] / g[0] for e, g in pairs)
    p99 = statistics.median(e[1] - g[1] for e, g in pairs)
    spread = sorted(e[0] / g[0] for e, g in pairs)
    # How far the median ratio itself may be off: the 2.5-97.5% range of medians of resampled rounds.
    boot = sorted(statistics.median(random.choices(spread, k=len(spread))) for _ in range(2000))
    print(f"{n}: edge/{reference} {ratio:.2f}x requests/s (bootstrap 95% {boot[50]:.2f}-{boot[1949]:.2f}; "
          f"paired rounds {spread[0]:.2f}-{spread[-1]:.2f}; medians {r / nginx:.2f}x), "
          f"p99 {p99:+.2f} ms vs {reference}, {c / nginx_cpu:.2f}x its CPU per request; edge/direct {r / direct:.2f}x"
          f"  (target >= 1.0x nginx, p99 within 1 ms: {'met' if ratio >= 1.0 and p99 <= 1 else 'NOT met'})")
PY

token="$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["token"])' "$home/config.json")"
api="$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["api"])' "$home/config.json")"
micro_edge_port="$(granary info --json | python3 -c 'import json,sys,urllib.parse;print(urllib.parse.urlparse(json.load(sys.stdin)["edge"]).port)')"
python3 "$root/bench/edge/propagation.py" --api "$api" --token "$token" --edge-port "$micro_edge_port" --app bench --rounds "$rounds"
python3 "$root/bench/edge/kill.py" --api "$api" --token "$token" --edge-port "$edge_port" --edge-log "$home/edge-$edge_port.log" \
  --app bench --rounds "${KILL_ROUNDS:-5}"
if [[ "${SCALE_APPS:-100000}" != 0 ]]; then
  "$root/bench/edge/route-scale.sh" "${SCALE_APPS:-100000}" 20
fi

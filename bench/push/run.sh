#!/usr/bin/env bash
# Push benchmark: warm `granary push samples/node-hello` until RUNNING and answering, against the
# app's own start time (node server.js to first answer) measured in the same run on the same machine.
# Usage: bench/push/run.sh [ROUNDS]   (default 10). Prints figures; asserts nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rounds="${1:-10}"
home="$(mktemp -d /tmp/granary-bench-push-XXXX)"
plain_home="$(mktemp -d /tmp/granary-bench-push-plain-XXXX)"   # a second cloud with isolation turned off
export GRANARY_HOME="$home"
granary() { "$root/granary" "$@"; }
now_ms() { date +%s%3N; }
trap 'granary micro down >/dev/null 2>&1 || true; GRANARY_HOME="$plain_home" granary micro down >/dev/null 2>&1 || true; rm -rf "$home" "$plain_home"' EXIT

granary micro up --api-port 0 --edge-port 0 >/dev/null
export GRANARY_SKIP_BUILD=1
granary push "$root/samples/node-hello" --name bench >/dev/null   # cold: fills caches, not measured

edge_port=$(python3 -c 'import json,os;print(json.load(open(os.environ["GRANARY_HOME"]+"/config.json"))["edge"].rsplit(":",1)[1])')
bare=() push=() edge=()
for i in $(seq 1 "$rounds"); do
  # Reference: the app alone, started by hand, until it answers.
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  t0=$(now_ms)
  (cd "$root/samples/node-hello" && PORT=$port GRANARY_INSTANCE_INDEX=0 exec node server.js >/dev/null 2>&1) &
  app=$!
  until curl -sf "http://127.0.0.1:$port/" >/dev/null; do sleep 0.01; done
  bare+=($(( $(now_ms) - t0 )))
  kill "$app"; wait "$app" 2>/dev/null || true

  # Granary: upload, stage, replace the instance, health check; the CLI returns once RUNNING.
  t0=$(now_ms)
  granary push "$root/samples/node-hello" --name bench >/dev/null
  t1=$(now_ms)
  # The user's view: the first 200 through the edge by host name (the old instance is gone by now).
  until curl -sf -H "Host: bench.localhost" "http://127.0.0.1:$edge_port/" >/dev/null; do sleep 0.005; done
  edge+=($(( $(now_ms) - t0 )))
  push+=($(( t1 - t0 )))
done

# Isolation's cost: one instance start (cgroup, files to its uid, sandbox, spawn -> healthy), as the silo itself measures
# it (granary.instances.start.duration), on this cloud and on a second one with isolation turned off, alternating.
GRANARY_HOME="$plain_home" Granary__Dea__Isolation__Enabled=false granary micro up --api-port 0 --edge-port 0 --allow-unisolated >/dev/null
GRANARY_HOME="$plain_home" granary push "$root/samples/node-hello" --name bench >/dev/null
start_seconds() {   # sum and count of the silo's instance start histogram, and of its isolation setup histogram
  local config="$1/config.json"
  curl -sf -H "Authorization: Bearer $(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["token"])' "$config")" \
    "$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["api"])' "$config")/metrics" |
    awk '/^granary_instances_start_duration_seconds_(sum|count)/ { split($0, f, " "); v[$1 ~ /_sum/ ? "s" : "c"] = f[2] }
         /^granary_instances_isolation_setup_duration_seconds_sum/ { split($0, f, " "); v["i"] = f[2] }
         END { print v["s"], v["c"], (v["i"] == "" ? 0 : v["i"]) }'
}
isolated=() plain=() setup=()
for i in $(seq 1 "$rounds"); do
  for cloud in "$home" "$plain_home"; do
    GRANARY_HOME="$cloud" granary stop bench >/dev/null
    read -r s0 c0 i0 < <(start_seconds "$cloud")
    GRANARY_HOME="$cloud" granary start bench >/dev/null
    read -r s1 c1 i1 < <(start_seconds "$cloud")
    ms=$(python3 -c "print(round(($s1 - $s0) * 1000 / max(1, $c1 - $c0)))")
    if [ "$cloud" = "$home" ]; then
      isolated+=("$ms"); setup+=("$(python3 -c "print(round(($i1 - $i0) * 1000 / max(1, $c1 - $c0)))")")
    else
      plain+=("$ms")
    fi
  done
done

python3 - "${bare[*]}" "${push[*]}" "${edge[*]}" "${isolated[*]}" "${plain[*]}" "${setup[*]}" <<'PY'
import sys
bare = [int(x) for x in sys.argv[1].split()]
push = [int(x) for x in sys.argv[2].split()]
edge = [int(x) for x in sys.argv[3].split()]
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
print(f"rounds: {len(push)}")
print(f"reference  node server.js -> first 200   p50 {pct(bare,50):5d} ms  p90 {pct(bare,90):5d} ms")
print(f"granary    push -> CLI reports RUNNING     p50 {pct(push,50):5d} ms  p90 {pct(push,90):5d} ms")
print(f"granary    push -> first 200 via the edge  p50 {pct(edge,50):5d} ms  p90 {pct(edge,90):5d} ms")
print(f"ratio edge-200/bare (p50): {pct(edge,50)/max(1,pct(bare,50)):.1f}x   target: push -> first 200 through the edge <= 3000 ms ({'met' if pct(edge,90) <= 3000 else 'NOT met'} at p90)")
iso = [int(x) for x in sys.argv[4].split()]
plain = [int(x) for x in sys.argv[5].split()]
extra = pct(iso, 50) - pct(plain, 50)
print(f"instance start (node: setup, spawn -> healthy)  isolated p50 {pct(iso,50):5d} ms p90 {pct(iso,90):5d} ms   unisolated p50 {pct(plain,50):5d} ms p90 {pct(plain,90):5d} ms")
setup = [int(x) for x in sys.argv[6].split()]
print(f"ratio isolated/unisolated (p50): {pct(iso,50)/max(1,pct(plain,50)):.2f}x, {extra:+d} ms per start   target: <= +100 ms ({'met' if extra <= 100 else 'NOT met'})"
      f"   (of which cgroup + chown + sandbox arguments p50 {pct(setup,50)} ms; bubblewrap itself takes 20-40 ms here)")
PY

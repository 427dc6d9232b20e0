#!/usr/bin/env bash
# Route-table write latency through the real RouteTableGrain on one silo: SetApp of one app in a table of each
# size, timed from the caller (p50/p99/max), plus the grain's first activation and a reactivation, on Orleans'
# ADO.NET grain storage over a throwaway PostgreSQL (fsync on) or on memory storage. Asserts nothing.
# Usage: bench/edge/route-writes.sh [SIZES (1000,100000)] [CHANGES (100)] [STORAGE (postgres|memory)]
# BASE_REF=main measures the grain of that git ref instead (exported with git archive; this bench copied in),
# e.g. the table as one record before sharding. Needs initdb/pg_ctl (PATH, GRANARY_PG_BIN or /usr/lib/postgresql).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
sizes="${1:-1000,100000}"; changes="${2:-100}"; storage="${3:-postgres}"
work="$(mktemp -d /tmp/granary-route-writes.XXXXXX)"
pgdata=""
cleanup() {
  if [[ -n "$pgdata" ]]; then pg "$pgbin/pg_ctl" stop -D "$pgdata" -m fast -w >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

src="$root"
if [[ -n "${BASE_REF:-}" ]]; then
  src="$work/src"; mkdir -p "$src"
  git -C "$root" archive "$BASE_REF" | tar -x -C "$src"
  rm -rf "$src/bench/edge/RouteWrites"; cp -r "$root/bench/edge/RouteWrites" "$src/bench/edge/"
  rm -rf "$src/bench/edge/RouteWrites/bin" "$src/bench/edge/RouteWrites/obj"
fi
out="$work/bin"
dotnet build "$src/bench/edge/RouteWrites" -c Release -o "$out" --nologo -v quiet -clp:NoSummary >/dev/null

# PostgreSQL refuses to run as root; as root it runs in a user namespace, as the micro cloud's does.
pg() { if [[ "$(id -u)" == 0 ]]; then unshare --user --map-user=1000 --map-group=1000 "$@"; else "$@"; fi; }
if [[ "$storage" == postgres ]]; then
  pgbin="${GRANARY_PG_BIN:-$(dirname "$(readlink -f "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")}"
  pgdata="$work/pg"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  pg "$pgbin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  pg "$pgbin/pg_ctl" start -w -D "$pgdata" -l "$work/pg.log" \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" >/dev/null
  export GRANARY_BENCH_DATABASE="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Timezone=UTC"
fi
dotnet "$out/granary-bench-route-writes.dll" "$sizes" "$changes" "$storage"

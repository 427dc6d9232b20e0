#!/usr/bin/env bash
# Route-table scale of the edge: a real edge loading a generated table of APPS routes (100k) from an in-memory
# control plane, in front of a real loopback backend. Prints the time from the edge's start to its first 200,
# the whole-table mapping, and one-app deltas at that size (through the sync loop, and the mapping alone).
# Usage: bench/edge/route-scale.sh [APPS (100000)] [ROUNDS (20)]. Asserts nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dotnet build "$root/bench/edge/RouteScale" -c Release -o "$root/.artifacts/bench-route-scale" --nologo -v quiet -clp:NoSummary >/dev/null
exec dotnet "$root/.artifacts/bench-route-scale/granary-bench-route-scale.dll" "${1:-100000}" "${2:-20}"

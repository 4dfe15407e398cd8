#!/usr/bin/env bash
# Fan-out benchmark (issue 4): 1,000 tcp probes to loopback listeners that drop SYNs (a full
# accept queue), 2 s timeout; must finish in under 3 s wall, under 50 MB RSS, and the event loop
# must never stall for 50 ms. Builds tests/bench/probe_fanout.cpp against a build's libddcore.a
# (a Release build gives the meaningful figures). Not run by ctest. Exit 1 when a bound is missed.
#
# usage: tests/bench/probe_fanout.sh [build-dir] [probes, default 1000] [listeners, default 100] [timeout ms, default 2000]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
lib=$build/core/libddcore.a
[[ -f $lib ]] || { echo "no $lib (build the ddcore target first)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

g++ -std=c++17 -O2 -fPIC -DQT_NO_CAST_FROM_ASCII -DQT_NO_CAST_TO_ASCII \
    -I "$root/core" $(pkg-config --cflags Qt6Core Qt6Network) \
    "$here/probe_fanout.cpp" -o "$out/probe_fanout" \
    "$lib" $(pkg-config --libs Qt6Core Qt6Network) -lssl -lcrypto -lpq -lhiredis -lpcap -lqt6keychain
/usr/bin/time -f 'time: %e s wall, max RSS %M KiB' "$out/probe_fanout" "${2:-1000}" "${3:-100}" "${4:-2000}"

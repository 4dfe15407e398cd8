#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as errors, runs ctest.
# Usage: scripts/test.sh [ctest options...]
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
jobs=$(nproc)
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$jobs"
# Integration tests start real servers on free loopback ports; two at a time fits 2 cores.
ctest --preset ci -j2 "$@"

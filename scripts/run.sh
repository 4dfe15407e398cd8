#!/usr/bin/env bash
# Builds and launches the DocServer Doctor workbench; installs what is missing first.
#   scripts/run.sh                       the built-in Fault Lab (healthy; each failure is in the Lab menu)
#   scripts/run.sh --profile FILE        a real deployment (docs/profile.md)
#   scripts/run.sh --scenario ID         another lab scenario (docserver-doctor-cli lab list)
# Without a display it runs the same diagnosis headless and prints the verdict and the report path.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"
bin=build/release/app

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
    echo "run: no display (DISPLAY/WAYLAND_DISPLAY unset): running the headless diagnosis instead." >&2
    report="${TMPDIR:-/tmp}/docserver-doctor-report.html"
    args=()
    profile_given=0
    while (($#)); do
        case "$1" in
            --profile) args+=(--profile "$2"); profile_given=1; shift 2 ;;
            --scenario) args+=(--lab "$2"); shift 2 ;;
            *) args+=("$1"); shift ;;
        esac
    done
    ((profile_given)) || [[ " ${args[*]-} " == *" --lab "* ]] || args+=(--lab healthy)
    status=0
    "$bin/docserver-doctor-cli" diagnose "${args[@]}" --report "$report" || status=$?
    echo "Report: $report"
    exit "$status"
fi
exec "$bin/docserver-doctor" "$@"

#!/usr/bin/env bash
# Every Fault Lab scenario as an admin would run it: 'lab up SCENARIO --profile-out P' in the
# background, then 'diagnose --profile P --json'. Prints a Markdown table: scenario, expected cause,
# top cause, confidence, hop, time to verdict (wall clock of the diagnose command).
# Usage: tests/bench/diagnose_lab_table.sh [CLI] [SCENARIO...]
set -euo pipefail
cli=${1:-build/release/app/docserver-doctor-cli}
shift || true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if (($#)); then scenarios=("$@"); else mapfile -t scenarios < <("$cli" lab list --json | python3 -c 'import json,sys; [print(s["id"]) for s in json.load(sys.stdin)["scenarios"]]'); fi
echo "| scenario | expected | top cause | confidence | hop | time to verdict |"
echo "|---|---|---|---|---|---|"
pass=0; total=0
for s in "${scenarios[@]}"; do
    state="$work/$s"; mkdir -p "$state"
    "$cli" lab up "$s" --profile-out "$state/profile.json" --state-dir "$state/lab" >"$state/lab.log" 2>&1 &
    lab=$!
    for _ in $(seq 1 300); do [[ -s "$state/profile.json" ]] && break; kill -0 $lab 2>/dev/null || break; sleep 0.1; done
    if [[ ! -s "$state/profile.json" ]]; then
        echo "| $s | | lab did not start | | | |"; kill $lab 2>/dev/null || true; wait $lab 2>/dev/null || true; continue
    fi
    start=$(date +%s.%N)
    "$cli" diagnose --profile "$state/profile.json" --json >"$state/out.json" 2>"$state/err.txt" || true
    end=$(date +%s.%N)
    kill $lab 2>/dev/null || true; wait $lab 2>/dev/null || true
    expected=$("$cli" lab list --json | python3 -c "import json,sys; print([x.get('expectedCause') or 'healthy' for x in json.load(sys.stdin)['scenarios'] if x['id']=='$s'][0])")
    row=$(python3 - "$state/out.json" "$s" "$expected" "$start" "$end" <<'PY'
import json, sys
path, s, expected, start, end = sys.argv[1:]
try:
    v = json.load(open(path))["verdict"]
except Exception as e:
    print(f"| {s} | {expected} | no JSON ({e}) | | | |"); sys.exit(0)
got = "healthy" if v.get("status") == "healthy" else (v.get("cause") or v.get("status"))
mark = "" if got == expected else " ✗"
print(f"| {s} | {expected} | {got}{mark} | {v.get('confidence', 0):.2f} | {v.get('hop') or '-'} | {float(end) - float(start):.1f} s |")
PY
)
    echo "$row"
    total=$((total + 1)); [[ "$row" == *"✗"* || "$row" == *"no JSON"* ]] || pass=$((pass + 1))
done
echo
echo "$pass of $total scenarios diagnosed as expected"

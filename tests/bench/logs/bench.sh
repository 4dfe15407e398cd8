#!/bin/bash
# Log-engine benchmark: `logs classify --summary` against `grep -E -c` with the same pattern
# set (every fixed string of resources/logs/rules.json plus the access-log status codes), on
# the same generated mixed log, warm cache; then lines/s and latency of `logs follow` against
# `tail -F | grep -E --line-buffered` while a writer appends (followbench.py).
# Not run by ctest. Build a release CLI first, then run:
#
#   cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDD_BUILD_UI=OFF
#   cmake --build build-release -j2 --target docserver-doctor-cli
#   tests/bench/logs/bench.sh [SIZE_MB (default 1024)] [CLI (default build-release/app/docserver-doctor-cli)]
#
# Environment: BENCH_DIR (default /tmp/dd-logbench) holds the generated log; RUNS (default 3)
# runs per tool, the fastest (by CPU time) is reported; FOLLOW_RATE, FOLLOW_SECONDS, FOLLOW_LINES
# shape the follow phases (followbench.py). Needs python3 and GNU time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
size_mb=${1:-1024}
cli=${2:-$root/build-release/app/docserver-doctor-cli}
dir=${BENCH_DIR:-/tmp/dd-logbench}
runs=${RUNS:-3}
mkdir -p "$dir"
log="$dir/mixed-${size_mb}M.log"
patterns="$dir/patterns.txt"

[ -x "$cli" ] || { echo "no CLI at $cli (see the header of $0)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
if [ ! -s "$log" ]; then
    echo "generating $log ..."
    python3 "$here/genlog.py" "$log" "$size_mb"
fi

# The same fixed strings the prefilter searches for, as one ERE per line.
python3 - "$root/resources/logs/rules.json" > "$patterns" <<'PY'
import json, re, sys
rules = json.load(open(sys.argv[1]))["rules"]
pats, statuses = set(), set()
for r in rules:
    m = r["match"]
    for lit in m.get("any", []):
        pats.add(re.sub(r'([.[\]()*+?{}|^$\\])', r'\\\1', lit))
    if not m.get("any"):
        statuses.update(m.get("status", []))
pats.add('HTTP/[0-9.]+" (%s) ' % "|".join(str(s) for s in sorted(statuses)))
print("\n".join(sorted(pats)))
PY

bytes=$(stat -L -c %s "$log")
lines=$(wc -l < "$log")
cat "$log" > /dev/null # warm the page cache
echo "log: $log, $((bytes / 1048576)) MiB, $lines lines; $(wc -l < "$patterns") patterns; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# Runs "$@" $runs times under GNU time; prints the fastest run's "wall cpu rss".
measure() {
    local out
    for _ in $(seq "$runs"); do
        out=$( { /usr/bin/time -f "%e %U %S %M" "$@" > "$dir/out.txt"; } 2>&1 | tail -1 ) # not /dev/null: grep then stops at the first match
        echo "$out"
    done | python3 -c 'import sys
runs = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
w, u, s, m = min(runs, key=lambda r: r[1] + r[2])
print(w, u + s, m)'
}

report() {
    python3 -c 'import sys
name, wall, cpu, rss, size, lines = sys.argv[1], *map(float, sys.argv[2:])
print("%-46s wall %6.2f s  cpu %6.2f s  %6.0f MB/s  %9.0f lines/s (by cpu)  peak RSS %6.1f MB"
      % (name, wall, cpu, size / 1048576 / cpu, lines / cpu, rss / 1024))' "$1" "$2" "$3" "$4" "$bytes" "$lines"
}

read -r w c r <<< "$(measure grep -E -c -f "$patterns" "$log")"
report "grep -E -c -f patterns.txt" "$w" "$c" "$r"
read -r w c r <<< "$(measure "$cli" logs classify --summary --json "$log")"
report "docserver-doctor-cli logs classify --summary" "$w" "$c" "$r"
echo "matching lines: grep $(grep -E -c -f "$patterns" "$log"); classified: $("$cli" logs classify --summary --json "$log" | python3 -c 'import json,sys; print(json.load(sys.stdin)["classified"])')"

# Follow mode: lines/s and latency of `logs follow` against `tail -F | grep -E` on the same
# stream (a writer appending the log's first lines), see followbench.py.
python3 "$here/followbench.py" "$cli" "$patterns" "$log" "$dir"

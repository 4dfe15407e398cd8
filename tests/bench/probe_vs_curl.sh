#!/usr/bin/env bash
# Compares `docserver-doctor-cli probe http` with `curl -w` against a throw-away nginx on
# 127.0.0.1: same requests, interleaved (probe, curl, probe, curl, ...), phase timings side by
# side, medians over N runs each. Not a timed test (ctest does not run it); it shows whether the
# probe's numbers are curl's numbers. Agreement criterion (issue 4): the medians of connect and
# time-to-first-byte differ by at most 15 % or 100 microseconds; exit 1 when they do not.
#
# usage: tests/bench/probe_vs_curl.sh [path/to/docserver-doctor-cli] [runs, default 200]
set -euo pipefail

cli=${1:-build/app/docserver-doctor-cli}
runs=${2:-200}
[[ -x $cli ]] || { echo "no CLI at $cli (pass its path as the first argument)" >&2; exit 2; }
command -v nginx >/dev/null || { echo "nginx is not installed" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }

dir=$(mktemp -d)
nginx_pid=
cleanup() {
    if [[ -n $nginx_pid ]] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill "$nginx_pid"
        wait "$nginx_pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
dead_port=$(free_port) # nothing listens here: /bad answers 502 like a proxy whose upstream is down

mkdir -p "$dir/logs"
cat >"$dir/nginx.conf" <<CONF
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 64; }
http {
    access_log off;
    server_tokens off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen 127.0.0.1:$port;
        location = /healthcheck { default_type text/plain; return 200 "true"; }
        location = /bad { proxy_pass http://127.0.0.1:$dead_port; }
    }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir" &
nginx_pid=$!
for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/healthcheck" && break
    sleep 0.1
done

bench() {
    local path=$1
    local url="http://127.0.0.1:$port$path"
    : >"$dir/probe.txt"
    : >"$dir/curl.txt"
    # Nothing else runs while a tool measures: outputs go to files and are parsed afterwards
    # (a python3 started in a pipe would compete for the CPU during the probe's exchange).
    for i in $(seq "$runs"); do
        "$cli" probe http "$url" --json >"$dir/probe-$i.json" || true
        curl -s -o /dev/null -w '%{time_connect} %{time_starttransfer} %{time_total}\n' "$url" >>"$dir/curl-s.txt"
    done
    python3 - "$dir" "$runs" >"$dir/probe.txt" <<'PY'
import json, sys
d, runs = sys.argv[1], int(sys.argv[2])
for i in range(1, runs + 1):
    t = json.load(open(f"{d}/probe-{i}.json"))["timings_ms"]
    print(t["connect"], t["ttfb"], t["total"])
PY
    awk '{ printf "%f %f %f\n", $1 * 1000, $2 * 1000, $3 * 1000 }' "$dir/curl-s.txt" >"$dir/curl.txt"
    rm -f "$dir"/probe-*.json "$dir/curl-s.txt"
    python3 - "$path" "$dir/probe.txt" "$dir/curl.txt" <<'PY'
import statistics, sys
path, probe_file, curl_file = sys.argv[1:]
def medians(name):
    rows = [[float(x) for x in line.split()] for line in open(name) if line.strip()]
    return [statistics.median(col) for col in zip(*rows)], len(rows)
(p, n), (c, _) = medians(probe_file), medians(curl_file)
print(f"{path}  ({n} runs, medians in ms)")
print(f"  {'':8}{'connect':>10}{'ttfb':>10}{'total':>10}")
print(f"  {'probe':8}{p[0]:10.3f}{p[1]:10.3f}{p[2]:10.3f}")
print(f"  {'curl':8}{c[0]:10.3f}{c[1]:10.3f}{c[2]:10.3f}")
ok = True
for name, a, b in (("connect", p[0], c[0]), ("ttfb", p[1], c[1])):
    diff = abs(a - b)
    agree = diff <= max(0.15 * b, 0.1)
    ok = ok and agree
    print(f"  {name:8} differ by {diff * 1000:7.1f} us ({100 * diff / b if b else 0:5.1f} %): {'agree' if agree else 'DISAGREE'}")
sys.exit(0 if ok else 1)
PY
}

status=0
bench /healthcheck || status=1
bench /bad || status=1
"$cli" probe http "http://127.0.0.1:$port/bad" || true
exit $status

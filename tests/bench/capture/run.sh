#!/bin/sh
# Capture benchmark: `docserver-doctor-cli capture analyze` against `tshark -q -z conv,tcp` and a
# bare libpcap read loop, on captures of real HTTP traffic through nginx on 127.0.0.1.
#
#   Command:  tests/bench/capture/run.sh [BUILD_DIR]        (not run by ctest)
#   Env:      SIZES="100000 1000000" (packets per capture), RUNS=3, KEEP=DIR (keep the captures),
#             CAPTURES=DIR (reuse DIR/cap-N.pcap instead of recording)
#
# It builds the CLI and the capture helper in Release (BUILD_DIR, default build-bench), starts an
# nginx on free loopback ports (a front proxy to a healthy backend, and to a closed port for some
# 502s), records each capture with docserver-doctor-capture --count N while curl loops send
# requests (bounded: --duration 600), then times every tool RUNS times on a warm cache and prints
# the best wall time, packets/s and the peak RSS from /usr/bin/time -v.
# Needs: nginx, curl, tshark, g++ and libpcap-dev, python3 (free ports), GNU time; root or the
# helper's CAP_NET_RAW. Only 127.0.0.1 is used.
set -eu

SRC=$(cd "$(dirname "$0")/../../.." && pwd)
BUILD=${1:-$SRC/build-bench}
SIZES=${SIZES:-"100000 1000000"}
RUNS=${RUNS:-3}
WORK=$(mktemp -d /tmp/dd-capture-bench.XXXXXX)
PIDS=""

cleanup() {
    for pid in $PIDS; do kill "$pid" 2>/dev/null || true; done
    if [ -f "$WORK/nginx.pid" ]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
    sleep 0.5
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

for tool in nginx curl tshark g++ python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: GNU time (/usr/bin/time) is needed" >&2; exit 2; }

echo "== building (Release) in $BUILD"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDD_BUILD_UI=OFF -DDD_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$BUILD" -j2 --target docserver-doctor-cli docserver-doctor-capture >"$WORK/build.log" 2>&1 ||
    { tail -30 "$WORK/build.log" >&2; exit 3; }
CLI="$BUILD/app/docserver-doctor-cli"
HELPER="$BUILD/app/docserver-doctor-capture"
g++ -O2 -o "$WORK/pcaploop" "$SRC/tests/bench/capture/pcaploop.cpp" -lpcap

record() { # $1 packets, $2 output file
    ports=$(python3 -c 'import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')
    set -- "$1" "$2" $ports
    n=$1 out=$2 front=$3 backend=$4 closed=$5
    mkdir -p "$WORK/nginx"
    cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/b; proxy_temp_path $WORK/nginx/p; fastcgi_temp_path $WORK/nginx/f;
  uwsgi_temp_path $WORK/nginx/u; scgi_temp_path $WORK/nginx/s;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$front;
    location /ok { proxy_pass http://127.0.0.1:$backend; proxy_set_header X-Forwarded-Proto https; }
    location /bad { proxy_pass http://127.0.0.1:$closed; }
  }
  server { listen 127.0.0.1:$backend; keepalive_requests 1000000; location / { return 200 "true"; } }
}
CONF
    nginx -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -g "daemon on; pid $WORK/nginx.pid;"
    i=0
    until curl -s -o /dev/null "http://127.0.0.1:$front/ok"; do
        i=$((i + 1)); [ $i -lt 50 ] || { echo "run.sh: nginx did not start" >&2; exit 3; }; sleep 0.1
    done
    "$HELPER" capture --iface lo --filter "tcp port $front or tcp port $backend or tcp port $closed" \
        --count "$n" --duration 600 >"$out" 2>"$WORK/helper.log" &
    helper=$!
    PIDS="$PIDS $helper"
    i=0
    until grep -q "capturing on" "$WORK/helper.log"; do
        i=$((i + 1)); [ $i -lt 100 ] || { cat "$WORK/helper.log" >&2; exit 3; }; sleep 0.1
    done
    loaders=""
    for k in 1 2; do
        curl -s -o /dev/null "http://127.0.0.1:$front/ok/$k/[1-100000000]" &
        loaders="$loaders $!"
    done
    (while :; do curl -s -o /dev/null "http://127.0.0.1:$front/bad"; sleep 0.02; done) &
    loaders="$loaders $!"
    PIDS="$PIDS $loaders"
    wait "$helper" || true
    for pid in $loaders; do kill "$pid" 2>/dev/null || true; done
    kill "$(cat "$WORK/nginx.pid")"
    rm -f "$WORK/nginx.pid"
    sleep 0.5
}

# Runs "$@" RUNS times; prints "best_wall_seconds peak_rss_kb" of the fastest run. The wall time
# comes from a nanosecond clock (GNU time rounds to 10 ms), the peak RSS from /usr/bin/time -v.
measure() {
    best="" rss=""
    r=0
    while [ $r -lt "$RUNS" ]; do
        start=$(date +%s%N)
        /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time.txt" || true
        end=$(date +%s%N)
        wall=$(awk "BEGIN { printf \"%.4f\", ($end - $start) / 1e9 }")
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
        if [ -z "$best" ] || awk "BEGIN { exit !($wall < $best) }"; then best=$wall rss=$kb; fi
        r=$((r + 1))
    done
    echo "$best $rss"
}

printf '\n%-10s %-56s %9s %12s %10s\n' "capture" "tool" "wall s" "packets/s" "peak RSS"
for n in $SIZES; do
    if [ -n "${CAPTURES:-}" ] && [ -f "$CAPTURES/cap-$n.pcap" ]; then
        file="$CAPTURES/cap-$n.pcap"
    else
        file="$WORK/cap-$n.pcap"
        record "$n" "$file"
        if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$file" "$KEEP/"; fi
    fi
    packets=$("$WORK/pcaploop" "$file" | awk '{ print $1 }')
    cat "$file" >/dev/null # warm cache
    for tool in analyze analyze_libpcap tshark bare; do
        case $tool in
        analyze) set -- "$CLI" capture analyze "$file" ;;
        analyze_libpcap) set -- "$CLI" capture analyze "$file" --reader libpcap ;;
        tshark) set -- tshark -q -z conv,tcp -r "$file" ;;
        bare) set -- "$WORK/pcaploop" "$file" ;;
        esac
        result=$(measure "$@")
        wall=${result% *} kb=${result#* }
        eval "wall_$tool=$wall"
        label="$*"
        label=$(echo "$label" | sed "s|$file|FILE|; s|$BUILD/app/||; s|$WORK/||")
        printf '%-10s %-56s %9.4f %12.0f %8.1f MB\n' "$packets" "$label" "$wall" \
            "$(awk "BEGIN { print ($wall > 0 ? $packets / $wall : 0) }")" "$(awk "BEGIN { print $kb / 1024 }")"
    done
    awk "BEGIN { printf \"%-10s tshark / analyze = %.1fx, analyze / bare libpcap loop = %.2fx\\n\", \"\", \
        $wall_tshark / $wall_analyze, $wall_analyze / ($wall_bare > 0 ? $wall_bare : 0.001) }"
done

#!/bin/sh
# Capture benchmark: `docserver-doctor-cli capture analyze` (and the same command built alone as
# docserver-doctor-capture-analyze, which links neither Qt Network, OpenSSL, libpq nor hiredis)
# against `tshark -q -z conv,tcp` and a bare libpcap read loop, on captures of real HTTP traffic
# through nginx on 127.0.0.1.
#
#   Command:  tests/bench/capture/run.sh [BUILD_DIR]        (not run by ctest)
#   Env:      SIZES="100000 1000000" (packets per capture), RUNS=3, KEEP=DIR (keep the captures),
#             CAPTURES=DIR (reuse DIR/cap-N.pcap instead of recording)
#
# It builds the CLI, the lean analyzer and the capture helper in Release (BUILD_DIR, default build-bench), starts an
# nginx on free loopback ports (a front proxy to a healthy backend, and to a closed port for some
# 502s), records each capture with docserver-doctor-capture --count N while curl loops send
# requests (bounded: --duration 600), then times every tool RUNS times on a warm cache (the tools
# taking turns) and prints each one's best wall time, packets/s and the peak RSS from /usr/bin/time -v.
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
cmake --build "$BUILD" -j2 --target docserver-doctor-cli docserver-doctor-capture-analyze docserver-doctor-capture \
    >"$WORK/build.log" 2>&1 ||
    { tail -30 "$WORK/build.log" >&2; exit 3; }
CLI="$BUILD/app/docserver-doctor-cli"
LEAN="$BUILD/app/docserver-doctor-capture-analyze"
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

# Runs "$@" once; prints "wall_seconds peak_rss_kb". The wall time comes from a nanosecond clock
# (GNU time rounds to 10 ms), the peak RSS from /usr/bin/time -v.
run_once() {
    start=$(date +%s%N)
    /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time.txt" || true
    end=$(date +%s%N)
    wall=$(awk "BEGIN { printf \"%.4f\", ($end - $start) / 1e9 }")
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
    echo "$wall $kb"
}

TOOLS="analyze lean analyze_libpcap tshark bare"
command_of() { # $1 tool, $2 file: sets CMD to its command line, quoted for `eval set --`
    case $1 in
    analyze) CMD="\"$CLI\" capture analyze \"$2\"" ;;
    lean) CMD="\"$LEAN\" \"$2\"" ;;
    analyze_libpcap) CMD="\"$CLI\" capture analyze \"$2\" --reader libpcap" ;;
    tshark) CMD="tshark -q -z conv,tcp -r \"$2\"" ;;
    bare) CMD="\"$WORK/pcaploop\" \"$2\"" ;;
    esac
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
    # The tools take turns, RUNS rounds, so that a change in the machine's load meets all of them;
    # each keeps its fastest run.
    for tool in $TOOLS; do eval "wall_$tool=; kb_$tool="; done
    r=0
    while [ $r -lt "$RUNS" ]; do
        for tool in $TOOLS; do
            command_of "$tool" "$file"
            eval "set -- $CMD"
            result=$(run_once "$@")
            wall=${result% *} kb=${result#* }
            best=$(eval "echo \$wall_$tool")
            if [ -z "$best" ] || awk "BEGIN { exit !($wall < $best) }"; then eval "wall_$tool=$wall; kb_$tool=$kb"; fi
        done
        r=$((r + 1))
    done
    for tool in $TOOLS; do
        command_of "$tool" "$file"
        eval "set -- $CMD"
        wall=$(eval "echo \$wall_$tool") kb=$(eval "echo \$kb_$tool")
        label=$(echo "$*" | sed "s|$file|FILE|; s|$BUILD/app/||; s|$WORK/||")
        printf '%-10s %-56s %9.4f %12.0f %8.1f MB\n' "$packets" "$label" "$wall" \
            "$(awk "BEGIN { print ($wall > 0 ? $packets / $wall : 0) }")" "$(awk "BEGIN { print $kb / 1024 }")"
    done
    awk "BEGIN { printf \"%-10s tshark / analyze = %.1fx, analyze / bare libpcap loop = %.2fx (docserver-doctor-cli)\\n\", \"\", \
        $wall_tshark / $wall_analyze, $wall_analyze / ($wall_bare > 0 ? $wall_bare : 0.001) }"
    awk "BEGIN { printf \"%-10s tshark / analyze = %.1fx, analyze / bare libpcap loop = %.2fx (docserver-doctor-capture-analyze)\\n\", \"\", \
        $wall_tshark / $wall_lean, $wall_lean / ($wall_bare > 0 ? $wall_bare : 0.001) }"
done

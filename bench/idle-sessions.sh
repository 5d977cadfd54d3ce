#!/usr/bin/env bash
# Memory per idle client session: mxgate in front of smtp-sink, then 10 000 client sessions
# that stop after EHLO. Reports RSS per session over the JVM's own baseline 2 s after the last
# EHLO and again after the sessions stayed idle a while, live heap (after a full GC) per
# session, and checks that idle clients hold no backend connection. Measured twice: with the
# default JVM options (MXGATE_JAVA_OPTS, empty unless set) and with the production
# ones, BENCH_PRODUCTION_OPTS: by default what bin/mxgate and the systemd unit in
# deploy/systemd/ start the gateway with (-XX:+ExitOnOutOfMemoryError
# -XX:G1PeriodicGCInterval=30000 -Xmx512m).
#
# Needs postfix (for smtp-sink), a JDK and Maven. Environment: BENCH_SESSIONS (default 10000),
# BENCH_IDLE_SETTLE (seconds the sessions stay idle before the second RSS figure, the live heap
# and the backend check, default 80), BENCH_PORT_BASE (default 21125), MXGATE_JAVA_OPTS,
# BENCH_PRODUCTION_OPTS.
set -euo pipefail
source "$(dirname "$0")/common.sh"

SESSIONS="${BENCH_SESSIONS:-10000}"
SETTLE="${BENCH_IDLE_SETTLE:-80}"
BASE="${BENCH_PORT_BASE:-21125}"
SINK_PORT=$BASE; MXGATE_PORT=$((BASE + 3))
need smtp-sink java
for port in $SINK_PORT $MXGATE_PORT; do
    port_free "$port" || { echo "bench: port $port is in use; set BENCH_PORT_BASE" >&2; exit 2; }
done
build_jar
ulimit -n 20000

WORK="$(mktemp -d /tmp/mxgate-idle.XXXXXX)"
chmod 755 "$WORK"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

sink_user=()
[ "$(id -u)" = 0 ] && sink_user=(-u postfix)
smtp-sink "${sink_user[@]}" -c "127.0.0.1:$SINK_PORT" 1024 > "$WORK/sink.out" 2>&1 &
pids+=($!)
await_port "$SINK_PORT"

sink_sessions() { tail -c 200 "$WORK/sink.out" | tr '\r' '\n' | grep -o 'sess=[0-9]*' | tail -1 | cut -d= -f2 || true; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$MXGATE_PID/status"; }
# Live heap after a full collection, in KB.
heap_kb() {
    jcmd "$MXGATE_PID" GC.run >/dev/null
    jcmd "$MXGATE_PID" GC.heap_info | awk '/garbage-first heap|PSYoungGen|def new generation|heap/ && /used/ {
        for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print v; exit } }'
}

# measure LABEL JAVA_OPTS: a fresh mxgate with those options, its memory with the idle sessions.
measure() {
    local label="$1" base_rss base_heap base_sink early_rss rss heap sink client fifo
    # Every idle client is 127.0.0.1: the limits per address, per listener and per process are
    # lifted above the sessions held, or the gateway refuses them as the attack they would be.
    MXGATE_JAVA_OPTS="$2" MXGATE_PER_IP=0 start_mxgate "$WORK/$label" "$MXGATE_PORT" "$SINK_PORT" \
        "max_connections: $((SESSIONS + 1000))" ", max_connections: 0"
    pids+=("$MXGATE_PID")
    echo "$label JVM options: ${2:-(none)}"
    # Warm up the code paths an idle session uses, then take the baseline.
    java "$ROOT/bench/IdleClients.java" 127.0.0.1 "$MXGATE_PORT" 200 < /dev/null > /dev/null
    sleep 1
    base_rss="$(rss_kb)"; base_heap="$(heap_kb)"; base_sink="$(sink_sessions)"

    fifo="$WORK/$label.hold"
    mkfifo "$fifo"
    java "$ROOT/bench/IdleClients.java" 127.0.0.1 "$MXGATE_PORT" "$SESSIONS" < "$fifo" > "$WORK/$label.clients" 2>&1 &
    client=$!
    pids+=("$client")
    exec 7>"$fifo"
    for _ in $(seq 1 600); do
        grep -q '^ready' "$WORK/$label.clients" && break
        kill -0 "$client" 2>/dev/null || { cat "$WORK/$label.clients"; exit 1; }
        sleep 0.2
    done
    grep -q '^ready' "$WORK/$label.clients" || { echo "bench: clients not ready" >&2; exit 1; }
    sleep 2
    early_rss="$(rss_kb)"
    # Then the sessions stay idle SETTLE seconds more: long enough for the launcher's periodic
    # collection to give back the heap that their setting-up garbage grew. G1 looks every 30 s
    # (-XX:G1PeriodicGCInterval=30000) for 30 s without a collection, so it comes 30 to 60 s
    # after the last one, which setting the sessions up caused.
    sleep "$SETTLE"
    rss="$(rss_kb)"; heap="$(heap_kb)"; sink="$(sink_sessions)"
    exec 7>&-

    awk -v n="$SESSIONS" -v br="$base_rss" -v er="$early_rss" -v r="$rss" -v bh="$base_heap" -v h="$heap" \
        -v settle="$SETTLE" 'BEGIN {
        printf "idle sessions        %d\n", n
        printf "RSS     baseline %8.1f MB   with sessions %8.1f MB   per session %6.2f KB (2 s after the last EHLO)\n", br/1024, er/1024, (er-br)/n
        printf "RSS     baseline %8.1f MB   with sessions %8.1f MB   per session %6.2f KB (idle %d s more)\n", br/1024, r/1024, (r-br)/n, settle
        printf "heap    baseline %8.1f MB   with sessions %8.1f MB   per session %6.2f KB (live, after full GC)\n", bh/1024, h/1024, (h-bh)/n
    }'
    if [ "${sink:-0}" != "${base_sink:-0}" ]; then
        echo "FAIL: idle clients opened backend sessions (sink sessions ${base_sink:-0} -> $sink)" >&2
        exit 1
    fi
    echo "backend sessions held by idle clients: 0"
    kill "$client" 2>/dev/null || true
    kill "$MXGATE_PID"
    wait "$client" "$MXGATE_PID" 2>/dev/null || true
}

measure default "${MXGATE_JAVA_OPTS:-}"
echo
measure production "${BENCH_PRODUCTION_OPTS:--XX:+ExitOnOutOfMemoryError -XX:G1PeriodicGCInterval=30000 -Xmx512m}"

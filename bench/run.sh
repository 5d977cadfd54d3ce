#!/usr/bin/env bash
# Throughput and latency of mxgate against its baselines, all in one invocation, alternating:
#   direct   smtp-source -> smtp-sink                      (the floor)
#   haproxy  smtp-source -> HAProxy mode tcp -> smtp-sink  (the layer-4 limit)
#   postfix  smtp-source -> Postfix relay -> smtp-sink     (the MTA peer)
#   mxgate   smtp-source -> mxgate -> smtp-sink
#   shared   smtp-source -> mxgate -> smtp-sink, with shared_state on a local redis-server and
#            the message and recipient rates per address counted (limits too high to refuse),
#            so every session and every message goes to Redis; skipped without redis-server
# Shapes: a new session per message with 20 in parallel; 20 persistent sessions (-d); one
# persistent session. Every run checks the sink's counter rose by exactly the messages sent.
# Prints one line per run, then the medians and the ratios (docs/performance.md).
#
# Needs root (a private Postfix instance), postfix, haproxy, smtp-source/smtp-sink, a JDK, Maven.
# Environment: BENCH_MESSAGES (per parallel run, default 20000), BENCH_SINGLE (one-session run,
# default 3000), BENCH_RUNS (default 3), BENCH_PORT_BASE (default 21025), BENCH_SHARED (0 skips
# the shared target), MXGATE_JAVA_OPTS.
set -euo pipefail
source "$(dirname "$0")/common.sh"

MESSAGES="${BENCH_MESSAGES:-20000}"
SINGLE="${BENCH_SINGLE:-3000}"
RUNS="${BENCH_RUNS:-3}"
BASE="${BENCH_PORT_BASE:-21025}"
SINK_PORT=$BASE; HAPROXY_PORT=$((BASE + 1)); POSTFIX_PORT=$((BASE + 2)); MXGATE_PORT=$((BASE + 3))
SHARED_PORT=$((BASE + 4)); REDIS_PORT=$((BASE + 5))
TARGETS=(direct haproxy postfix mxgate)
if [ "${BENCH_SHARED:-1}" != 0 ] && command -v redis-server >/dev/null 2>&1; then
    TARGETS+=(shared)
else
    echo "bench: no redis-server (or BENCH_SHARED=0): the shared target is skipped" >&2
fi
SIZE=4096

need smtp-source smtp-sink haproxy postfix java
prepare_run bench $SINK_PORT $HAPROXY_PORT $POSTFIX_PORT $MXGATE_PORT $SHARED_PORT $REDIS_PORT

smtp-sink -u postfix -c "127.0.0.1:$SINK_PORT" 1024 > "$WORK/sink.out" 2>&1 &
pids+=($!)
await_port "$SINK_PORT"

cat > "$WORK/haproxy.cfg" <<CFG
global
    maxconn 5000
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen smtp
    bind 127.0.0.1:$HAPROXY_PORT
    server sink 127.0.0.1:$SINK_PORT
CFG
haproxy -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy.out" 2>&1 &
pids+=($!)
await_port "$HAPROXY_PORT"

start_postfix "$WORK/postfix" relay "$POSTFIX_PORT" "relayhost = [127.0.0.1]:$SINK_PORT"

start_mxgate "$WORK/mxgate" "$MXGATE_PORT" "$SINK_PORT"
pids+=("$MXGATE_PID")

if [[ " ${TARGETS[*]} " == *" shared "* ]]; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        > "$WORK/redis.out" 2>&1 &
    pids+=($!)
    await_port "$REDIS_PORT"
    start_mxgate "$WORK/shared" "$SHARED_PORT" "$SINK_PORT" \
        "shared_state: { redis: \"redis://127.0.0.1:$REDIS_PORT\" }" \
        ", max_message_rate_per_ip: 1000000, max_recipient_rate_per_ip: 1000000"
    pids+=("$MXGATE_PID")
fi

port_of() {
    case "$1" in
        direct) echo "$SINK_PORT" ;; haproxy) echo "$HAPROXY_PORT" ;;
        postfix) echo "$POSTFIX_PORT" ;; mxgate) echo "$MXGATE_PORT" ;; shared) echo "$SHARED_PORT" ;;
    esac
}

sink_count() {
    # Only the file's end: the sink rewrites one counter line (CR-separated) after every message.
    tail -c 200 "$WORK/sink.out" | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2 || echo 0
}

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# run_once TARGET SHAPE: sends, waits until the sink has every message, prints seconds taken.
run_once() {
    local target="$1" shape="$2" n options before start deadline count
    case "$shape" in
        new20) n=$MESSAGES; options=(-s 20) ;;
        persistent20) n=$MESSAGES; options=(-d -s 20) ;;
        single) n=$SINGLE; options=(-d -s 1) ;;
    esac
    before="$(sink_count)"
    before="${before:-0}"
    start="$(now)"
    timeout 900 smtp-source "${options[@]}" -m "$n" -l "$SIZE" -f bench@client.test -t user@bench.test \
        "127.0.0.1:$(port_of "$target")"
    # Postfix queues first and delivers after: the run ends when the sink has them all.
    deadline=$((SECONDS + 600))
    while :; do
        count="$(sink_count)"
        [ "$((count - before))" -ge "$n" ] && break
        if [ $SECONDS -ge $deadline ]; then
            echo "LOSS: $target $shape: the sink got $((count - before)) of $n" >&2
            exit 1
        fi
        sleep 0.02
    done
    local elapsed
    elapsed="$(calc "$(now) - $start")"
    sleep 0.3
    count="$(sink_count)"
    if [ "$((count - before))" -ne "$n" ]; then
        echo "DUPLICATES: $target $shape: the sink got $((count - before)) for $n sent" >&2
        exit 1
    fi
    echo "$elapsed"
}

# Warm-up: Postfix starts its processes; the JVM needs tens of thousands of messages before
# its compiler has settled (measured: CPU per message falls by half over the first 40 000).
for target in "${TARGETS[@]}"; do
    warm=2000
    [[ "$target" = mxgate || "$target" = shared ]] && warm=40000
    MESSAGES=$warm run_once "$target" persistent20 >/dev/null
    MESSAGES=$((warm / 4)) run_once "$target" new20 >/dev/null
done

declare -A results
printf '%-8s %-13s %3s %10s %12s\n' target shape run seconds result
for shape in new20 persistent20 single; do
    for run in $(seq 1 "$RUNS"); do
        for target in "${TARGETS[@]}"; do
            seconds="$(run_once "$target" "$shape")"
            if [ "$shape" = single ]; then
                value="$(calc "$seconds * 1000 / $SINGLE")"
                printf '%-8s %-13s %3d %10.2f %9.3f ms/msg\n' "$target" "$shape" "$run" "$seconds" "$value"
            else
                value="$(calc "$MESSAGES / $seconds")"
                printf '%-8s %-13s %3d %10.2f %9.0f msg/s\n' "$target" "$shape" "$run" "$seconds" "$value"
            fi
            results["$target.$shape"]+="$value "
        done
    done
done


echo
echo "medians of $RUNS runs ($MESSAGES messages per parallel run, $SINGLE in one session, $SIZE-byte bodies)"
printf '%-13s' shape; printf ' %10s' "${TARGETS[@]}"; echo
for shape in new20 persistent20 single; do
    row=()
    for target in "${TARGETS[@]}"; do
        m="$(median "${results[$target.$shape]}")"
        results["median.$target.$shape"]="$m"
        if [ "$shape" = single ]; then row+=("$(printf '%.3f' "$m")"); else row+=("$(printf '%.0f' "$m")"); fi
    done
    unit="msg/s"; [ "$shape" = single ] && unit="ms/msg"
    printf '%-13s' "$shape"; printf ' %10s' "${row[@]}"; echo "  $unit"
done

# How steady each figure was: the runs' range as a share of their median. A ratio between two
# targets means little when their ranges are wider than the gap between them.
echo
echo "spread (max - min) / median of the $RUNS runs"
printf '%-13s' shape; printf ' %10s' "${TARGETS[@]}"; echo
for shape in new20 persistent20 single; do
    row=()
    for target in "${TARGETS[@]}"; do
        row+=("$(spread "${results[$target.$shape]}")")
    done
    printf '%-13s' "$shape"; printf ' %10s' "${row[@]}"; echo
done

ratio() { calc "${results[median.$1]} / ${results[median.$2]}"; }
echo
echo "ratios (goals in parentheses)"
printf 'persistent20  mxgate/haproxy %.2f (>= 0.75)   mxgate/postfix %.1f (>= 10)\n' \
    "$(ratio mxgate.persistent20 haproxy.persistent20)" "$(ratio mxgate.persistent20 postfix.persistent20)"
printf 'new20         mxgate/haproxy %.2f (>= 1.0)    mxgate/postfix %.1f (>= 10)\n' \
    "$(ratio mxgate.new20 haproxy.new20)" "$(ratio mxgate.new20 postfix.new20)"
printf 'single        mxgate - direct %.3f ms/msg added (<= 0.25)\n' \
    "$(calc "${results[median.mxgate.single]} - ${results[median.direct.single]}")"
if [[ " ${TARGETS[*]} " == *" shared "* ]]; then
    printf 'shared state  shared/mxgate   persistent20 %.2f   new20 %.2f   single %.3f ms/msg added\n' \
        "$(ratio shared.persistent20 mxgate.persistent20)" "$(ratio shared.new20 mxgate.new20)" \
        "$(calc "${results[median.shared.single]} - ${results[median.mxgate.single]}")"
    # Every message the shared target took, warm-up included, against what Redis ran and spent.
    shared_messages=$((40000 + 10000 + RUNS * (2 * MESSAGES + SINGLE)))
    redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' | grep '^cmdstat_' \
        | awk -F'[:=,]' -v m="$shared_messages" '{ calls += $3 }
            END { printf "redis         %.1f commands run per message (INFO commandstats, %d messages)\n", calls / m, m }'
    redis-cli -p "$REDIS_PORT" info cpu | tr -d '\r' | grep -E '^used_cpu_(sys|user):' \
        | awk -F: -v m="$shared_messages" '{ cpu += $2 }
            END { printf "redis         %.1f us of CPU per message: one Redis core carries about %.0f msg/s\n", cpu * 1e6 / m, m / cpu }'
fi
echo "loss: none (every run's sink count matched the messages sent)"

#!/usr/bin/env bash
# The shapes of real MX traffic that run.sh does not send, each beside its baselines in one
# invocation, the targets alternating within each run. bench/LoadClient.java is the client,
# except in the starttls shape: bench/NettyLoadClient.java there.
#   starttls  STARTTLS from the client, a new session per message (20 in parallel and one at a
#             time) and 20 persistent sessions, against a Postfix relay doing STARTTLS (the MTA
#             peer), mxgate with `tls: starttls` on its default library (BoringSSL), the same
#             with `tls.library: jdk`, and plaintext mxgate without STARTTLS (the cost of TLS).
#             The client is NettyLoadClient for every target and series of the shape (warm-ups
#             included): one event loop, BoringSSL through Netty (from mxgate.jar), a fraction of
#             the blocking LoadClient's CPU per session, so it takes little of the cores the
#             servers share; BENCH_CLIENT_TLS=openssl for LoadClient on BoringSSL, jdk for
#             LoadClient on the JDK's TLS (the clients of earlier figures).
#             Then the same new sessions again with the client resuming (--resume: each session
#             offers the ticket its server gave last, as an MTA's TLS session cache does).
#             One at a time, Postfix also without STARTTLS (postfix-plain), to show what STARTTLS
#             adds to a session with the MTA peer. CPU per message for every target:
#             mxgate's from /proc, Postfix's from its cgroup (all its processes), and the TLS
#             sessions a CPU second carries on each (the ratio that holds whatever the client takes)
#   size      100 KB and 5 MB messages over 4 persistent sessions, HAProxy mode tcp and mxgate,
#             in MB/s, with mxgate's peak RSS during each run
#   failover  20 persistent sessions through mxgate to one healthy backend (smtp-sink), to two
#             healthy ones (bench/PressureSink.java without pressure, smtp-sink), and to two of
#             which the first answers 452 4.3.1 to every second MAIL
#   tail      mxgate's maximum with 20 persistent sessions, then p50/p99/p99.9 latency at a fixed
#             offered rate of half of it, mxgate beside HAProxy
#   idle      bench/idle-sessions.sh: RSS and heap per idle session, default and production JVM
# Every run checks that the client got a 250 for every message and that the target's sinks
# counted exactly those 250s (no loss, no duplicate). Prints one line per run, then for each
# shape the medians, the spread of the runs and the ratios (docs/performance.md).
#
# Needs root (a private Postfix instance), postfix, haproxy, smtp-sink, openssl, a JDK, Maven.
# Environment (defaults in parentheses; shrink them all for a smoke run):
#   BENCH_SHAPES ("starttls size failover tail idle"), BENCH_RUNS (3),
#   BENCH_MESSAGES (4 KB messages per run of failover and tail, 20000),
#   BENCH_TLS_MESSAGES (per STARTTLS run, 5000), BENCH_TLS_WARMUP (the client's own untimed
#   sessions before each STARTTLS run, 3000), BENCH_TLS_ECDSA (1: an ECDSA pair beside the RSA
#   one on Postfix and mxgate; 0: RSA only, as in figures before 2026-11-28), BENCH_LARGE_MESSAGES (100 KB, 5000),
#   BENCH_HUGE_MESSAGES (5 MB, 100), BENCH_WARMUP (4 KB messages that warm each target before a
#   shape's runs, 40000), BENCH_COOLDOWN (the failover pool's pressure_cooldown, 0s),
#   BENCH_SESSIONS (idle sessions, 10000), BENCH_PORT_BASE (21225), MXGATE_JAVA_OPTS,
#   BENCH_CLIENT_TLS (the starttls shape's client: netty; openssl, jdk: LoadClient on that TLS),
#   BENCH_CLIENT_JAVA_OPTS (its JVM options: -XX:TieredStopAtLevel=1 for netty, none for the others;
#   set but empty for none),
#   BENCH_PRODUCTION_OPTS (see idle-sessions.sh).
set -euo pipefail
source "$(dirname "$0")/common.sh"

SHAPES="${BENCH_SHAPES:-starttls size failover tail idle}"
RUNS="${BENCH_RUNS:-3}"
MESSAGES="${BENCH_MESSAGES:-20000}"
TLS_MESSAGES="${BENCH_TLS_MESSAGES:-5000}"
TLS_WARMUP="${BENCH_TLS_WARMUP:-3000}"
TLS_ECDSA="${BENCH_TLS_ECDSA:-1}"
LARGE_MESSAGES="${BENCH_LARGE_MESSAGES:-5000}"
HUGE_MESSAGES="${BENCH_HUGE_MESSAGES:-100}"
WARMUP="${BENCH_WARMUP:-40000}"
COOLDOWN="${BENCH_COOLDOWN:-0s}"
BASE="${BENCH_PORT_BASE:-21225}"
declare -A port=([sink]=$BASE [haproxy]=$((BASE + 1)) [postfix]=$((BASE + 2)) [mxgate]=$((BASE + 3))
    [mxgate-tls]=$((BASE + 4)) [two]=$((BASE + 5)) [failover]=$((BASE + 6)) [calm-sink]=$((BASE + 7))
    [pressure-sink]=$((BASE + 8)) [mxgate-jdk]=$((BASE + 9)))
# The starttls shape's Postfix relay without STARTTLS from the client: the same instance.
port[postfix-plain]=${port[postfix]}
SIZE=4096

need smtp-sink haproxy postfix openssl java javac
prepare_run shapes "${port[@]}"

# The Java programs, compiled once: a source-file launch would compile them at every run.
# mxgate.jar on the class path gives NettyLoadClient Netty and BoringSSL, and LoadClient BoringSSL
# through Netty's engine (--openssl).
javac -cp "$JAR" -d "$WORK/classes" "$ROOT/bench/LoadClient.java" "$ROOT/bench/NettyLoadClient.java" \
    "$ROOT/bench/PressureSink.java"
CLASSES="$WORK/classes:$JAR"
# The starttls shape's client (CLIENT while that shape runs; LoadClient elsewhere) and its TLS option.
case "${BENCH_CLIENT_TLS:-netty}" in
    netty) TLS_CLIENT=NettyLoadClient CLIENT_TLS="" CLIENT_TLS_NAME="NettyLoadClient on BoringSSL"
        # A client JVM lives for 8 000 sessions, too short for C2 to pay back its compiling:
        # with C1 alone the client took about half the CPU per session.
        TLS_CLIENT_OPTS="${BENCH_CLIENT_JAVA_OPTS--XX:TieredStopAtLevel=1}" ;;
    openssl) TLS_CLIENT=LoadClient CLIENT_TLS="--openssl" CLIENT_TLS_NAME="LoadClient on BoringSSL"
        TLS_CLIENT_OPTS="${BENCH_CLIENT_JAVA_OPTS:-}" ;;
    jdk) TLS_CLIENT=LoadClient CLIENT_TLS="" CLIENT_TLS_NAME="LoadClient on the JDK's TLS"
        TLS_CLIENT_OPTS="${BENCH_CLIENT_JAVA_OPTS:-}" ;;
    *) echo "bench: BENCH_CLIENT_TLS is netty, openssl or jdk" >&2; exit 2 ;;
esac
CLIENT=LoadClient CLIENT_OPTS=""

smtp-sink -u postfix -c "127.0.0.1:${port[sink]}" 1024 > "$WORK/sink.out" 2>&1 &
pids+=($!)
cat > "$WORK/haproxy.cfg" <<CFG
global
    maxconn 5000
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen smtp
    bind 127.0.0.1:${port[haproxy]}
    server sink 127.0.0.1:${port[sink]}
CFG
haproxy -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy.out" 2>&1 &
pids+=($!)
await_port "${port[sink]}"
await_port "${port[haproxy]}"

now_ms() { date +%s%3N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# The messages each sink has accepted: smtp-sink rewrites one counter line (CR-separated) after
# every message; PressureSink rewrites its status file.
sink_count() { tail -c 200 "$WORK/sink.out" | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2 || echo 0; }
file_count() { local v; v="$(sed -n 's/^accepted=\([0-9]*\).*/\1/p' "$WORK/$1.status" 2>/dev/null)"; echo "${v:-0}"; }
count_of() {
    case "$1" in
        two) echo $(($(sink_count) + $(file_count calm-sink))) ;;
        failover) echo $(($(sink_count) + $(file_count pressure-sink))) ;;
        *) sink_count ;;
    esac
}

# load TARGET N CLIENT_OPTIONS...: one run of the client CLIENT with the JVM options CLIENT_OPTS
# (after a tenth of N as its own warm-up, unless the options say --warmup).
# Fails unless every message got a 250 and the target's sinks counted exactly those 250s. Sets
# RESULT (the client's "result k=v" line) and TAKEN: the client's seconds, or for a target that
# queues before it delivers (Postfix), the seconds until the sinks had every message.
load() {
    local target="$1" n="$2" before out ok count deadline
    shift 2
    before="$(count_of "$target")"
    # shellcheck disable=SC2086 # JVM options are a list
    out="$(java $CLIENT_OPTS -cp "$CLASSES" "$CLIENT" "127.0.0.1:${port[$target]}" --messages "$n" \
        --warmup $((n / 10)) "$@")" || { printf '%s\n' "$out" >&2; exit 1; }
    RESULT="$(grep '^result ' <<< "$out")"
    ok="$(field ok)"
    # The warm-up is a tenth of N unless the options gave another, which the client reports.
    if [ "$(field other)" != 0 ] || [ "$ok" -ne $((n + $(field warmup))) ]; then
        printf '%s\n' "$out" >&2
        echo "REFUSED: $target: $ok 250s for $((n + $(field warmup))) messages" >&2
        exit 1
    fi
    TAKEN="$(field seconds)"
    count="$(count_of "$target")"
    if [ "$((count - before))" -lt "$ok" ]; then
        deadline=$((SECONDS + 600))
        while [ "$((count - before))" -lt "$ok" ]; do
            if [ $SECONDS -ge $deadline ]; then
                echo "LOSS: $target: the sinks counted $((count - before)) of $ok accepted" >&2
                exit 1
            fi
            sleep 0.02
            count="$(count_of "$target")"
        done
        TAKEN="$(calc "($(now_ms) - $(field start_ms)) / 1000")"
    fi
    # Long enough for a late duplicate to show, and for PressureSink's file (10 writes a second).
    sleep 0.3
    count="$(count_of "$target")"
    if [ "$((count - before))" -ne "$ok" ]; then
        echo "DUPLICATES: $target: the sinks counted $((count - before)) for $ok accepted" >&2
        exit 1
    fi
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$RESULT"; }

# series SHAPE N "TARGETS" CLIENT_OPTIONS...: RUNS runs of each target, alternating, one line
# each; records msg/s, MB/s, latency and handshake time under R[SHAPE.TARGET.metric].
# extra[TARGET] adds client options for one target only; RSS_PID, if set, is sampled each run;
# CPU_PID[TARGET], if set, is the target's process (or cg:NAME, its cgroup), whose CPU per message
# (warm-up included) the run records.
series() {
    local shape="$1" n="$2" targets="$3" run target rate mbs sampler cpu
    shift 3
    for run in $(seq 1 "$RUNS"); do
        for target in $targets; do
            cpu="$(cpu_ticks "${CPU_PID[$target]:-}")"
            # shellcheck disable=SC2086 # extra options are a list
            if [ -n "${RSS_PID:-}" ] && [ "$target" = mxgate ]; then
                sample_rss "$RSS_PID" > "$WORK/rss" &
                sampler=$!
                load "$target" "$n" "$@" ${extra[$target]:-}
                kill "$sampler"; wait "$sampler" 2>/dev/null || true
                R[$shape.$target.rss]+="$(sort -n "$WORK/rss" | tail -1 | awk '{printf "%.0f", $1 / 1024}') "
            else
                load "$target" "$n" "$@" ${extra[$target]:-}
            fi
            if [ -n "$cpu" ]; then
                R[$shape.$target.cpu]+="$(calc "($(cpu_ticks "${CPU_PID[$target]}") - $cpu) * 1000 / $TICKS \
                    / ($n + $(field warmup))") "
            fi
            rate="$(calc "$n / $TAKEN")"
            mbs="$(calc "$(field mbs) * $(field seconds) / $TAKEN")"
            R[$shape.$target.msgs]+="$rate "
            R[$shape.$target.mbs]+="$mbs "
            R[$shape.$target.p50]+="$(field p50) "
            R[$shape.$target.p99]+="$(field p99) "
            R[$shape.$target.p999]+="$(field p999) "
            R[$shape.$target.hs]+="$(field handshake_p50) "
            R[$shape.$target.resumed]+="$(field resumed) "
            R[$shape.$target.cores]+="$(field client_cores) "
            printf '%-13s %-11s %2d %8.2f s %9.1f msg/s %8.2f MB/s   p50 %8.3f  p99 %8.3f  p99.9 %8.3f ms\n' \
                "$shape" "$target" "$run" "$TAKEN" "$rate" "$mbs" "$(field p50)" "$(field p99)" "$(field p999)"
        done
    done
}
# The user and system CPU a process has used, in clock ticks; nothing without a pid. "cg:NAME"
# instead of a pid: all the processes of the cgroup NAME (common.sh's in_cgroup), Postfix's.
cpu_ticks() {
    case "$1" in
        "") ;;
        cg:*) local ns; ns="$(cgroup_ns "${1#cg:}")"; [ -n "$ns" ] && calc "$ns * $TICKS / 1000000000" ;;
        *) awk '{print $14 + $15}' "/proc/$1/stat" ;;
    esac
}
TICKS="$(getconf CLK_TCK)"
declare -A R extra CPU_PID=()

# table SHAPE "TARGETS" [METRIC]: the medians of a series, one line per target, and how steady
# METRIC (msgs unless named) was: (max - min) / median of the runs. RSS is the peak of all runs;
# "client" is the cores the client itself used (the machine's cores are shared by everything);
# "CPU ms" the target's own CPU per message, where the shape knows its process.
table() {
    local shape="$1" targets="$2" metric="${3:-msgs}" target
    echo
    echo "$shape: medians of $RUNS runs, spread of ${metric/msgs/msg\/s}"
    printf '  %-11s %9s %7s %9s %9s %9s %9s %10s %8s %7s %8s\n' target msg/s spread MB/s 'p50 ms' 'p99 ms' \
        'p99.9 ms' 'hshake ms' 'RSS MB' client 'CPU ms'
    for target in $targets; do
        printf '  %-11s %9.1f %7s %9.2f %9.3f %9.3f %9.3f %10s %8s %7.2f %8s\n' "$target" \
            "$(m "$shape.$target.msgs")" "$(spread "${R[$shape.$target.$metric]}")" "$(m "$shape.$target.mbs")" \
            "$(m "$shape.$target.p50")" "$(m "$shape.$target.p99")" "$(m "$shape.$target.p999")" \
            "$(hs "$shape.$target")" "$(peak "$shape.$target")" "$(m "$shape.$target.cores")" \
            "$(cpu_per_message "$shape.$target")"
    done
}
m() { median "${R[$1]}"; }
hs() { awk -v v="$(m "$1.hs")" 'BEGIN { if (v + 0 == 0) print "-"; else printf "%.3f", v }'; }
cpu_per_message() { [ -n "${R[$1.cpu]:-}" ] && printf '%.3f' "$(m "$1.cpu")" || echo -; }
peak() { [ -n "${R[$1.rss]:-}" ] && tr ' ' '\n' <<< "${R[$1.rss]}" | sort -n | tail -1 || echo -; }
sample_rss() { while kill -0 "$1" 2>/dev/null; do awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; sleep 0.05; done; }

# warm TARGET...: BENCH_WARMUP messages through each mxgate (20 persistent sessions), so the
# JVM's compiler has settled before the timed runs (run.sh measured 40 000 before CPU per message
# settles), a tenth of that through the others (Postfix starts its processes).
warm() {
    local target n
    for target in "$@"; do
        n=$((WARMUP / 10))
        [[ "$target" = mxgate* || "$target" = two || "$target" = failover ]] && n=$WARMUP
        [ "$n" -gt 0 ] && load "$target" "$n" --persistent --sessions 20
    done
    return 0
}

# resumed SHAPE "TARGETS": how many of the timed and warm-up handshakes of each run resumed a
# session, as the client counts them (-1: LoadClient on the JDK's TLS cannot tell).
resumed() {
    local target
    echo "$1: handshakes that resumed a session, per run"
    for target in $2; do printf '  %-11s %s\n' "$target" "${R[$1.$target.resumed]}"; done
}

# stop PID...: ends what a shape started.
stop() {
    local pid
    for pid in "$@"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}

shape_starttls() {
    mkdir -p "$WORK/tls"
    # One RSA 2048 certificate for both servers, the kind mxgate makes for itself when it has none,
    # and unless BENCH_TLS_ECDSA=0 an ECDSA P-256 one beside it on both, as a current MX serves
    # (Postfix's smtpd_tls_eccert_file, mxgate's tls.ecdsa_certificate): the client, whose
    # BoringSSL lists ECDSA first, as senders' do, then gets the ECDSA one from both.
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mxgate.bench.test \
        -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null
    local postfix_ec=() mxgate_ec=""
    if [ "$TLS_ECDSA" = 1 ]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
            -subj /CN=mxgate.bench.test -keyout "$WORK/tls/ec-key.pem" -out "$WORK/tls/ec-cert.pem" 2>/dev/null
        postfix_ec=("smtpd_tls_eccert_file = $WORK/tls/ec-cert.pem" "smtpd_tls_eckey_file = $WORK/tls/ec-key.pem")
        mxgate_ec=", ecdsa_certificate: $WORK/tls/ec-cert.pem, ecdsa_key: $WORK/tls/ec-key.pem"
    fi
    chmod 600 "$WORK"/tls/*key.pem
    start_postfix "$WORK/postfix" relay "${port[postfix]}" "relayhost = [127.0.0.1]:${port[sink]}" \
        "smtpd_tls_security_level = may" "smtpd_tls_cert_file = $WORK/tls/cert.pem" \
        "smtpd_tls_key_file = $WORK/tls/key.pem" "${postfix_ec[@]}"
    start_mxgate "$WORK/mxgate" "${port[mxgate]}" "${port[sink]}"
    local plain=$MXGATE_PID
    MXGATE_LISTENER=", tls: starttls" start_mxgate "$WORK/mxgate-tls" "${port[mxgate-tls]}" "${port[sink]}" \
        "tls: { certificate: $WORK/tls/cert.pem, key: $WORK/tls/key.pem$mxgate_ec }"
    local tls=$MXGATE_PID
    MXGATE_LISTENER=", tls: starttls" start_mxgate "$WORK/mxgate-jdk" "${port[mxgate-jdk]}" "${port[sink]}" \
        "tls: { certificate: $WORK/tls/cert.pem, key: $WORK/tls/key.pem, library: jdk$mxgate_ec }"
    local jdk=$MXGATE_PID
    pids+=("$plain" "$tls" "$jdk")
    CPU_PID=([mxgate]=$plain [mxgate-tls]=$tls [mxgate-jdk]=$jdk)
    # Postfix's CPU is that of all its processes, where the bench can give it a cgroup.
    [ -n "$(cgroup_ns relay)" ] && CPU_PID[postfix]=cg:relay CPU_PID[postfix-plain]=cg:relay
    echo "starttls: mxgate-tls uses $(sed -n 's/.*TLS library: //p' "$WORK/mxgate-tls/logs/mxgate.out" | head -1)," \
        "mxgate-jdk $(sed -n 's/.*TLS library: //p' "$WORK/mxgate-jdk/logs/mxgate.out" | head -1)," \
        "Postfix $([ "$TLS_ECDSA" = 1 ] && echo RSA and ECDSA || echo RSA) certificates;" \
        "the client $CLIENT_TLS_NAME${TLS_CLIENT_OPTS:+ ($TLS_CLIENT_OPTS)}"
    local targets="postfix mxgate-tls mxgate-jdk mxgate" target n
    # One client for every target and series here, so that the ratios compare like with like.
    CLIENT=$TLS_CLIENT CLIENT_OPTS=$TLS_CLIENT_OPTS
    extra=([postfix]="--starttls $CLIENT_TLS" [mxgate-tls]="--starttls $CLIENT_TLS" [mxgate-jdk]="--starttls $CLIENT_TLS")
    warm $targets
    # And the handshake's own code, a new session per message.
    for target in $targets; do
        n=$((WARMUP / 20))
        [[ "$target" = mxgate* ]] && n=$((WARMUP / 4))
        # shellcheck disable=SC2086 # extra options are a list
        [ "$n" -gt 0 ] && load "$target" "$n" --sessions 20 ${extra[$target]:-}
    done
    # Each run's client warms with 3 000 sessions first (untimed): a new JVM's compiler took as
    # much CPU as its handshakes for the first 10 000, which the servers measured beside it shared.
    local warmup=$TLS_WARMUP
    series tls-new20 "$TLS_MESSAGES" "$targets" --sessions 20 --warmup $warmup
    series tls-persist20 "$TLS_MESSAGES" "$targets" --sessions 20 --persistent --warmup $warmup
    # One session at a time, nothing queued: what STARTTLS, the handshake and the second EHLO
    # add to a session, as a sender sees it; the same with Postfix (postfix-plain: the client
    # without STARTTLS), the MTA peer.
    local single="postfix postfix-plain mxgate-tls mxgate-jdk mxgate"
    series tls-single $((TLS_MESSAGES / 5)) "$single" --sessions 1 --warmup $warmup
    # Resumed: most sessions on a busy MX come from senders it has seen within the hour, and an
    # MTA's client keeps the session its last handshake with that MX gave (a TLS 1.3 ticket).
    local resuming="postfix mxgate-tls mxgate-jdk"
    series tls-resumed20 "$TLS_MESSAGES" "$resuming" --sessions 20 --resume --warmup $warmup
    series tls-resumed-single $((TLS_MESSAGES / 5)) "mxgate-tls mxgate-jdk" --sessions 1 --resume --warmup $warmup
    extra=() CPU_PID=() CLIENT=LoadClient CLIENT_OPTS=""
    table tls-new20 "$targets"
    table tls-persist20 "$targets"
    table tls-single "$single"
    table tls-resumed20 "$resuming"
    table tls-resumed-single "mxgate-tls mxgate-jdk"
    resumed tls-resumed20 "$resuming"
    resumed tls-resumed-single "mxgate-tls mxgate-jdk"
    echo
    echo "starttls ratios (goals in parentheses)"
    printf '  TLS sessions per second, mxgate-tls/postfix   %.1f (>= 5)\n' \
        "$(calc "$(m tls-new20.mxgate-tls.msgs) / $(m tls-new20.postfix.msgs)")"
    printf '  TLS sessions per second, BoringSSL/JDK        %.2f (mxgate-tls/mxgate-jdk)\n' \
        "$(calc "$(m tls-new20.mxgate-tls.msgs) / $(m tls-new20.mxgate-jdk.msgs)")"
    printf '  a handshake adds %.3f ms to a session, one at a time (BoringSSL; <= 1), %.3f ms with the JDK\n' \
        "$(calc "1000 / $(m tls-single.mxgate-tls.msgs) - 1000 / $(m tls-single.mxgate.msgs)")" \
        "$(calc "1000 / $(m tls-single.mxgate-jdk.msgs) - 1000 / $(m tls-single.mxgate.msgs)")"
    printf '  with Postfix, the same client, STARTTLS adds %.3f ms to a session, one at a time\n' \
        "$(calc "1000 / $(m tls-single.postfix.msgs) - 1000 / $(m tls-single.postfix-plain.msgs)")"
    # At 20 in parallel on the whole machine, client included: the wall time one more handshake costs it.
    printf '  at 20 in parallel a handshake costs the machine %.3f ms (1000/rate with TLS - 1000/rate without)\n' \
        "$(calc "1000 / $(m tls-new20.mxgate-tls.msgs) - 1000 / $(m tls-new20.mxgate.msgs)")"
    printf '  persistent sessions, mxgate-tls/mxgate        %.2f (the cost of encrypting)\n' \
        "$(calc "$(m tls-persist20.mxgate-tls.msgs) / $(m tls-persist20.mxgate.msgs)")"
    # mxgate's own part, from its CPU per session: what a sender one at a time waits for in it.
    printf '  mxgate CPU per session: plaintext %.3f ms, TLS %.3f ms, resumed TLS %.3f ms (BoringSSL, 20 in parallel)\n' \
        "$(m tls-new20.mxgate.cpu)" "$(m tls-new20.mxgate-tls.cpu)" "$(m tls-resumed20.mxgate-tls.cpu)"
    printf '  so a handshake costs mxgate %.3f ms of CPU, a resumed one %.3f ms (<= 1)\n' \
        "$(calc "$(m tls-new20.mxgate-tls.cpu) - $(m tls-new20.mxgate.cpu)")" \
        "$(calc "$(m tls-resumed20.mxgate-tls.cpu) - $(m tls-new20.mxgate.cpu)")"
    printf '  resumed TLS sessions per second, mxgate-tls/postfix %.1f (>= 5)\n' \
        "$(calc "$(m tls-resumed20.mxgate-tls.msgs) / $(m tls-resumed20.postfix.msgs)")"
    # What each server's own CPU carries, whatever the client takes of the shared cores: the
    # sessions per second a core would give each of them.
    if [ -n "${R[tls-new20.postfix.cpu]:-}" ]; then
        printf '  TLS sessions per CPU second (all of Postfix'"'"'s processes), mxgate-tls/postfix: %.1f full, %.1f resumed (>= 5)\n' \
            "$(calc "$(m tls-new20.postfix.cpu) / $(m tls-new20.mxgate-tls.cpu)")" \
            "$(calc "$(m tls-resumed20.postfix.cpu) / $(m tls-resumed20.mxgate-tls.cpu)")"
    fi
    printf '  a resumed handshake adds %.3f ms to a session, one at a time (BoringSSL; <= 1), %.3f ms with the JDK\n' \
        "$(calc "1000 / $(m tls-resumed-single.mxgate-tls.msgs) - 1000 / $(m tls-single.mxgate.msgs)")" \
        "$(calc "1000 / $(m tls-resumed-single.mxgate-jdk.msgs) - 1000 / $(m tls-single.mxgate.msgs)")"
    echo
    stop "$plain" "$tls" "$jdk"
    stop_postfix "$WORK/postfix"
}

shape_size() {
    start_mxgate "$WORK/mxgate-size" "${port[mxgate]}" "${port[sink]}"
    local pid=$MXGATE_PID
    pids+=("$pid")
    warm haproxy mxgate
    local rss_before
    rss_before="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")"
    RSS_PID=$pid series size-100KB "$LARGE_MESSAGES" "haproxy mxgate" --size 102400 --sessions 4 --persistent
    RSS_PID=$pid series size-5MB "$HUGE_MESSAGES" "haproxy mxgate" --size 5242880 --sessions 4 --persistent
    table size-100KB "haproxy mxgate"
    table size-5MB "haproxy mxgate"
    echo
    echo "size ratios (goals in parentheses); mxgate's RSS was $rss_before MB after its warm-up"
    printf '  100 KB  mxgate/haproxy %.2f in MB/s (>= 0.75)   mxgate peak RSS %s MB\n' \
        "$(calc "$(m size-100KB.mxgate.mbs) / $(m size-100KB.haproxy.mbs)")" "$(peak size-100KB.mxgate)"
    printf '  5 MB    mxgate/haproxy %.2f in MB/s (>= 0.75)   mxgate peak RSS %s MB\n' \
        "$(calc "$(m size-5MB.mxgate.mbs) / $(m size-5MB.haproxy.mbs)")" "$(peak size-5MB.mxgate)"
    echo
    stop "$pid"
}

shape_failover() {
    java -cp "$CLASSES" PressureSink "${port[calm-sink]}" "$WORK/calm-sink.status" &
    local calm=$!
    java -cp "$CLASSES" PressureSink "${port[pressure-sink]}" "$WORK/pressure-sink.status" --pressure &
    local pressure=$!
    pids+=("$calm" "$pressure")
    await_port "${port[calm-sink]}"
    await_port "${port[pressure-sink]}"
    start_mxgate "$WORK/mxgate-one" "${port[mxgate]}" "${port[sink]}"
    local one=$MXGATE_PID
    # pressure_cooldown 0s by default: the pressed backend keeps getting every second transaction,
    # so failover happens all through the run; at the shipped 30s it is left alone after its first
    # 452 and the run measures one healthy backend.
    MXGATE_POOL="pressure_cooldown: $COOLDOWN" start_mxgate "$WORK/mxgate-two" "${port[two]}" \
        "${port[calm-sink]} ${port[sink]}"
    local two=$MXGATE_PID
    MXGATE_POOL="pressure_cooldown: $COOLDOWN" start_mxgate "$WORK/mxgate-failover" "${port[failover]}" \
        "${port[pressure-sink]} ${port[sink]}"
    local failover=$MXGATE_PID
    pids+=("$one" "$two" "$failover")
    local targets="mxgate two failover"
    warm $targets
    local refused_before
    refused_before="$(sed -n 's/.*refused=\([0-9]*\).*/\1/p' "$WORK/pressure-sink.status")"
    series failover "$MESSAGES" "$targets" --sessions 20 --persistent
    table failover "$targets"
    echo
    echo "failover (pressure_cooldown $COOLDOWN): $(($(sed -n 's/.*refused=\([0-9]*\).*/\1/p' \
        "$WORK/pressure-sink.status") - refused_before)) MAILs answered 452 4.3.1 and moved to smtp-sink in the timed runs"
    printf '  throughput failover/mxgate %.2f, failover/two %.2f\n' \
        "$(calc "$(m failover.failover.msgs) / $(m failover.mxgate.msgs)")" \
        "$(calc "$(m failover.failover.msgs) / $(m failover.two.msgs)")"
    printf '  added latency over one healthy backend: p50 %+.3f ms, p99 %+.3f ms (over two: p50 %+.3f, p99 %+.3f)\n' \
        "$(calc "$(m failover.failover.p50) - $(m failover.mxgate.p50)")" \
        "$(calc "$(m failover.failover.p99) - $(m failover.mxgate.p99)")" \
        "$(calc "$(m failover.failover.p50) - $(m failover.two.p50)")" \
        "$(calc "$(m failover.failover.p99) - $(m failover.two.p99)")"
    echo
    stop "$one" "$two" "$failover" "$calm" "$pressure"
}

shape_tail() {
    start_mxgate "$WORK/mxgate-tail" "${port[mxgate]}" "${port[sink]}"
    local pid=$MXGATE_PID
    pids+=("$pid")
    warm haproxy mxgate
    series tail-max "$MESSAGES" "haproxy mxgate" --sessions 20 --persistent
    local rate
    rate="$(calc "$(m tail-max.mxgate.msgs) / 2")"
    printf '\ntail: offered rate %.0f msg/s, half of mxgate'"'"'s median maximum\n' "$rate"
    series tail "$MESSAGES" "haproxy mxgate" --sessions 20 --persistent --rate "$rate"
    table tail-max "haproxy mxgate"
    table tail "haproxy mxgate" p99
    echo
    echo "tail ratios at $(printf '%.0f' "$rate") msg/s offered (lower is better)"
    printf '  mxgate/haproxy  p50 %.2f   p99 %.2f   p99.9 %.2f\n' \
        "$(calc "$(m tail.mxgate.p50) / $(m tail.haproxy.p50)")" \
        "$(calc "$(m tail.mxgate.p99) / $(m tail.haproxy.p99)")" \
        "$(calc "$(m tail.mxgate.p999) / $(m tail.haproxy.p999)")"
    printf '  at full speed   mxgate/haproxy %.2f in msg/s (20 persistent sessions, this client)\n' \
        "$(calc "$(m tail-max.mxgate.msgs) / $(m tail-max.haproxy.msgs)")"
    echo
    stop "$pid"
}

shape_idle() {
    echo "idle: bench/idle-sessions.sh"
    BENCH_PORT_BASE=$((BASE + 20)) bash "$ROOT/bench/idle-sessions.sh"
    echo
}

printf '%-13s %-11s %2s %10s %15s %13s   %s\n' shape target run seconds rate throughput 'latency per message'
for shape in $SHAPES; do
    "shape_$shape"
done
echo "loss: none (in every run the sinks counted exactly the 250s the client got, and every message got one)"

# Shared by the bench/ scripts: ports, the jar, a private Postfix and mxgate instances.
# Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
JAR="$ROOT/target/mxgate.jar"
TEMPLATES="$ROOT/src/test/resources/interop/postfix"

need() {
    for program in "$@"; do
        if ! command -v "$program" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$program" ]; then
            echo "bench: $program is missing (apt-get install postfix haproxy)" >&2
            exit 2
        fi
    done
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

await_port() {
    for _ in $(seq 1 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "bench: nothing listens on port $1" >&2
    return 1
}

build_jar() {
    if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT/src/main" -newer "$JAR" -print -quit)" ]; then
        (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package)
    fi
}

# CPU accounting for servers of several processes (Postfix forks smtpd, cleanup, qmgr, smtp...,
# and children that exit take their CPU with them from /proc): a cpuacct cgroup (v1) per server,
# which every process it forks inherits. Empty where the cgroup cannot be made (no root, v2 only).
CPUACCT=/sys/fs/cgroup/cpuacct
# in_cgroup NAME COMMAND...: runs COMMAND in the cgroup NAME of this run (made here), or plainly.
in_cgroup() {
    local group="$CPUACCT/mxgate-bench-$$-$1"
    shift
    if mkdir -p "$group" 2>/dev/null && [ -w "$group/cgroup.procs" ]; then
        sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$group" "$@"
    else
        "$@"
    fi
}
# cgroup_ns NAME: the CPU the processes of cgroup NAME have used so far, in nanoseconds; empty
# when it has none.
cgroup_ns() { cat "$CPUACCT/mxgate-bench-$$-$1/cpuacct.usage" 2>/dev/null || true; }

# start_postfix DIR NAME PORT [main.cf lines...]: a private instance from the interop templates,
# its processes in the cgroup NAME (cgroup_ns NAME).
start_postfix() {
    local dir="$1" name="$2" port="$3"
    shift 3
    mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
    chmod 755 "$dir"
    chown postfix:postfix "$dir/data"
    sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@NAME@|$name|g" "$TEMPLATES/main.cf" > "$dir/etc/main.cf"
    sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@NAME@|$name|g" "$TEMPLATES/master.cf" > "$dir/etc/master.cf"
    printf '%s\n' "$@" >> "$dir/etc/main.cf"
    in_cgroup "$name" /usr/sbin/postfix -c "$dir/etc" start
    await_port "$port"
}

stop_postfix() {
    /usr/sbin/postfix -c "$1/etc" stop >/dev/null 2>&1 || true
}

# start_mxgate DIR LISTEN_PORT BACKEND_PORTS [CONFIG_LINES [LIMITS]]: mxgate relaying for
# 127.0.0.0/8 to one backend (or a pool of several: "PORT PORT"); CONFIG_LINES are appended to
# conf/mxgate.yml, LIMITS (", key: value" pairs) to the policy's limits, MXGATE_LISTENER
# (", key: value" pairs) to the listener's line and MXGATE_POOL (one "key: value") to the pool.
# Every client here is 127.0.0.1, so the limit of concurrent
# sessions per address is lifted: at the default 20, a client that reconnects at once after QUIT
# can be counted before its previous session's end is, and gets 421 4.7.0.
# MXGATE_PER_IP replaces the 1000 concurrent sessions allowed per client address. Sets MXGATE_PID.
start_mxgate() {
    local dir="$1" port="$2" backends="$3" extra="${4:-}" limits="${5:-}" servers="" name=sink backend
    for backend in $backends; do
        [ -n "$servers" ] && name="sink$backend"
        servers+="      - { name: $name, address: 127.0.0.1:$backend }"$'\n'
    done
    mkdir -p "$dir/conf" "$dir/policies" "$dir/logs"
    cat > "$dir/conf/mxgate.yml" <<YAML
hostname: mxgate.bench.test
listeners:
  - { name: bench, listen: 127.0.0.1:$port, policy: bench${MXGATE_LISTENER:-} }
pools:
  sink:
${MXGATE_POOL:+    $MXGATE_POOL
}    servers:
$servers
$extra
YAML
    cat > "$dir/policies/bench.yml" <<YAML
relay: { networks: [127.0.0.0/8] }
route: sink
limits: { max_connections_per_ip: ${MXGATE_PER_IP:-1000}$limits }
YAML
    # shellcheck disable=SC2086 # options list
    java ${MXGATE_JAVA_OPTS:-} -Dmxgate.log.dir="$dir/logs" -jar "$JAR" run --config "$dir/conf/mxgate.yml" \
        > "$dir/logs/mxgate.out" 2>&1 &
    MXGATE_PID=$!
    await_port "$port"
}

# The median and the spread ((max - min) / median) of a list of numbers separated by blanks.
median() { tr ' ' '\n' <<< "$1" | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
spread() { tr ' ' '\n' <<< "$1" | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%.0f%%", (m>0)?(v[NR]-v[1])*100/m:0}'; }

# prepare_run NAME PORT...: as root, the ports free, the jar built; a work directory in WORK and
# a cleanup on exit that stops the private Postfix and every pid added to the array pids.
prepare_run() {
    local name="$1" p
    shift
    [ "$(id -u)" = 0 ] || { echo "bench: run as root (the Postfix relay is a private instance)" >&2; exit 2; }
    for p in "$@"; do
        port_free "$p" || { echo "bench: port $p is in use; set BENCH_PORT_BASE" >&2; exit 2; }
    done
    build_jar
    WORK="$(mktemp -d "/tmp/mxgate-$name.XXXXXX")"
    chmod 755 "$WORK"
    pids=()
    trap cleanup EXIT
    ulimit -n 20000 2>/dev/null || true
}

cleanup() {
    stop_postfix "$WORK/postfix"
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
    # The cgroups of this run, once their processes are gone (Postfix's stop is not instant).
    for _ in $(seq 1 20); do
        compgen -G "$CPUACCT/mxgate-bench-$$-*" >/dev/null || break
        rmdir "$CPUACCT"/mxgate-bench-$$-* 2>/dev/null || sleep 0.25
    done
}

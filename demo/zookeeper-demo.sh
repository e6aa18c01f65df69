#!/usr/bin/env bash
# The ZooKeeper demo: the futex-ra API on a 3-node ZooKeeper ensemble instead of shared memory.
#   1. builds the zookeeper backend (mvn -pl zookeeper -am package) and its classpath;
#   2. starts three ZooKeeper servers as separate processes (QuorumPeerMain, generated configs,
#      loopback ports, data under a temp dir), with a 500 ms tick and 2 s client sessions;
#   3. starts four client JVMs (demo/ZkDemoClient.java) standing in for four hosts, each taking the
#      lock "nightly-report" five times and doing 400 ms of checked work under it;
#   4. kill -9s client B while it holds the lock: after B's session times out, the next holder is
#      told previousOwnerDied, with a larger fencing token;
#   5. stops one ZooKeeper server mid-run: the clients go on through the other two.
# The summary at the end is computed from what happened; the exit status is 1 if exclusion was
# ever violated (two holders inside, a lost increment, tokens not increasing, a death not told).
#
# Needs Java 17+ and Maven 3.8+; downloads nothing after the build. Stops every process it
# started and removes its temp dir. Takes about 30 seconds after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

say() { printf '%s\n' "$*"; }
START_MS=$(($(date +%s%N) / 1000000))
stamp() { # now, or the epoch milliseconds given
    local ms=$((${1:-$(($(date +%s%N) / 1000000))} - START_MS))
    printf '%3d.%03ds' $((ms / 1000)) $((ms % 1000))
}

work=$(mktemp -d /tmp/futex-ra-zk-demo.XXXXXX)
servers=()
clients=()
cleanup() {
    local pid
    for pid in "${clients[@]}" "${servers[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    for pid in "${clients[@]}" "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

say "== building the zookeeper backend (mvn -B -ntp -q -pl zookeeper -am -DskipTests package)"
mvn -B -ntp -q -pl zookeeper -am -DskipTests package dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$work/classpath" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
cp="$(ls "$root"/zookeeper/target/futex-ra-zookeeper-*.jar | grep -v -e sources -e tests | head -1):$(cat "$work/classpath")"

# Free loopback ports: a port nobody answers on (good enough for a demo on one host).
used=" "
free_port() {
    local p
    while true; do
        p=$((20000 + RANDOM % 40000))
        case "$used" in *" $p "*) continue ;; esac
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            used="$used$p "
            echo "$p"
            return
        fi
    done
}

say "== starting a 3-node ZooKeeper ensemble (separate processes, loopback)"
quorum=""
client_ports=()
for i in 1 2 3; do
    client_ports[$i]=$(free_port)
    quorum="${quorum}server.$i=127.0.0.1:$(free_port):$(free_port)"$'\n'
done
connect=""
for i in 1 2 3; do
    mkdir -p "$work/zk$i"
    echo "$i" >"$work/zk$i/myid"
    cat >"$work/zk$i.cfg" <<CFG
tickTime=500
initLimit=20
syncLimit=5
dataDir=$work/zk$i
clientPort=${client_ports[$i]}
clientPortAddress=127.0.0.1
admin.enableServer=false
$quorum
CFG
    java -cp "$cp" org.apache.zookeeper.server.quorum.QuorumPeerMain "$work/zk$i.cfg" >"$work/zk$i.log" 2>&1 &
    servers[$i]=$!
    connect="$connect${connect:+,}127.0.0.1:${client_ports[$i]}"
    say "  $(stamp)  ZooKeeper server $i: pid ${servers[$i]}, client port ${client_ports[$i]}"
done
uri="zookeeper://$connect/futex-ra-demo/payroll?sessionTimeout=2s&connectionTimeout=30s"
say "  space URI: $uri"

say "== four client JVMs (hosts A, B, C, D) contend for lock 'nightly-report', 5 rounds each"
echo 0 >"$work/counter"
: >"$work/events"
for id in A B C D; do
    java -cp "$cp" "$root/demo/ZkDemoClient.java" "$uri" "$id" 5 "$work" >"$work/client-$id.log" 2>&1 &
    clients+=($!)
    eval "pid_$id=$!"
done

# Follow the log; act on what it shows.
shown=0
killed_ms=""
released_at_death=""
stopped=""
follow() {
    local total line
    total=$(wc -l <"$work/events")
    while [ "$shown" -lt "$total" ]; do
        shown=$((shown + 1))
        line=$(sed -n "${shown}p" "$work/events")
        say "  $(stamp "${line%% *}")  ${line#* }"
    done
}
deadline=$((SECONDS + 180))
while true; do
    follow
    last=$(tail -n 1 "$work/events")
    if [ -z "$killed_ms" ] && [[ "$last" == *"acquired client=B "* ]]; then
        kill -9 "$pid_B"
        killed_ms=$(($(date +%s%N) / 1000000))
        say "  $(stamp)  >>> kill -9 client B (pid $pid_B) while it holds the lock; its session expires in ~2 s"
    fi
    if [ -z "$released_at_death" ] && grep -q "died=true" "$work/events"; then
        released_at_death=$(grep -c " released " "$work/events" || true)
    fi
    if [ -n "$released_at_death" ] && [ -z "$stopped" ] \
        && [ "$(grep -c " released " "$work/events")" -ge $((released_at_death + 2)) ]; then
        kill -TERM "${servers[1]}"
        wait "${servers[1]}" 2>/dev/null || true
        stopped=yes
        say "  $(stamp)  >>> stopped ZooKeeper server 1 (pid ${servers[1]}); 2 of 3 remain: still a quorum"
    fi
    alive=0
    for id in A C D; do
        pid_var="pid_$id"
        kill -0 "${!pid_var}" 2>/dev/null && alive=$((alive + 1))
    done
    [ "$alive" -eq 0 ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
        say "!! the clients did not finish in 180 s"
        break
    fi
    sleep 0.05
done
follow
status=0
for id in A C D; do
    pid_var="pid_$id"
    if ! wait "${!pid_var}"; then
        say "!! client $id failed:"; sed 's/^/     /' "$work/client-$id.log"; status=1
    fi
done

say "== summary (computed from the log and the witnesses)"
acquired=$(grep -c " acquired " "$work/events" || true)
released=$(grep -c " released " "$work/events" || true)
counter=$(cat "$work/counter")
violations=$(grep -c VIOLATION "$work/events" || true)
tokens=$(grep " acquired " "$work/events" | sed 's/.*token=\([0-9]*\).*/\1/')
increasing=yes
prev=-1
for t in $tokens; do
    [ "$t" -gt "$prev" ] || increasing=no
    prev=$t
done
died_line=$(grep " acquired .*died=true" "$work/events" | head -1 || true)
told=$(grep -c " acquired .*died=true" "$work/events" || true)
say "  acquisitions: $acquired, clean releases: $released (client B's last hold was cut by kill -9)"
say "  counter (plain read-pause-write under the lock): $counter, expected $released"
say "  fencing tokens in holding order: $(echo $tokens | tr ' ' ',') — strictly increasing: $increasing"
say "  holders told previousOwnerDied: $told (expected 1: the one after client B)"
if [ -n "$died_line" ] && [ -n "$killed_ms" ]; then
    say "  kill -9 → next holder: $((${died_line%% *} - killed_ms)) ms (session timeout 2 s)"
fi
say "  ZooKeeper server 1 stopped mid-run: ${stopped:-no}"
say "  overlaps seen by the occupancy witness: $violations"
if [ "$violations" -ne 0 ] || [ "$counter" -ne "$released" ] || [ "$increasing" != yes ] || [ "$told" -ne 1 ] \
    || [ "$acquired" -ne $((released + 1)) ] || [ -z "$stopped" ] || [ "$status" -ne 0 ]; then
    grep VIOLATION "$work/events" || true
    say "RESULT: FAILED"
    exit 1
fi
say "RESULT: OK — one holder at a time, the dead holder's successor told, tokens increasing, through a server stop"

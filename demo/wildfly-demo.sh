#!/usr/bin/env bash
# The end-to-end demo: two WildFly 39 servers and a batch JVM on one host share named locks and
# events through futex-ra.
#
#   1. builds futex-ra (the RAR, the sample EJBs, the standalone jars) and obtains WildFly 39.0.1.Final
#      through Maven, unpacked once into demo/target and never run in place: each server gets a copy
#      of the distribution's pristine configuration, given the MDB setting here (nothing is shared
#      with the test servers of arquillian-tests, so an interrupted ./test.sh cannot break the demo);
#   2. starts two servers (port offsets 200 and 300) with futex-ra.rar and the samples: each runs
#      the NightlyJob every 2 s, which does its work on exactly one server per tick (fencing token
#      in the ledger), and the MDBs ImportDoneListener and NightlyJobDeathListener;
#   3. runs a batch JVM (demo/BatchJob.java, the standalone API) that holds the nightly lock for a
#      while, signals import-done, takes the nightly lock again and is killed with kill -9;
#   4. prints the timeline and a summary computed from what the servers and the batch job recorded,
#      and stops everything it started.
#
# Needs Java 17+, Maven 3.8+, free ports 8280/8380, 10190/10290 (and the other offset-200/300
# ports); DEMO_PORT_OFFSET=N moves node a to port offset N and node b to N+100 (e.g. on a host
# where those ports are taken). Its space and state live in a temporary directory under /dev/shm,
# removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
OFFSET_A=${DEMO_PORT_OFFSET:-200}
case $OFFSET_A in
    '' | *[!0-9]*) printf 'demo: DEMO_PORT_OFFSET must be a number (a port offset, e.g. 600), not "%s"\n' "$OFFSET_A"; exit 64 ;;
esac
OFFSET_B=$((OFFSET_A + 100))

say() { printf '%s\n' "$*"; }
START_MS=$(($(date +%s%N) / 1000000))
at() { local ms=$(($1 - START_MS)); printf '%+4d.%03ds' $((ms / 1000)) $(((ms < 0 ? -ms : ms) % 1000)); }
now() { echo $(($(date +%s%N) / 1000000)); }

say "== building futex-ra and obtaining WildFly (mvn -B -ntp -q -DskipTests package)"
mvn -B -ntp -q -DskipTests package -pl rar,ejb-samples,cli -am 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
version=$(sed -n 's:.*<version.wildfly>\(.*\)</version.wildfly>.*:\1:p' pom.xml)
jboss_home=$root/demo/target/wildfly-$version
if [ ! -x "$jboss_home/bin/standalone.sh" ]; then
    rm -rf "$jboss_home"
    mvn -B -ntp -q -N dependency:unpack -Dartifact="org.wildfly:wildfly-dist:$version:zip" \
        -DoutputDirectory="$root/demo/target" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
fi
rar=$(ls "$root"/rar/target/futex-ra-rar-*.rar)
samples=$root/ejb-samples/target/futex-ra-ejb-samples.jar
# the standalone API with the shared-memory backend (the command's jar holds both) and JNA
jar=$(ls "$root"/cli/target/futex-ra-cli-*-all.jar | head -1)
jna=$root/cli/target/lib/jna.jar

work=$(mktemp -d /dev/shm/futex-ra-wildfly-demo.XXXXXX)
spaces=$work/spaces
state=$work/samples
mkdir -p "$spaces" "$state"
batch_pid=""
cleanup() {
    [ -n "$batch_pid" ] && kill -9 "$batch_pid" 2>/dev/null || true
    for node in a b; do
        if [ -f "$work/$node.pid" ]; then
            local pid
            pid=$(cat "$work/$node.pid")
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# ---- two servers, each with its own base directory (configuration, deployments, log) ------------
start_server() { # node offset
    local node=$1 offset=$2 base=$work/node-$1
    mkdir -p "$base/deployments"
    cp -r "$jboss_home/standalone/configuration" "$base/"
    # MDBs need ejb3's default resource adapter, which the distribution's standalone.xml lacks
    perl -0pi -e 's|</session-bean>(\s*)<pools>|</session-bean>$1<mdb><resource-adapter-ref resource-adapter-name="futex-ra.rar"/><bean-instance-pool-ref pool-name="mdb-strict-max-pool"/></mdb>$1<pools>|' \
        "$base/configuration/standalone.xml"
    grep -q 'resource-adapter-name="futex-ra.rar"' "$base/configuration/standalone.xml" \
        || { say "demo: could not give $base/configuration/standalone.xml the MDB setting"; exit 1; }
    cp "$rar" "$base/deployments/futex-ra.rar"
    cp "$samples" "$base/deployments/futex-ra-ejb-samples.jar"
    JAVA_OPTS="-Xms64m -Xmx384m -XX:MetaspaceSize=96m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true" \
    LAUNCH_JBOSS_IN_BACKGROUND=1 JBOSS_PIDFILE=$work/$node.pid \
        "$jboss_home/bin/standalone.sh" -Djboss.server.base.dir="$base" \
        -Djboss.socket.binding.port-offset="$offset" -Djboss.tx.node.id="node-$node" \
        -Dfutexra.directory="$spaces" -Dfutexra.samples.dir="$state" -Dfutexra.samples.trace=true \
        >"$work/$node.console" 2>&1 &
}
await_server() { # node (a hang guard, not a speed bound: on a loaded 2-CPU host a boot took > 150 s)
    local base=$work/node-$1 deadline=$((SECONDS + 600))
    until [ -f "$base/deployments/futex-ra-ejb-samples.jar.deployed" ]; do
        if [ -f "$base/deployments/futex-ra-ejb-samples.jar.failed" ] || [ -f "$base/deployments/futex-ra.rar.failed" ] \
            || [ $SECONDS -ge $deadline ]; then
            say "demo: server $1 did not deploy the samples (failed, or not within 600 s); its log:"
            tail -40 "$base/log/server.log" || true
            exit 1
        fi
        sleep 0.3
    done
}
say ""
say "== starting WildFly $version twice: node a (port offset $OFFSET_A), node b (port offset $OFFSET_B)"
t0=$(now)
start_server a $OFFSET_A
start_server b $OFFSET_B
await_server a
await_server b
pid_a=$(cat "$work/a.pid")
pid_b=$(cat "$work/b.pid")
node_of() { case $1 in "$pid_a") echo "node a" ;; "$pid_b") echo "node b" ;; *) echo "pid $1" ;; esac; }
say "  $(at "$(now)")  both servers up with futex-ra.rar and the samples in $((($(now) - t0) / 1000)) s:" \
    "node a pid $pid_a, node b pid $pid_b"
sleep 1 # the MDBs' activation messages
for node in a b; do
    grep -h "FUTEXRA061" "$work/node-$node/log/server.log" | sed "s/.*FUTEXRA061: /             node $node: /" || true
done

# ---- the batch JVM ----------------------------------------------------------------------------------
sleep 3 # a tick or two with both servers competing
say ""
say "== the batch JVM (java demo/BatchJob.java) takes part"
java -cp "$jar:$jna" "$root/demo/BatchJob.java" "$spaces" default 5 >"$work/batch.out" 2>"$work/batch.err" &
batch_pid=$!
await_batch() { # what
    local deadline=$((SECONDS + 60))
    until grep -q " $1 " "$work/batch.out" 2>/dev/null; do
        kill -0 "$batch_pid" 2>/dev/null || { say "demo: the batch JVM ended:"; cat "$work/batch.err"; exit 1; }
        [ $SECONDS -lt $deadline ] || { say "demo: the batch JVM did not report '$1'"; exit 1; }
        sleep 0.1
    done
}
await_batch holding-again
sleep 1
kill_ms=$(now)
kill -9 "$batch_pid"
wait "$batch_pid" 2>/dev/null || true
batch_pid=""
say "  $(at "$kill_ms")  demo: kill -9 of the batch JVM while it holds nightly-job"

# wait for what the servers record: both MDBs' notices, and a tick that took the lock over
deadline=$((SECONDS + 90))
until [ "$(cut -d' ' -f1 "$state/owner-death.received" 2>/dev/null | sort -u | wc -l)" -ge 2 ] \
    && [ -s "$state/nightly-job.recovered" ]; do
    [ $SECONDS -lt $deadline ] || break
    sleep 0.2
done
sleep 2.5 # one more tick after the recovery

# ---- a snapshot of the records: the servers keep ticking while the demo reads them, and counts
# taken from a growing ledger disagreed (15 ticks run, 11 on node a, 5 on node b) ----------------------
records=$work/records
mkdir -p "$records"
for f in "$state"/*; do
    cp "$f" "$records/"
    # a line still being written when copied is left out
    [ -z "$(tail -c1 "$records/${f##*/}")" ] || sed -i '$d' "$records/${f##*/}"
done
state=$records

# ---- the timeline, from the files the servers and the batch JVM wrote ------------------------------
say ""
say "== timeline (from the servers' ledger, trace and MDB records, and the batch JVM's output)"
say "   (tick n = the NightlyJob's n-th 2-second period; fencing tokens count every acquisition of the lock)"
first_tick=$(sort -n "$state/nightly-job.trace" | head -1 | cut -d' ' -f1)
t() { echo $(($1 - first_tick + 1)); }
{
    while read -r ms what rest; do echo "$ms batch JVM: $what $rest"; done <"$work/batch.out"
    echo "$kill_ms demo: kill -9 batch JVM"
    while read -r tick token pid; do
        echo "$((tick * 2000 + 2)) tick $(t "$tick"): the NightlyJob ran on $(node_of "$pid") with fencing token $token"
    done <"$state/nightly-job.ledger"
    while read -r tick pid outcome; do
        case $outcome in
            busy) echo "$((tick * 2000 + 1)) tick $(t "$tick"): $(node_of "$pid") found nightly-job busy, skipped" ;;
            done-already) echo "$((tick * 2000 + 3)) tick $(t "$tick"): $(node_of "$pid") got the lock after the tick was done, skipped" ;;
        esac
    done <"$state/nightly-job.trace"
    while read -r pid delivery ms; do
        echo "$ms ImportDoneListener MDB on $(node_of "$pid") got import-done (delivery $delivery)"
    done <"$state/import-done.received"
    while read -r pid token recovered tid ms; do
        echo "$ms NightlyJobDeathListener MDB on $(node_of "$pid"): holder of nightly-job died (token $token$([ "$recovered" = true ] && echo ", already taken over"))"
    done <"$state/owner-death.received"
    while read -r tick token pid ms; do
        echo "$ms tick $(t "$tick"): $(node_of "$pid") took nightly-job over from the dead holder (token $token, previousOwnerDied)"
    done <"$state/nightly-job.recovered" 2>/dev/null
} | sort -n -s -k1,1 | while read -r ms line; do say "  $(at "$ms")  $line"; done

# ---- the summary: every claim checked against the records ----------------------------------------
say ""
say "== summary (computed from the records above)"
ok=true
fail() { say "  VIOLATION: $*"; ok=false; }
ticks=$(wc -l <"$state/nightly-job.ledger")
dup=$(cut -d' ' -f1 "$state/nightly-job.ledger" | sort | uniq -d | wc -l)
ran_a=$(awk -v p="$pid_a" '$3 == p' "$state/nightly-job.ledger" | wc -l)
ran_b=$(awk -v p="$pid_b" '$3 == p' "$state/nightly-job.ledger" | wc -l)
say "  NightlyJob: $ticks ticks run, $ran_a on node a, $ran_b on node b, $dup run twice"
[ "$dup" -eq 0 ] || fail "a tick ran on both servers"
sorted=$(cut -d' ' -f2 "$state/nightly-job.ledger" | paste -sd' ' -)
# tokens start at the lock's creation time in nanoseconds: compare them as bash's 64-bit integers (awk's
# numbers are doubles, which cannot tell neighbouring tokens apart)
prev=
while read -r _ token _; do
    [ -z "$prev" ] || [ "$token" -gt "$prev" ] || fail "fencing tokens not increasing: $sorted"
    prev=$token
done <"$state/nightly-job.ledger"
say "  fencing tokens in tick order: $sorted"
hold_from=$(awk '$2 == "holding" { print $1 }' "$work/batch.out")
hold_to=$(awk '$2 == "releasing" { print $1 }' "$work/batch.out")
batch_token=$(sed -n 's/.* holding lock=nightly-job token=\([0-9]*\)/\1/p' "$work/batch.out")
dead_token=$(sed -n 's/.* holding-again lock=nightly-job token=\([0-9]*\)/\1/p' "$work/batch.out")
inside=$(awk -v a="$hold_from" -v b="$hold_to" '$1 * 2000 >= a && $1 * 2000 + 1999 <= b' "$state/nightly-job.ledger" | wc -l)
busy=$(awk '$3 == "busy"' "$state/nightly-job.trace" | wc -l)
say "  the batch JVM held nightly-job (token $batch_token) for $(((hold_to - hold_from) / 1000)) s: no tick ran inside" \
    "that time ($inside), the servers found it busy $busy times"
[ "$inside" -eq 0 ] || fail "a tick ran while the batch JVM held the lock"
done_pids=$(cut -d' ' -f1 "$state/import-done.received" | sort -u | tr '\n' ' ')
done_lines=$(wc -l <"$state/import-done.received")
say "  import-done: $done_lines deliveries, on $(for p in $done_pids; do node_of "$p"; done | paste -sd, -)"
[ "$done_lines" -eq 2 ] && [ "$(echo $done_pids | wc -w)" -eq 2 ] || fail "import-done was not delivered once to each server"
death_lines=$(wc -l <"$state/owner-death.received" 2>/dev/null || echo 0)
death_tokens=$(cut -d' ' -f2 "$state/owner-death.received" 2>/dev/null | sort -u | paste -sd' ' -)
first_death=$(cut -d' ' -f5 "$state/owner-death.received" 2>/dev/null | sort -n | head -1)
say "  owner death: the batch JVM was killed holding nightly-job (token $dead_token); $death_lines notices," \
    "on $(for p in $(cut -d' ' -f1 "$state/owner-death.received" | sort -u); do node_of "$p"; done | paste -sd, -)," \
    "naming token $death_tokens; the first $((first_death - kill_ms)) ms after the kill"
[ "$death_lines" -eq 2 ] && [ "$death_tokens" = "$dead_token" ] || fail "owner death not told once to each server with token $dead_token"
if [ -s "$state/nightly-job.recovered" ]; then
    read -r rtick rtoken rpid rms <"$state/nightly-job.recovered"
    say "  recovered: $(node_of "$rpid") took nightly-job over at tick $(t "$rtick"), $((rms - kill_ms)) ms after the kill," \
        "with token $rtoken, told previousOwnerDied"
    [ "$rtoken" -gt "$dead_token" ] || fail "the recovering token $rtoken is not above the dead holder's $dead_token"
else
    fail "no server took the dead holder's lock over"
fi
for node in a b; do
    errors=$(grep -c ' ERROR ' "$work/node-$node/log/server.log" || true)
    [ "$errors" -eq 0 ] || { fail "node $node logged $errors ERROR lines:"; grep ' ERROR ' "$work/node-$node/log/server.log" | head -5; }
done

say ""
say "== stopping both servers"
cleanup_start=$(now)
cleanup
trap - EXIT
say "  stopped in $((($(now) - cleanup_start) / 1000)) s; total $((($(now) - START_MS) / 1000)) s"
if $ok; then
    say "OK: each tick on exactly one server with increasing fencing tokens; both servers' MDBs got import-done;" \
        "both were told of the kill -9 by the kernel's wake; a server took the dead job's lock over"
else
    exit 1
fi

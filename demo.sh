#!/usr/bin/env bash
# The futex-ra demo: builds, then shell batch jobs on this host take turns on one named lock
# through `futex-ra run`; one holder is killed with kill -9 while holding it, and the next job
# gets the lock at once, told that the previous holder died. The summary at the end is computed
# from what happened: the jobs' own log lines and `futex-ra ls --json`.
#
# Needs Java 17+ and Maven 3.8+. Uses its own space directory under /dev/shm and removes it,
# and stops every process it started. Takes about 15 seconds after the build.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

say() { printf '%s\n' "$*"; }
now_ms() { echo $((($(date +%s%N) - START_NS) / 1000000)); }
stamp() { local ms; ms=$(now_ms); printf '%3d.%03ds' $((ms / 1000)) $((ms % 1000)); }

say "== building futex-ra (mvn -B -ntp -q -DskipTests package)"
mvn -B -ntp -q -DskipTests package 2>&1 | sed 's/\x1b\[[0-9;]*m//g' # (Maven 3.8 prints colour resets even with -B)
futex_ra=$root/bin/futex-ra
"$futex_ra" --version >/dev/null # the first start makes the class-data archive; later ones are quick

work=$(mktemp -d /dev/shm/futex-ra-demo.XXXXXX)
export FUTEX_RA_DIR=$work/spaces FUTEX_RA_SPACE=demo
events=$work/events
: >"$events"
launchers=()
cleanup() {
    local f pid
    for f in "$work"/pid.*; do # futex-ra processes still running (only if the demo failed half-way)
        [ -f "$f" ] && pid=$(cat "$f") && kill -9 "$pid" 2>/dev/null || true
    done
    for pid in "${launchers[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ -f "$work/orphans" ]; then
        while read -r pid; do # a job still running after its futex-ra was killed
            grep -qs job.sh "/proc/$pid/cmdline" && kill -9 "$pid" 2>/dev/null || true
        done <"$work/orphans"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The batch job: what a real nightly report script would be, plus log lines for the timeline.
# futex-ra runs it while holding the lock, and tells it the fencing token and whether the previous
# holder died (then it "repairs" before working). $PPID is the futex-ra process holding the lock.
cat >"$work/job.sh" <<'JOB'
#!/usr/bin/env bash
name=$1
stamp() { local ms=$((($(date +%s%N) - START_NS) / 1000000)); printf '%3d.%03ds' $((ms / 1000)) $((ms % 1000)); }
log() { echo "$(($(date +%s%N) / 1000000)) $*" >>"$EVENTS"; }
log "acquired job=$name token=$FUTEX_RA_FENCING_TOKEN died=$FUTEX_RA_PREVIOUS_OWNER_DIED futex_ra_pid=$PPID job_pid=$$"
echo "$$" >>"$WORK/orphans"
echo "  $(stamp)  job $name: got the lock, fencing token $FUTEX_RA_FENCING_TOKEN"
if [ "$FUTEX_RA_PREVIOUS_OWNER_DIED" = 1 ]; then
    echo "  $(stamp)  job $name: the previous holder DIED holding the lock: repairing its half-written report"
    log "repaired job=$name token=$FUTEX_RA_FENCING_TOKEN"
fi
# The second holder is the one the demo kills: it hangs in part 2 until then (at most 60 s), so the
# kill -9 lands while it holds the lock however slowly this machine runs the demo's other steps.
second=$(grep -c '^[0-9]* acquired' "$EVENTS")
for step in 1 2 3; do
    sleep 0.5
    echo "  $(stamp)  job $name: writing report, part $step/3 (token $FUTEX_RA_FENCING_TOKEN)"
    if [ "$second" = 2 ] && [ "$step" = 1 ]; then
        echo "  $(stamp)  job $name: stuck in part 2 (the demo kills it here)"
        for _ in $(seq 1200); do sleep 0.05; done
    fi
done
log "released job=$name token=$FUTEX_RA_FENCING_TOKEN"
echo "  $(stamp)  job $name: done, releasing"
JOB
chmod +x "$work/job.sh"
export EVENTS=$events WORK=$work
START_NS=$(date +%s%N)
export START_NS

say ""
say "== three jobs start at once: futex-ra run --lock nightly-report -- ./job.sh NAME"
# Each futex-ra runs in a small subshell that records its pid and exit status (and keeps bash's
# "Killed" notice for the kill -9 below off the screen; futex-ra's own stderr still shows, on fd 3).
launch() { # name
    (
        "$futex_ra" run --lock nightly-report -- "$work/job.sh" "$1" 2>&3 &
        echo $! >"$work/pid.$1"
        wait $! && echo 0 >"$work/status.$1" || echo $? >"$work/status.$1"
    ) 3>&2 2>/dev/null &
    launchers+=($!)
    while [ ! -s "$work/pid.$1" ]; do sleep 0.005; done
    say "  $(stamp)  demo: started futex-ra for job $1 (pid $(cat "$work/pid.$1"))"
}
for name in A B C; do
    launch "$name"
done

# the nth "acquired" event: waits for it, prints it
await_acquired() { # n
    local deadline=$((SECONDS + 30))
    while [ "$(grep -c '^[0-9]* acquired' "$events" 2>/dev/null || true)" -lt "$1" ]; do
        [ $SECONDS -lt $deadline ] || { say "demo: no acquisition number $1 within 30 s" >&2; exit 1; }
        sleep 0.02
    done
    grep '^[0-9]* acquired' "$events" | sed -n "$1p"
}
field() { # line key
    local f
    for f in $1; do case $f in "$2"=*) echo "${f#*=}" ;; esac; done
}

await_acquired 1 >/dev/null
sleep 0.3
say "  $(stamp)  demo: futex-ra ls while the first job holds the lock:"
"$futex_ra" ls | sed 's/^/             | /'

say "  $(stamp)  demo: an impatient job: futex-ra run --lock nightly-report --timeout 300ms -- ./job.sh D"
set +e
"$futex_ra" run --lock nightly-report --timeout 300ms -- "$work/job.sh" D 2>"$work/impatient.err"
impatient_status=$?
set -e
say "  $(stamp)  demo: job D gave up: exit status $impatient_status; stderr: $(cat "$work/impatient.err")"

second=$(await_acquired 2)
victim_job=$(field "$second" job)
victim_pid=$(field "$second" futex_ra_pid)
victim_job_pid=$(field "$second" job_pid)
sleep 0.7
kill_ms=$(($(date +%s%N) / 1000000))
kill -9 "$victim_pid"
kill -9 "$victim_job_pid" 2>/dev/null || true
echo "$kill_ms killed job=$victim_job futex_ra_pid=$victim_pid" >>"$events"
say "  $(stamp)  demo: kill -9 $victim_pid (futex-ra holding nightly-report for job $victim_job) and its job"

third=$(await_acquired 3)
for pid in "${launchers[@]}"; do wait "$pid" || true; done
launchers=()
for name in A B C; do
    say "  $(stamp)  demo: futex-ra for job $name (pid $(cat "$work/pid.$name")) exited with status $(cat "$work/status.$name")"
    rm -f "$work/pid.$name"
done

say ""
say "== futex-ra ls"
"$futex_ra" ls
json=$("$futex_ra" ls --json)

# ---- the summary, from the events the jobs logged and from ls --json -------------------------------
say ""
say "== summary (computed from the jobs' log and futex-ra ls --json)"
mapfile -t acquired < <(grep '^[0-9]* acquired' "$events")
ok=true
previous_token=0
previous_end=0
for line in "${acquired[@]}"; do
    at=${line%% *}
    job=$(field "$line" job)
    token=$(field "$line" token)
    died=$(field "$line" died)
    released=$(grep "^[0-9]* released job=$job " "$events" | cut -d' ' -f1 || true)
    killed=$(grep "^[0-9]* killed job=$job " "$events" | cut -d' ' -f1 || true)
    end=${released:-$killed}
    how=$([ -n "$released" ] && echo "released it" || echo "was KILLED holding it")
    extra=""
    if [ "$died" = 1 ]; then
        kill_at=$(grep '^[0-9]* killed' "$events" | tail -1 | cut -d' ' -f1)
        extra=", told the previous holder died (its job ran $((at - kill_at)) ms after the kill -9)"
        [ -n "$(grep "^[0-9]* repaired job=$job " "$events")" ] && extra="$extra, repaired first"
    fi
    say "  job $job: fencing token $token, held from +$(((at - START_NS / 1000000)))ms; $how$extra"
    [ "$token" -gt "$previous_token" ] || { say "  VIOLATION: token $token not above $previous_token"; ok=false; }
    [ "$at" -ge "$previous_end" ] || { say "  VIOLATION: job $job acquired before the previous holder let go"; ok=false; }
    previous_token=$token
    previous_end=${end:-$at}
done
died_flags=$(grep -c '^[0-9]* acquired .* died=1 ' "$events" || true)
kills=$(grep -c '^[0-9]* killed' "$events" || true)
object=$(printf '%s\n' "$json" | grep '"name":"nightly-report"')
json_field() { printf '%s' "$object" | grep -o "\"$1\":[a-z0-9]*" | cut -d: -f2; }
say "  job D (--timeout 300ms): exit status $impatient_status (75 = timed out, nothing run)"
say "  ls --json: acquisitions=$(json_field acquisitions) ownerDiedCount=$(json_field ownerDiedCount)" \
    "fencingToken=$(json_field fencingToken) held=$(json_field held) abandoned=$(json_field abandoned)"
[ "${#acquired[@]}" -eq 3 ] || { say "  VIOLATION: ${#acquired[@]} acquisitions, expected 3"; ok=false; }
[ "$died_flags" -eq "$kills" ] || { say "  VIOLATION: $kills kills but $died_flags died flags"; ok=false; }
[ "$(json_field ownerDiedCount)" = "$kills" ] || { say "  VIOLATION: ownerDiedCount is not $kills"; ok=false; }
[ "$(json_field held)" = false ] || { say "  VIOLATION: the lock is still held"; ok=false; }
[ "$impatient_status" = 75 ] || { say "  VIOLATION: the impatient job did not time out with 75"; ok=false; }
if $ok; then
    say "  OK: one holder at a time, tokens strictly increasing, $kills kill -9 while holding -> $died_flags" \
        "next holder told it died, lock free at the end"
else
    exit 1
fi

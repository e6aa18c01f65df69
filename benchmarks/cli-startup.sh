#!/usr/bin/env bash
# Start-up time of `futex-ra run --lock x -- true`, before and after bin/futex-ra's tuning.
# Usage: benchmarks/cli-startup.sh [RUNS]   (after `mvn -B -ntp -DskipTests package`; uses hyperfine if
# installed, `apt-get install -y hyperfine`, else a loop printing min and median wall time).
# Compare on an idle machine: on 2 shared CPUs the spread is larger than the differences.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
export FUTEX_RA_DIR=/dev/shm/futex-ra-startup-bench.$$
trap 'rm -rf "$FUTEX_RA_DIR"' EXIT
jar=$(ls cli/target/futex-ra-cli-*-all.jar | head -1)
cp=$jar:cli/target/lib/jna.jar
java=${FUTEX_RA_JAVA:-java}
bin/futex-ra --version >/dev/null # makes the class-data archive if missing (once)

names=("before: java -cp JAR io.futexra.cli.Main (JVM defaults)"
    "bin/futex-ra with FUTEX_RA_CDS=0 (JVM flags, JNA paths)"
    "after: bin/futex-ra (flags, JNA paths, class-data archive)"
    "floor: bin/futex-ra --version (JVM only, no JNA, no space)")
commands=("$java --enable-native-access=ALL-UNNAMED -cp $cp io.futexra.cli.Main run --lock x -- true"
    "env FUTEX_RA_CDS=0 bin/futex-ra run --lock x -- true"
    "bin/futex-ra run --lock x -- true"
    "bin/futex-ra --version")
echo "java: $("$java" -version 2>&1 | head -1); load: $(cut -d' ' -f1-3 /proc/loadavg); cpus: $(nproc)"
if command -v hyperfine >/dev/null; then
    args=()
    for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${commands[$i]}"); done
    hyperfine -N -w 5 -r "$runs" "${args[@]}"
else
    for i in "${!names[@]}"; do
        for _ in 1 2 3; do ${commands[$i]} >/dev/null; done # warm-up
        times=()
        for _ in $(seq "$runs"); do
            t0=$(date +%s%N); ${commands[$i]} >/dev/null; t1=$(date +%s%N)
            times+=($(((t1 - t0) / 100000)))
        done
        sorted=($(printf '%s\n' "${times[@]}" | sort -n))
        min=${sorted[0]} median=${sorted[$((${#sorted[@]} / 2))]}
        printf '%-62s min %d.%d ms  median %d.%d ms\n' "${names[$i]}" $((min / 10)) $((min % 10)) \
            $((median / 10)) $((median % 10))
    done
fi

#!/usr/bin/env bash
# Benchmarks, side by side in one run: ./bench.sh [quick|full] (quick: about 5 minutes on 2 CPUs).
# Writes benchmarks/results/results.md (tables with ratios) and results.json (raw), plus JMH's jmh.json,
# and SVG charts (plain-loop, uncontended, contended, latency) beside them.
# The plain-loop comparison runs on this java and on every java in FUTEXRA_BENCH_JAVAS (comma-separated;
# default: Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64 if it is there).
# With FUTEXRA_JDBC_URL set (e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=x),
# also measures PostgreSQL SELECT ... FOR UPDATE and pg_advisory_lock against a NamedLock.
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-quick}"
mvn -B -ntp -q -DskipTests package -pl benchmarks -am
gcc -O2 -o benchmarks/target/contended benchmarks/src/main/c/contended.c
javas="$(command -v java)"
extra="${FUTEXRA_BENCH_JAVAS-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
for j in ${extra//,/ }; do
    if [ -x "$j" ]; then javas="$javas,$j"; fi
done
jdbc=()
if [ -n "${FUTEXRA_JDBC_URL:-}" ]; then
    jdbc=("-Dfutexra.jdbc.url=$FUTEXRA_JDBC_URL")
fi
exec java -Xmx256m --enable-native-access=ALL-UNNAMED "-Dfutexra.bench.javas=$javas" "${jdbc[@]}" -cp benchmarks/target/benchmarks.jar \
    io.futexra.bench.BenchMain "$mode" benchmarks/results benchmarks/target/contended

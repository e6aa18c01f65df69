#!/usr/bin/env bash
# Benchmarks, side by side in one run: ./bench.sh [quick|full] (quick: about 5 minutes on 2 CPUs).
# Writes benchmarks/results/results.md (tables with ratios) and results.json (raw), plus JMH's jmh.json.
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-quick}"
mvn -B -ntp -q -DskipTests package -pl adapter,benchmarks -am
gcc -O2 -o benchmarks/target/contended benchmarks/src/main/c/contended.c
exec java -Xmx256m --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
    io.futexra.bench.BenchMain "$mode" benchmarks/results benchmarks/target/contended

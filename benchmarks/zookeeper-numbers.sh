#!/usr/bin/env bash
# The ZooKeeper backend's numbers in one command: builds, then starts a 3-node ensemble in one JVM
# (loopback) and measures acquire+release through futex-ra's zookeeper: backend against raw Curator
# InterProcessMutex and the shm: backend, and kill -9 -> next holder for session timeouts 2, 4, 8 s.
# Writes benchmarks/results/zookeeper.md. About a minute after the build on 2 CPUs.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests package -pl benchmarks -am
exec java -Xmx256m --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
    io.futexra.bench.ZooKeeperNumbers benchmarks/results

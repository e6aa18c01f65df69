#!/usr/bin/env bash
# Cost per uncontended acquire+release of the zookeeper: backend at two commits, same machine,
# same server, alternating runs: BEFORE (default c21e322, before holds watched their node) and
# AFTER (default HEAD), and AFTER with digest credentials (creator ACLs on every node).
# Usage: benchmarks/zookeeper-before-after.sh [BEFORE [AFTER [ROUNDS]]]
# Builds nothing into the tree: exports both commits' api, backend-kit and zookeeper sources to a
# temporary directory and compiles them with javac against the zookeeper module's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${1:-c21e322}
AFTER=${2:-HEAD}
ROUNDS=${3:-5}
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
mvn -B -ntp -o -q -pl zookeeper dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test
DEPS=$(tr ':' '\n' < "$WORK/cp.txt" | grep -v futex-ra | paste -sd:)
for v in before after; do
  mkdir -p "$WORK/$v/src" "$WORK/$v/classes"
  commit=$([ $v = before ] && echo "$BEFORE" || echo "$AFTER")
  git archive "$commit" api backend-kit zookeeper | tar -x -C "$WORK/$v/src"
  javac -nowarn -d "$WORK/$v/classes" -cp "$DEPS" $(find "$WORK/$v/src" -path '*/src/main/java/*.java')
  cp -r "$WORK/$v/src/zookeeper/src/main/resources/." "$WORK/$v/classes/"
done
javac -nowarn -d "$WORK/driver" -cp "$DEPS:$WORK/after/classes" benchmarks/zk-before-after/Bench.java benchmarks/zk-before-after/Server.java
PORT=21810
java -Xmx128m -cp "$DEPS:$WORK/driver" Server $PORT > "$WORK/server.log" 2>&1 &
SERVER=$!
until grep -q '^up ' "$WORK/server.log"; do sleep 0.2; done
install -m 600 /dev/null "$WORK/cred" && echo "bench:pw-$RANDOM$RANDOM" > "$WORK/cred"
for round in $(seq 1 "$ROUNDS"); do
  java -Xmx128m -cp "$DEPS:$WORK/before/classes:$WORK/driver" Bench "zookeeper://127.0.0.1:$PORT/bench/b$round?sessionTimeout=10s" 1000 before
  java -Xmx128m -cp "$DEPS:$WORK/after/classes:$WORK/driver" Bench "zookeeper://127.0.0.1:$PORT/bench/a$round?sessionTimeout=10s" 1000 after
  java -Xmx128m -cp "$DEPS:$WORK/after/classes:$WORK/driver" Bench "zookeeper://127.0.0.1:$PORT/bench/c$round?sessionTimeout=10s&digestFile=$WORK/cred" 1000 after+acl
done 2>&1 | grep -v SLF4J

#!/usr/bin/env bash
# README's test command: builds everything and runs every test of the default build on the default
# JDK (17), then the library's tests again on Java 25 where a Temurin 25 JDK is installed beside it.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp verify "$@"
jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -x "$jdk25/bin/java" ]; then
    echo "=== the library's tests again on $("$jdk25/bin/java" -version 2>&1 | head -1)"
    mvn -B -ntp -o surefire:test -pl adapter -Djvm="$jdk25/bin/java"
fi

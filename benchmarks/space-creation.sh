#!/usr/bin/env bash
# Time to create a space of the default capacity (4096 objects, 16 MiB): this checkout against
# another git revision (default: main), interleaved in one run.
#   benchmarks/space-creation.sh [REVISION] [ROUNDS] [BATCHES]
# Needs: mvn -B -ntp -pl shm -am compile (this checkout's classes), a JDK 17+, JNA in ~/.m2.
# REVISION must have the module layout (api/, backend-kit/, shm/).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:-main} rounds=${2:-50} batches=${3:-5}
jna=$(find ~/.m2/repository/net/java/dev/jna/jna/5.19.1 -name 'jna-5.19.1.jar' | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work" /dev/shm/futex-ra-bench-create-$$' EXIT
# the other revision's adapter, compiled on the side
git -C "$here" archive "$rev" api/src/main/java backend-kit/src/main/java shm/src/main | tar -x -C "$work"
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$jna" $(find "$work/api" "$work/backend-kit" "$work/shm" -name '*.java') 2>/dev/null
cp -r "$work/shm/src/main/resources/." "$work/classes/"
for batch in $(seq "$batches"); do
    for side in "$rev:$work/classes" "this:$here/api/target/classes:$here/backend-kit/target/classes:$here/shm/target/classes"; do
        printf '%-6s batch %s: min/median/mean us ' "${side%%:*}" "$batch"
        java -cp "${side#*:}:$jna" "$here/benchmarks/space-creation/SpaceCreation.java" \
            "/dev/shm/futex-ra-bench-create-$$/${side%%:*}" "$rounds"
    done
done

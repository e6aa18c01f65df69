#!/usr/bin/env bash
# README's test command: builds everything and runs every test of the default build.
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B -ntp verify "$@"

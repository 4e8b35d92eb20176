#!/usr/bin/env bash
# Runs the whole test suite against real MariaDB, Redis and Hazelcast members on 127.0.0.1.
# Starts Redis/MariaDB if they are down and creates the test databases first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-services.sh
exec mvn -B -ntp test "$@"

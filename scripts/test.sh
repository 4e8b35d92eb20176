#!/usr/bin/env bash
# Runs the whole test suite against real MariaDB, Redis and Hazelcast members on 127.0.0.1, and
# the console's browser test in Debian's chromium. Installs and starts what is missing first
# (scripts/ensure-services.sh, scripts/ensure-browser.sh; as root, else they say what to run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-services.sh
scripts/ensure-browser.sh
exec mvn -B -ntp test "$@"

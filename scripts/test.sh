#!/usr/bin/env bash
# Runs the whole test suite: the server's and the benchmark's tests against real MariaDB, Redis and
# Hazelcast members on 127.0.0.1 (and the console's browser test in Debian's chromium), the lint of
# the OpenAPI description, then the TypeScript client's tests against a node started from the jar
# just built. Installs and starts what is missing first (scripts/ensure-services.sh,
# scripts/ensure-browser.sh; as root, else they say what to run). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-services.sh
scripts/ensure-browser.sh
# verify: the tests, then the jars (target/ravenpost.jar is what the client's tests start).
mvn -B -ntp verify "$@"
scripts/lint-openapi.sh
clients/typescript/test.sh

#!/usr/bin/env bash
# The TypeScript client's tests, for a repository-level test command: installs exactly what
# package-lock.json pins (npm registry only), builds, and runs every test file against a node it
# starts from ../../target/ravenpost.jar (build that first at the root: mvn -B -ntp -DskipTests package).
# The server has the change feed and mail in several languages, so their tests (test/sync.test.mjs) run by
# default (RAVENPOST_FEED=0 skips them).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f ../../target/ravenpost.jar ]; then
  echo "clients/typescript/test.sh: ../../target/ravenpost.jar is missing; build it at the repository root first:" \
    "mvn -B -ntp -DskipTests package" >&2
  exit 2
fi
# MariaDB and Redis for the node the tests start (idempotent; installs or starts them as root).
if [ -x ../../scripts/ensure-services.sh ]; then
  ../../scripts/ensure-services.sh
fi
export RAVENPOST_FEED="${RAVENPOST_FEED:-1}"
npm ci --no-audit --no-fund
npm test

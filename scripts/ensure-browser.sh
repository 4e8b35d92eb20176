#!/usr/bin/env bash
# The console's browser test drives Debian's chromium through chromium-driver. Installs both when
# they are missing (as root; otherwise prints what to run). Idempotent.
set -euo pipefail
RAVEN_SCRIPT=browser
. "$(dirname "$0")/lib.sh"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  install_packages "${missing[@]}" || { say "the browser test (ConsoleBrowserTest) needs them"; exit 1; }
fi
say "$(/usr/bin/chromium --version 2>/dev/null | head -n 1), $(/usr/bin/chromedriver --version 2>/dev/null | head -n 1 | cut -d' ' -f1-2)"

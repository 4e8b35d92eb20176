#!/usr/bin/env bash
# Lints docs/openapi.yaml with the pinned Redocly CLI and its recommended rules, with the exceptions
# in redocly.yaml at the repository root (each there with its reason). Exits 0 only when there is no
# problem at all: Redocly itself exits 0 on warnings, so the totals are read from its JSON report;
# problems silenced by an ignore file (.redocly.lint-ignore.yaml) count too, since an exception
# belongs in redocly.yaml with its reason. A config file with mistakes fails as well.
# Needs Node.js and npm (npx fetches the CLI from the npm registry on first use).
set -euo pipefail
RAVEN_SCRIPT=lint-openapi
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

REDOCLY=@redocly/cli@2.77.0
command -v npx >/dev/null || { say "npx not found: install Node.js and npm"; exit 2; }

report=$(mktemp)
trap 'rm -f "$report"' EXIT
rc=0
npx --yes "$REDOCLY" lint docs/openapi.yaml --config redocly.yaml --lint-config error --format json \
  >"$report" || rc=$?

# Prints every problem as file:line:col severity rule message, then the totals; fails on any.
node - "$report" "$rc" <<'EOF'
const fs = require('fs');
const [file, rc] = process.argv.slice(2);
let out;
try {
  out = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (e) {
  console.error(`[lint-openapi] Redocly gave no report (exit ${rc}); its messages are above`);
  process.exit(Number(rc) || 1);
}
for (const p of out.problems) {
  const at = p.location[0] || {};
  const where = at.start ? `${at.source.ref}:${at.start.line}:${at.start.col}` : (at.pointer || '');
  console.log(`${where} ${p.severity} ${p.ruleId}: ${p.message}`);
}
const t = out.totals;
console.log(`[lint-openapi] ${t.errors} errors, ${t.warnings} warnings, ${t.ignored} ignored`);
if (t.ignored > 0) {
  console.log('[lint-openapi] an ignore file silenced some: put each exception in redocly.yaml, with its reason');
}
process.exit(t.errors + t.warnings + t.ignored > 0 || Number(rc) !== 0 ? 1 : 0);
EOF

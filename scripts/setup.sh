#!/usr/bin/env bash
# One command on a fresh clone: install what the gate needs, then run the gate against the bundled demo app.
# Its exit code is the gate's: 0 pass, 1 warnings, 2 strict, 3 critical.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
printf 'preflight setup: running the gate: npx playwright test\n'
exec npx playwright test "$@"

#!/usr/bin/env bash
# npm test: the type check and preflight's own tests at once (the check is one process of about 10 s; the tests keep
# both cores busy for minutes anyway), the slowest test files first (scripts/test-files.mjs). Fails when either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
types_log=$(mktemp)
node_modules/.bin/tsc --noEmit >"$types_log" 2>&1 &
types=$!
# shellcheck disable=SC2046 # one argument per test file
node --import tsx --test --test-concurrency=3 $(node scripts/test-files.mjs)
tests=$?
wait "$types"
typecheck=$?
if [ "$typecheck" -eq 0 ]; then
  echo "npm test: the type check passed (npx tsc --noEmit)"
else
  echo "npm test: the type check failed (npx tsc --noEmit):"
  cat "$types_log"
fi
rm -f "$types_log"
[ "$tests" -eq 0 ] && [ "$typecheck" -eq 0 ]

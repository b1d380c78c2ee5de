// The test files `npm test` runs, slowest first: three run at once, and a slow file that starts last ends the run
// late (measured with CI=true npm test, docs/own-tests.md). Every other file follows in name order, the unit tests last.
import fs from 'node:fs';

const SLOWEST_FIRST = [
  'production', 'any-app', 'sharded-gate', 'verdict-gate', 'production-writes', 'gate-config', 'demo-faults', 'gate',
  'detached-services', 'health-cli', 'readiness', 'reports-folder',
].map((name) => `selftest/e2e/${name}.test.ts`);

const files = (dir) => fs.readdirSync(dir).filter((name) => name.endsWith('.test.ts')).sort().map((name) => `${dir}/${name}`);
const e2e = files('selftest/e2e');
console.log([...SLOWEST_FIRST.filter((file) => e2e.includes(file)), ...e2e.filter((file) => !SLOWEST_FIRST.includes(file)), ...files('selftest/unit')].join(' '));

// The whole gate, ten times in a row against the demo app: no flake, and nothing left alive after any run.
// Slow (about a minute and a half): `npm run test:soak`, run by .ci/run after `npm test`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leftoverProcesses } from '../support/leftovers.ts';
import { explain, runGate } from '../support/run-gate.ts';

const RUNS = 10;

describe(`the gate, ${RUNS} runs in a row`, () => {
  for (let i = 1; i <= RUNS; i++) {
    it(`run ${i}: passes and leaves no process behind`, async () => {
      // As users run it: the default workers, one shared browser.
      const run = await runGate({ env: { PREFLIGHT_WORKERS: '' } });
      assert.equal(run.exitCode, 0, explain(run));
      assert.equal(run.verdict.specs.passed, 4, explain(run));
      assert.deepEqual(leftoverProcesses(run), [], explain(run));
    });
  }
});

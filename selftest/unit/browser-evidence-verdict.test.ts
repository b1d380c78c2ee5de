// How what the browser saw weighs in the verdict (docs/browser-evidence.md), as a pure function of the specs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserEvidence, BrowserErrorsSeverity } from '../../harness/browser-evidence/evidence.ts';
import { decideVerdict, type SpecResult } from '../../harness/verdict/verdict.ts';

const evidence = (severity: BrowserErrorsSeverity, count = 1): BrowserEvidence => ({
  severity,
  count,
  items: Array.from({ length: Math.min(count, 50) }, (_, i) => ({ kind: 'console error', text: `error ${i + 1}` })),
});
const spec = (outcome: SpecResult['outcome'], browserEvidence?: BrowserEvidence, tags = ['@critical']): SpecResult => ({
  title: `a ${outcome} spec`,
  file: 'tests/x.spec.ts',
  line: 3,
  project: 'local',
  tags,
  outcome,
  error: outcome === 'unexpected' ? 'Error: boom' : undefined,
  browserEvidence,
});
const decide = (specs: SpecResult[], strict = false) =>
  decideVerdict({ specs, services: [], setupProblems: [], runErrors: [], runStatus: 'passed', strict });

describe('the browser evidence in the verdict', () => {
  it('a spec that passed while its browser saw errors is a warning naming the first three', () => {
    const verdict = decide([spec('expected', evidence('warning', 5))]);
    assert.equal(verdict.exitCode, 1);
    assert.deepEqual(verdict.warnings.map((w) => w.reason), [
      "passed, but the browser saw 5 problems: console error: error 1; console error: error 2; console error: error 3 (and 2 more in the spec's attachment)",
    ]);
  });

  it('in strict mode the warning exits 2; a non-critical spec warns too', () => {
    assert.equal(decide([spec('expected', evidence('warning'), [])], true).exitCode, 2);
  });

  it('declared critical -> 3; ignore -> nothing', () => {
    const critical = decide([spec('expected', evidence('critical'))]);
    assert.equal(critical.exitCode, 3);
    assert.equal(critical.criticalFailures[0].reason, 'passed, but the browser saw 1 problem: console error: error 1');
    assert.equal(decide([spec('expected', evidence('ignore', 3))]).exitCode, 0);
  });

  it('a failed spec is counted once, as failed; a flaky one is both flaky and the evidence', () => {
    const failed = decide([spec('unexpected', evidence('warning'))]);
    assert.deepEqual(failed.criticalFailures.map((f) => f.reason), ['failed: Error: boom']);
    assert.equal(failed.warnings.length, 0);
    const flaky = decide([spec('flaky', evidence('warning'))]);
    assert.equal(flaky.warnings.length, 2);
  });
});

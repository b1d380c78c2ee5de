import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftFinding } from '../../harness/core/findings.ts';
import { decideVerdict, type VerdictInput } from '../../harness/verdict/verdict.ts';

const passingRun = (drift: DriftFinding[], strict = false): VerdictInput => ({
  specs: [{ title: 'flow', file: 'tests/x.spec.ts', line: 1, project: 'local', tags: ['@critical'], outcome: 'expected' }],
  services: [],
  setupProblems: [],
  runErrors: [],
  runStatus: 'passed',
  strict,
  drift,
});
const finding = (severity: DriftFinding['severity']): DriftFinding => ({ fact: 'backend port', severity, reason: 'RUNBOOK.md:8 says 3003' });

describe('decideVerdict with configuration drift', () => {
  it('critical drift is critical (3); warning drift is a warning (1, or 2 in strict mode); none changes nothing', () => {
    const verdicts = [
      decideVerdict(passingRun([finding('critical'), finding('warning')])),
      decideVerdict(passingRun([finding('warning')])),
      decideVerdict(passingRun([finding('warning')], true)),
      decideVerdict(passingRun([])),
    ];
    assert.deepEqual(verdicts.map((v) => v.exitCode), [3, 1, 2, 0]);
    assert.deepEqual(verdicts[0]!.criticalFailures, [{ kind: 'drift', title: 'backend port', reason: 'RUNBOOK.md:8 says 3003' }]);
    assert.deepEqual(verdicts[1]!.warnings.map((w) => w.kind), ['drift']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceRecord } from '../../harness/run/run-state.ts';
import { decideVerdict, type SpecResult, type VerdictInput } from '../../harness/verdict/verdict.ts';

const spec = (outcome: SpecResult['outcome'], tags = ['@critical'], title = `a ${outcome} spec`): SpecResult => ({
  title,
  file: 'tests/x.spec.ts',
  line: 3,
  project: 'local',
  tags,
  outcome,
  error: outcome === 'unexpected' ? 'Error: boom' : undefined,
});
const service = (extra: Partial<ServiceRecord> = {}): ServiceRecord => ({
  name: 'backend',
  url: 'http://127.0.0.1:3001',
  healthUrl: 'http://127.0.0.1:3001/ops/health/production',
  reused: false,
  contract: 'ready',
  ...extra,
});
const input = (extra: Partial<VerdictInput>): VerdictInput => ({
  specs: [spec('expected')],
  services: [service()],
  setupProblems: [],
  runErrors: [],
  runStatus: 'passed',
  strict: false,
  ...extra,
});

describe('decideVerdict: the exit-code table of DESIGN.md', () => {
  const table: Array<[string, Partial<VerdictInput>, number, string]> = [
    ['every spec passed', {}, 0, 'pass'],
    ['a @critical spec failed', { specs: [spec('expected'), spec('unexpected')] }, 3, 'critical'],
    ['a @critical spec passed only on retry', { specs: [spec('flaky')] }, 1, 'warnings'],
    ['a flaky @critical spec in strict mode', { specs: [spec('flaky')], strict: true }, 2, 'strict'],
    ['a non-critical spec failed', { specs: [spec('expected'), spec('unexpected', [])] }, 1, 'warnings'],
    ['a non-critical failure in strict mode', { specs: [spec('unexpected', [])], strict: true }, 2, 'strict'],
    ['a @critical spec was skipped', { specs: [spec('expected'), spec('skipped')] }, 3, 'critical'],
    ['a non-critical spec was skipped', { specs: [spec('expected'), spec('skipped', [])] }, 0, 'pass'],
    ['a @critical spec skipped by the harness for safety', { specs: [spec('expected'), { ...spec('skipped'), safetySkip: 'production writes not allowed' }] }, 0, 'pass'],
    ['no spec ran at all', { specs: [] }, 3, 'critical'],
    ['a service said ready-degraded', { services: [service({ contract: 'degraded', contractReason: 'ready-degraded: disk 91%' })] }, 1, 'warnings'],
    ['ready-degraded in strict mode', { services: [service({ contract: 'degraded' })], strict: true }, 2, 'strict'],
    ['a service never became ready', { services: [service({ contract: undefined, failure: { summary: 'backend exited with code 1', diagnosis: '...' } })] }, 3, 'critical'],
    ['a service died during the run', { services: [service({ diedDuringRun: { exitCode: 7, signal: null, at: '', diagnosis: 'backend exited with code 7 during the run' } })] }, 3, 'critical'],
    ['the contract said down', { services: [service({ contract: 'down' })] }, 3, 'critical'],
    ['the contract was violated', { services: [service({ contract: 'violation' })] }, 3, 'critical'],
    ['the configuration is invalid', { specs: [], setupProblems: [{ what: 'configuration', diagnosis: 'PREFLIGHT_STRICT: ...' }] }, 3, 'critical'],
    ['an error outside the specs', { runErrors: ['Error in global setup'] }, 3, 'critical'],
    ['the global timeout was hit', { runStatus: 'timedout' }, 3, 'critical'],
    ['interrupted (Ctrl+C), even with failures', { runStatus: 'interrupted', specs: [spec('unexpected')] }, 130, 'interrupted'],
    ['critical beats warnings', { specs: [spec('unexpected'), spec('flaky')], strict: true }, 3, 'critical'],
  ];
  for (const [when, given, exitCode, verdict] of table) {
    it(`${when} -> ${exitCode} (${verdict})`, () => {
      const result = decideVerdict(input(given));
      assert.equal(result.exitCode, exitCode);
      assert.equal(result.verdict, verdict);
    });
  }

  it('names the failed critical spec with its file, line and project', () => {
    const result = decideVerdict(input({ specs: [spec('unexpected', ['@critical'], 'integration: story stored')] }));
    assert.deepEqual(result.criticalFailures, [
      { kind: 'spec', title: 'integration: story stored', reason: 'failed: Error: boom', file: 'tests/x.spec.ts', line: 3, project: 'local' },
    ]);
  });

  it('carries the degraded message into the warning', () => {
    const result = decideVerdict(input({ services: [service({ contract: 'degraded', contractReason: 'ready-degraded: disk 91%' })] }));
    assert.match(result.warnings[0].reason, /disk 91%/);
  });
});

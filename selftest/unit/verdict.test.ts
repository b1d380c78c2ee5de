import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceRecord } from '../../harness/core/service-record.ts';
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
const missing = { title: 'integration', file: 'tests/integration.spec.ts', line: 3, project: 'local', why: 'filtered out of this run by the command line' };
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

describe('decideVerdict: the exit-code table of docs/design.md', () => {
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
    ['the harness stopped the run before the specs (a service never became ready)', { specs: [spec('skipped'), spec('skipped')], stoppedEarly: 'a service did not become ready' }, 3, 'critical'],
    ['the harness stopped the run before any spec was collected', { specs: [], stoppedEarly: 'a service did not become ready' }, 3, 'critical'],
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
    ['a @critical spec was filtered out', { completeness: { missing: [missing], problems: [] } }, 3, 'critical'],
    ['the @critical specs could not be listed', { completeness: { missing: [], problems: ['listing failed'] } }, 3, 'critical'],
    ['partial: a @critical spec filtered out', { allowPartial: true, completeness: { missing: [missing], problems: [] } }, 0, 'pass'],
    ['partial: a @critical spec skipped', { allowPartial: true, specs: [spec('expected'), spec('skipped')] }, 0, 'pass'],
    ['partial: no spec ran at all', { allowPartial: true, specs: [] }, 0, 'pass'],
    ['partial: what ran failed critically', { allowPartial: true, specs: [spec('unexpected')], completeness: { missing: [missing], problems: [] } }, 3, 'critical'],
    ['partial: what ran has a warning', { allowPartial: true, specs: [spec('flaky')], completeness: { missing: [missing], problems: [] } }, 1, 'warnings'],
    ['interrupted with critical specs missing', { runStatus: 'interrupted', completeness: { missing: [missing], problems: [] } }, 130, 'interrupted'],
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

  it('a partial run lists what did not run, is marked partial, and fails nothing for it', () => {
    const result = decideVerdict(input({ allowPartial: true, specs: [spec('expected'), spec('skipped', ['@critical'], 'skipped one')], completeness: { missing: [missing], problems: [] } }));
    assert.equal(result.partial, true);
    assert.deepEqual(result.criticalFailures, []);
    assert.deepEqual(result.notRun.map((finding) => finding.title), ['skipped one', 'integration']);
    assert.match(result.notRun[1]!.reason, /did not run: filtered out of this run by the command line/);
  });

  it('PREFLIGHT_ALLOW_PARTIAL with every critical spec run is a full gate, not partial', () => {
    const result = decideVerdict(input({ allowPartial: true, completeness: { missing: [], problems: [] } }));
    assert.equal(result.partial, false);
  });

  it('names a filtered-out critical spec with its file, line and project', () => {
    const result = decideVerdict(input({ completeness: { missing: [missing], problems: [] } }));
    assert.deepEqual(result.criticalFailures, [
      { kind: 'spec', title: 'integration', file: 'tests/integration.spec.ts', line: 3, project: 'local', reason: 'a @critical spec did not run: filtered out of this run by the command line' },
    ]);
  });

  it('lists a spec skipped for safety apart, with its reason', () => {
    const result = decideVerdict(input({ specs: [spec('expected'), { ...spec('skipped', ['@critical'], 'writes'), safetySkip: 'production writes not allowed' }] }));
    assert.deepEqual(result.safetySkipped.map((finding) => [finding.title, finding.reason]), [['writes', 'skipped by the harness for safety: production writes not allowed']]);
  });

  it('counts specs a stopped run never reached, or that its fixtures refused to run, as one finding', () => {
    const refused = { ...spec('unexpected'), error: 'PreflightError: preflight: not run, the services did not become ready.' };
    const result = decideVerdict(input({ specs: [refused, spec('skipped')], stoppedEarly: 'a service did not become ready' }));
    assert.deepEqual(result.criticalFailures.map((finding) => finding.reason), ['2 @critical spec(s) did not run: the harness stopped the run because a service did not become ready']);
  });

  it('says once why a run the harness stopped has no specs, not also "no specs ran"', () => {
    const stopped = decideVerdict(input({ specs: [], stoppedEarly: 'a service did not become ready' }));
    assert.deepEqual(stopped.criticalFailures.map((finding) => finding.reason), ['no spec ran: the harness stopped the run because a service did not become ready']);
    const drifted = decideVerdict(input({ specs: [], drift: [{ fact: 'backend port', severity: 'critical', reason: 'RUNBOOK.md:8 says 3003' } as never] }));
    assert.deepEqual(drifted.criticalFailures.map((finding) => finding.title), ['backend port']);
  });
});

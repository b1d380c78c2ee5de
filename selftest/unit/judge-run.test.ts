// judgeRun, stage 6 of harness/gate/pipeline.ts: the run's facts in; the report, summary, console text and exit
// code out, with nothing read from the machine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeRun, type RunRecord } from '../../harness/reporter/judge-run.ts';
import { reportPaths } from '../../harness/core/report-paths.ts';

const record = (extra: Partial<RunRecord> = {}): RunRecord => ({
  specs: [{ title: 'walks the flow', file: 'tests/a.spec.ts', line: 3, project: 'local', tags: ['@critical'], outcome: 'expected' }],
  runStatus: 'passed',
  facts: { strict: false, allowPartial: false, services: [], setupProblems: [], drift: [], problems: [], shards: [] },
  completeness: { missing: [], problems: [] },
  runErrors: [],
  startedAt: '2026-11-26T07:00:00.000Z',
  endedAt: '2026-11-26T07:00:09.000Z',
  timing: {},
  paths: reportPaths('/project', {}),
  logsWritten: false,
  ...extra,
});
const noRedaction = <T>(value: T) => value;

describe('judgeRun', () => {
  it('a passing run: exit 0, and the verdict is the console\'s last line', () => {
    const judged = judgeRun(record(), noRedaction);
    assert.equal(judged.exitCode, 0);
    assert.equal(judged.report.verdict, 'pass');
    assert.match(judged.consoleText, /preflight verdict: pass, exit code 0\n$/);
    assert.match(judged.summary, /^## preflight: PASS/);
  });

  it('a failed @critical spec: exit 3, named in the console and the summary', () => {
    const judged = judgeRun(record({ specs: [{ ...record().specs[0]!, outcome: 'unexpected', error: 'Error: HTTP 500' }], runStatus: 'failed' }), noRedaction);
    assert.equal(judged.exitCode, 3);
    assert.match(judged.consoleText, /- walks the flow \(local, tests\/a\.spec\.ts:3\): failed: Error: HTTP 500/);
    assert.match(judged.summary, /\| critical \| walks the flow \|/);
  });

  it('the report and the summary are written from the redacted report', () => {
    const services = [{ name: 'backend', url: 'http://127.0.0.1:1', healthUrl: 'h', reused: false, failure: { summary: 'token s3cr3t leaked', diagnosis: 'd' } }];
    const hide = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll('s3cr3t', '[redacted]'));
    const judged = judgeRun(record({ facts: { ...record().facts, services } }), hide);
    assert.equal(judged.exitCode, 3);
    assert.ok(!JSON.stringify(judged.report).includes('s3cr3t') && !judged.summary.includes('s3cr3t'));
  });

  it('an early stop by the harness with a setup problem points at the diagnosis, not at the HTML report', () => {
    const setupProblems = [{ what: 'configuration', diagnosis: 'preflight: the configuration is invalid; nothing was started.' }];
    const judged = judgeRun(record({ specs: [], facts: { ...record().facts, setupProblems } }), noRedaction);
    assert.equal(judged.exitCode, 3);
    assert.match(judged.consoleText, /Next: fix what the diagnosis above names/);
  });
});

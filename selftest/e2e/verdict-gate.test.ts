// The verdict table of docs/design.md, proven by real gate runs against the demo app with faults switched on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { explain, runGate } from '../support/run-gate.ts';

const lastLine = (output: string) => output.trim().split('\n').at(-1);
const CRITICAL_SPECS = [
  'backend starts: its readiness contract says ready',
  'frontend starts: the home page calls to tell your story',
  'integration: a recorded story becomes a profile with its transcript and QR code',
  'Tell Your Story: consent, then a recording with the microphone',
];

describe('the verdict of real gate runs', () => {
  it('degraded -> 1 (warnings), with the contract\'s message in every report', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'backend:degraded' } });
    assert.equal(run.exitCode, 1, explain(run));
    assert.equal(lastLine(run.output), 'preflight verdict: warnings, exit code 1');
    assert.deepEqual(run.verdict.warnings.map((w: any) => [w.kind, w.title]), [['service', 'backend']]);
    assert.match(run.verdict.warnings[0].reason, /ready-degraded: fault degraded: backend is running with reduced capacity/);
    const summary = fs.readFileSync(path.join(run.reportsDir, 'summary.md'), 'utf8');
    assert.match(summary, /^## preflight: WARNINGS/m);
    assert.match(summary, /\| warning \| backend \|.*reduced capacity/);
    assert.equal(run.verdict.partial, false);
  });

  it('degraded with PREFLIGHT_STRICT=true -> 2, and the job summary gets the same summary', async () => {
    const stepSummary = path.join(fs.mkdtempSync(path.join(tmpdir(), 'step-summary-')), 'summary.md');
    fs.writeFileSync(stepSummary, '# earlier step\n');
    const run = await runGate({ env: { DEMO_FAULT: 'frontend:degraded', PREFLIGHT_STRICT: 'true', GITHUB_STEP_SUMMARY: stepSummary } });
    assert.equal(run.exitCode, 2, explain(run));
    assert.equal(lastLine(run.output), 'preflight verdict: strict, exit code 2');
    assert.equal(run.verdict.strict, true);
    const appended = fs.readFileSync(stepSummary, 'utf8');
    assert.ok(appended.startsWith('# earlier step\n'), 'appended, not overwritten');
    assert.ok(appended.includes(fs.readFileSync(path.join(run.reportsDir, 'summary.md'), 'utf8')));
  });

  it('bad-contract -> 3, naming the broken fields', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'backend:bad-contract' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /status: .*got "READY", and "READY" is not "ready": values are case-sensitive/);
    assert.match(run.output, /checks: .*expected record or array \(got "all good"\)/);
    assert.equal(run.verdict.services.find((s: any) => s.name === 'backend').contract, 'violation');
  });

  it('flaky-once with --retries=1 -> 1, the critical spec reported as flaky', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'backend:flaky-once' }, args: ['--retries=1'] });
    assert.equal(run.exitCode, 1, explain(run));
    assert.deepEqual(run.verdict.warnings.map((w: any) => [w.title, w.reason]), [[CRITICAL_SPECS[2], 'flaky: passed only on retry']]);
    assert.equal(run.verdict.specs.flaky, 1);
  });

  it('--grep-invert @critical -> 3, naming every critical spec that was filtered out', async () => {
    const run = await runGate({ args: ['--grep-invert', '@critical'] });
    assert.equal(run.exitCode, 3, explain(run));
    const missing = run.verdict.criticalFailures.filter((f: any) => f.kind === 'spec');
    assert.deepEqual(missing.map((f: any) => f.title).sort(), [...CRITICAL_SPECS].sort());
    assert.match(missing[0].reason, /did not run: filtered out of this run by the command line/);
    assert.ok(run.verdict.criticalFailures.some((f: any) => f.title === 'no specs ran'));
    assert.equal(lastLine(run.output), 'preflight verdict: critical, exit code 3');
  });

  it('--grep-invert @critical with PREFLIGHT_ALLOW_PARTIAL=true -> 0, marked partial at the top of every report', async () => {
    const run = await runGate({ env: { PREFLIGHT_ALLOW_PARTIAL: 'true' }, args: ['--grep-invert', '@critical'] });
    assert.equal(run.exitCode, 0, explain(run));
    assert.equal(lastLine(run.output), 'preflight verdict: pass, exit code 0 (partial run: not a gate)');
    assert.match(run.output, /PARTIAL RUN, NOT A GATE: 4 @critical specs did not run/);
    assert.equal(Object.keys(run.verdict)[0], 'partial');
    assert.equal(run.verdict.partial, true);
    assert.deepEqual(run.verdict.criticalFailures, []);
    assert.deepEqual(run.verdict.notRun.filter((f: any) => f.kind === 'spec').map((f: any) => f.title).sort(), [...CRITICAL_SPECS].sort());
    const summary = fs.readFileSync(path.join(run.reportsDir, 'summary.md'), 'utf8');
    assert.match(summary.split('\n')[0]!, /^> \*\*PARTIAL RUN, NOT A GATE/);
  });

  it('a file argument leaves critical specs out -> 3', async () => {
    const run = await runGate({ args: ['tests/backend.spec.ts'] });
    assert.equal(run.exitCode, 3, explain(run));
    assert.deepEqual(run.verdict.criticalFailures.map((f: any) => f.title).sort(), CRITICAL_SPECS.slice(1).sort());
  });

  it('a @critical spec skipped -> 3; one skipped by the harness for safety is listed, not missing', async () => {
    const run = await runGate({ args: ['--config', 'selftest/fixtures/critical-skip/playwright.config.ts'] });
    assert.equal(run.exitCode, 3, explain(run));
    assert.deepEqual(run.verdict.criticalFailures.map((f: any) => f.title).sort(), ['a critical spec someone skipped', 'a local spec claiming a safety skip']);
    for (const finding of run.verdict.criticalFailures) assert.match(finding.reason, /critical specs cannot be skipped/);
    assert.deepEqual(run.verdict.safetySkipped.map((f: any) => [f.title, f.reason]), [
      ['a critical spec skipped for safety', 'skipped by the harness for safety: production writes are not allowed'],
    ]);
    assert.match(run.output, /Skipped by the harness for safety:\n {2}- a critical spec skipped for safety/);
  });
});

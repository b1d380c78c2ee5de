// Drift as a user meets it: the gate stopping before anything boots, and `npx preflight drift` with its exit codes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { copyDemoConfig, readCopy } from '../support/config-copy.ts';
import { repoRoot } from '../support/demo-process.ts';
import { explain, gateEnvironment, runGate } from '../support/run-gate.ts';

const runbookSays3003 = { 'demo-app/docs/RUNBOOK.md': (t: string) => t.replace('127.0.0.1:3001 |', '127.0.0.1:3003 |') };
const runbookHealthz = { 'demo-app/docs/RUNBOOK.md': (t: string) => t.replace('3001/ops/health/production`', '3001/healthz`') };

async function drift(args: string[], env: Record<string, string> = {}) {
  const { env: base } = await gateEnvironment(env);
  const result = await execa('npx', ['preflight', 'drift', ...args], { cwd: repoRoot, env: base, extendEnv: false, reject: false, all: true });
  return { exitCode: result.exitCode, output: result.all ?? '' };
}

describe('configuration drift in the gate', () => {
  it('exits 3 on critical drift with the table in the console and in reports/, without starting any service', async () => {
    const root = await copyDemoConfig(runbookSays3003);
    const run = await runGate({ env: { PREFLIGHT_DRIFT_ROOT: root } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /critical configuration drift; nothing was started/);
    assert.match(run.output, /✗ backend port +demo-app\/docs\/RUNBOOK\.md:8 +3003 +DIFFERS: demo-app\/backend\/\.env\.example:7 says 3001/);
    assert.match(run.output, /preflight verdict: critical, exit code 3/);
    assert.equal(fs.existsSync(path.join(run.reportsDir, 'logs')), false, 'no service log: nothing was spawned');
    assert.match(fs.readFileSync(path.join(run.reportsDir, 'drift.md'), 'utf8'), /\| ✗ \| backend port \| `demo-app\/docs\/RUNBOOK\.md:8` \| `3003` \|/);
    const report = JSON.parse(fs.readFileSync(path.join(run.reportsDir, 'drift.json'), 'utf8'));
    assert.deepEqual(report.critical.map((f: any) => f.file), ['demo-app/docs/RUNBOOK.md']);
    assert.deepEqual(run.verdict.criticalFailures.filter((f: any) => f.kind === 'drift').map((f: any) => f.title), ['backend port']);
  });

  it('runs the flow on warning drift and ends with the warnings verdict (exit 1)', async () => {
    const root = await copyDemoConfig(runbookHealthz);
    const run = await runGate({ env: { PREFLIGHT_DRIFT_ROOT: root } });
    assert.equal(run.exitCode, 1, explain(run));
    assert.equal(run.verdict.specs.passed, 4, 'the services booted and the specs ran');
    assert.deepEqual(run.verdict.warnings.map((f: any) => [f.kind, f.title]), [['drift', 'readiness contract path']]);
    assert.match(run.output, /preflight verdict: warnings, exit code 1/);
  });
});

describe('npx preflight drift', () => {
  it('exits 0 on the bundled config set', async () => {
    const result = await drift([]);
    assert.equal(result.exitCode, 0, result.output);
    assert.match(result.output, /drift: no drift/);
  });

  it('exits 3 on critical drift, 1 on warnings, 2 on warnings with --strict or PREFLIGHT_STRICT=true', async () => {
    const critical = await drift([], { PREFLIGHT_DRIFT_ROOT: await copyDemoConfig(runbookSays3003) });
    assert.equal(critical.exitCode, 3, critical.output);
    const warningsRoot = await copyDemoConfig(runbookHealthz);
    const codes = [
      (await drift(['--root', warningsRoot])).exitCode,
      (await drift(['--root', warningsRoot, '--strict'])).exitCode,
      (await drift([], { PREFLIGHT_DRIFT_ROOT: warningsRoot, PREFLIGHT_STRICT: 'true' })).exitCode,
    ];
    assert.deepEqual(codes, [1, 2, 2]);
  });

  it('--fix shows the change, --fix --write applies it, keeping the YAML comments', async () => {
    const tunnel = 'demo-app/tunnel/config.yml';
    const root = await copyDemoConfig({ [tunnel]: (t) => t.replace('http://127.0.0.1:3000', 'http://localhost:3000') });
    const before = readCopy(root, tunnel);

    const shown = await drift(['--fix', '--root', root]);
    assert.equal(shown.exitCode, 3, shown.output);
    assert.match(shown.output, /Would change \(apply with --fix --write\)/);
    assert.match(shown.output, /\+ {5}service: http:\/\/127\.0\.0\.1:3000/);
    assert.equal(readCopy(root, tunnel), before, 'without --write nothing is written');

    const written = await drift(['--fix', '--write', '--root', root]);
    assert.equal(written.exitCode, 0, written.output);
    const after = readCopy(root, tunnel);
    assert.equal(after, before.replace('http://localhost:3000', 'http://127.0.0.1:3000'));
    assert.match(after, /# cloudflared requires a catch-all rule last\./);
  });
});

// The gate as a user runs it: `npx playwright test` against the bundled demo app, with faults switched on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { explain, runGate } from '../support/run-gate.ts';

describe('the gate against the bundled demo app', () => {
  it('passes (exit 0) when the demo flow works, its spec files at once by default, and writes every report', async () => {
    // The default workers (PREFLIGHT_WORKERS unset): the demo's four spec files run two or more at a time.
    const run = await runGate({ env: { PREFLIGHT_WORKERS: '' } });
    assert.equal(run.exitCode, 0, explain(run));
    assert.match(run.output, /Running 4 tests using [2-4] workers/, explain(run));
    assert.match(run.output, /preflight verdict: pass, exit code 0/);
    assert.equal(run.verdict.exitCode, 0);
    assert.equal(run.verdict.verdict, 'pass');
    assert.equal(run.verdict.specs.passed, 4, 'the four critical-path specs ran and passed');
    const byName = Object.fromEntries(run.verdict.services.map((s: any) => [s.name, s]));
    assert.deepEqual(Object.keys(byName).sort(), ['backend', 'database', 'frontend']);
    assert.deepEqual([byName.backend.contract, byName.frontend.contract], ['ready', 'ready']);
    assert.ok(byName.database.readyAt, 'the database was ready (TCP)');
    for (const report of ['junit.xml', 'html/index.html', 'logs/backend.log', 'logs/frontend.log', 'logs/database.log']) {
      assert.ok(fs.existsSync(path.join(run.reportsDir, report)), `${report} is written`);
    }
    assert.match(fs.readFileSync(path.join(run.reportsDir, 'junit.xml'), 'utf8'), /tests="4"/);
  });

  it('starts the backend as soon as the database is ready, and the frontend at once, judged ready after the backend', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'slow-start=1500' } });
    assert.equal(run.exitCode, 0, explain(run));
    const { database, backend, frontend } = Object.fromEntries(run.verdict.services.map((s: any) => [s.name, s]));
    const gap = Date.parse(backend.spawnedAt) - Date.parse(database.readyAt);
    // The backend declares dependsOn the database; polling webServer-style would add up to a second.
    assert.ok(gap >= 0 && gap < 1000, `backend spawned ${gap} ms after the database was ready`);
    // The frontend is readyAfter the backend: it starts with the database, and is ready only once the backend is.
    assert.ok(Date.parse(frontend.spawnedAt) < Date.parse(database.readyAt), 'the frontend started without waiting');
    assert.ok(Date.parse(frontend.readyAt) >= Date.parse(backend.readyAt), 'the frontend was declared ready after the backend');
  });

  it('exits 3 when a @critical spec fails (upload-rejected), naming the spec and the cause', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'backend:upload-rejected' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /preflight verdict: critical, exit code 3/);
    assert.match(run.output, /integration: a recorded story becomes a profile with its transcript and QR code/);
    assert.match(run.output, /upload answered HTTP 413/);
    assert.equal(run.verdict.verdict, 'critical');
    assert.deepEqual(
      run.verdict.criticalFailures.map((f: any) => f.title),
      ['integration: a recorded story becomes a profile with its transcript and QR code'],
    );
  });

  it('exits 3 at once when the backend crashes on start, with its exit code and last output', async () => {
    // A readiness timeout far beyond runGate's own 2-minute limit: only a run that fails at the exit finishes at all.
    const run = await runGate({ env: { DEMO_FAULT: 'backend:crash-on-start', PREFLIGHT_READY_TIMEOUT_MS: '600000' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /backend exited with code 1 before it was ready/);
    assert.match(run.output, /fault crash-on-start: exiting with code 1 before listening/, 'the backend\'s own last line is shown');
    assert.match(run.output, /PREFLIGHT_BACKEND_CMD/);
    const backend = run.verdict.services.find((s: any) => s.name === 'backend');
    assert.match(backend.failure, /exited with code 1/);
  });

  it('exits 3 on invalid configuration, naming every bad variable, without starting anything', async () => {
    const run = await runGate({ env: { PREFLIGHT_READY_TIMEOUT_MS: 'soon', PREFLIGHT_STRICT: 'maybe' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /PREFLIGHT_READY_TIMEOUT_MS: expected a whole number of milliseconds, got "soon"/);
    assert.match(run.output, /PREFLIGHT_STRICT: expected true or false, got "maybe"/);
    // preflight's own reference, not a .env.example the user's project may not have (installed: any-app.test.ts).
    assert.match(run.output, /fix: correct these variables in the environment or in \.env \(every variable and its values: docs\/configuration\.md\)/);
    assert.doesNotMatch(run.output, /\.env\.example/);
    assert.equal(fs.existsSync(path.join(run.reportsDir, 'logs')), false, 'no service was started');
    assert.equal(run.verdict.verdict, 'critical');
  });

  it('exits 3 without running anything when --reporter leaves out the gate reporter', async () => {
    const run = await runGate({ args: ['--reporter=dot'] });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /the gate reporter is not loaded/);
    assert.match(run.output, /likely cause: --reporter=dot on the command line replaces the reporters of playwright\.config\.ts, and leaves the gate reporter out/);
    // Run from preflight's own sources: the reporter's path from the configuration's folder (installed: selftest/e2e/any-app.test.ts).
    assert.match(run.output, /fix: add it last: --reporter=dot,\.\/harness\/reporter\/gate-reporter\.ts\n/);
  });

  it("exits 3 naming the configuration's own `reporter` when it leaves out the gate reporter (no --reporter given)", async () => {
    const run = await runGate({ args: ['-c', 'selftest/fixtures/reporter-left-out/playwright.config.ts'] });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /likely cause: the `reporter` of selftest\/fixtures\/reporter-left-out\/playwright\.config\.ts leaves the gate reporter out/);
    assert.match(run.output, /fix: add it last: reporter: \[\['list'\], \['\.\.\/\.\.\/\.\.\/harness\/reporter\/gate-reporter\.ts'\]\], or drop the reporter you set/);
    assert.doesNotMatch(run.output, /--reporter on the command line/);
  });
});

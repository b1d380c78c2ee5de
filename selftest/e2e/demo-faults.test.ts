// Each fault of the demo flow (docs/demo-app.md), through the real gate: the exit code, and a diagnosis that names
// the cause. The runs use the bundled demo app's three services on free ports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { copyDemoConfig } from '../support/config-copy.ts';
import { explain, runGate } from '../support/run-gate.ts';

const service = (run: { verdict: any }, name: string) => run.verdict.services.find((s: any) => s.name === name);

describe('faults of the demo flow, through the gate', { concurrency: 2 }, () => {
  it('mic-blocked -> 3: the spec names the Permissions-Policy header that blocks the microphone', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'frontend:mic-blocked' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /recording did not start: the page's response header "Permissions-Policy: microphone=\(\)" blocks the microphone/);
    assert.match(run.output, /Microphone access was blocked \(NotAllowedError/);
  });

  it('transcription-stuck -> 3 within the transcription deadline, reporting the last status seen', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'backend:transcription-stuck' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /no profile within 10 s of "Create my profile": the transcription job did not finish; last job status seen: PROCESSING/);
  });

  it('transcription-failed -> 3, showing the job\'s reason', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'backend:transcription-failed' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /no profile: We could not create your profile: The transcription failed: fault transcription-failed: the speech-to-text provider rejected the recording/);
  });

  it('db-down -> 3: the database stops during the run and the verdict names it', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'database:db-down' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.ok(service(run, 'database')?.diedDuringRun, `the database is recorded as died during the run: ${JSON.stringify(run.verdict.services)}`);
    assert.match(JSON.stringify(run.verdict.criticalFailures), /database/);
    assert.match(run.output, /fault db-down: a story was stored/);
  });

  it('db-missing -> 3: the database never starts, the backend is not started, and its dependency is named', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'database:db-missing' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /database exited with code 1 before it was ready/);
    assert.match(run.output, /fault db-missing: there is no PostgreSQL here/);
    assert.equal(service(run, 'backend')?.pid, undefined, 'the backend was never spawned');
    assert.match(run.output, /backend .*database|database.*backend/, 'the backend\'s dependency on the database is named');
  });

  it('wrong-api-port -> 3 at boot: the frontend says down, naming the URL it calls and the backend\'s', async () => {
    // A `down` is waited for until the readiness deadline (a service may say down while its dependencies start); the
    // deadline leaves the database room for its first initdb on a loaded machine.
    const run = await runGate({ env: { DEMO_FAULT: 'frontend:wrong-api-port', PREFLIGHT_READY_TIMEOUT_MS: '20000' } });
    assert.equal(run.exitCode, 3, explain(run));
    const wrong = new URL(run.backendUrl);
    wrong.port = String(Number(wrong.port) + 1);
    assert.match(run.output, new RegExp(`cannot reach the backend it is configured to call at ${wrong.origin} \\(fault wrong-api-port: PREFLIGHT_BACKEND_URL says the backend is at ${run.backendUrl}\\)`));
    assert.equal(service(run, 'frontend')?.contract, 'down');
    assert.equal(run.verdict.specs.passed, 0, 'no spec passed against a frontend that cannot reach its backend');
  });

  it('the API port drifted in a file -> 3 from the drift check, before anything boots', async () => {
    const frontendEnv = 'demo-app/frontend/.env.example';
    const root = await copyDemoConfig({ [frontendEnv]: (text) => text.replace('PREFLIGHT_BACKEND_URL=http://127.0.0.1:3001', 'PREFLIGHT_BACKEND_URL=http://127.0.0.1:3002') });
    const run = await runGate({ env: { PREFLIGHT_DRIFT_ROOT: root } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /critical configuration drift; nothing was started/);
    assert.match(fs.readFileSync(path.join(run.reportsDir, 'drift.md'), 'utf8'), /\| ✗ \| backend port \| `demo-app\/frontend\/\.env\.example:\d+` \| `3002` \|/);
    assert.equal(fs.existsSync(path.join(run.reportsDir, 'logs')), false, 'no service was started');
  });
});

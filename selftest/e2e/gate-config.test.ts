// Gating a foreign app by configuration alone: real gate runs (`npx playwright test`) against the shop, tiny real
// programs each in its own folder under selftest/fixtures/shop/ (a TCP-only database, a backend that needs it and
// rate-limits its readiness route, a frontend without the readiness contract), asserting exit code and diagnosis.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { leftoverProcesses } from '../support/leftovers.ts';
import { freePort } from '../support/ports.ts';
import { explain, runGate, type GateRun } from '../support/run-gate.ts';

const configs = 'selftest/fixtures/shop/configs';
const service = (run: GateRun, name: string) => run.verdict.services.find((s: any) => s.name === name);
const readLog = (run: GateRun, name: string) => fs.readFileSync(path.join(run.reportsDir, 'logs', `${name}.log`), 'utf8');

async function runShop(config: string, env: Record<string, string> = {}): Promise<GateRun> {
  const run = await runGate({ env: { PREFLIGHT_CONFIG: `${configs}/${config}`, PREFLIGHT_DATABASE_URL: `tcp://127.0.0.1:${await freePort()}`, ...env } });
  assert.deepEqual(leftoverProcesses(run), [], `nothing of the run is left\n${explain(run)}`);
  return run;
}

describe('a foreign app declared in a gate configuration file', () => {
  it('passes: the database first, then its backend; the frontend meanwhile; each judged by its own readiness kind', async () => {
    // A 3 s warm-up answered "down": probing every 5 ms would pass the limiter's 100 requests and get 429 for 15 minutes.
    const run = await runShop('shop.config.ts', { SHOP_WARM_UP_MS: '3000' });
    assert.equal(run.exitCode, 0, explain(run));
    const [database, backend, frontend] = ['database', 'backend', 'frontend'].map((name) => service(run, name));
    assert.match(database.contractReason, /accepts TCP connections/);
    assert.match(frontend.contractReason, /answered HTTP 200/);
    assert.equal(backend.contract, 'ready');
    assert.ok(Date.parse(backend.spawnedAt) >= Date.parse(database.readyAt), 'the backend started after its database was ready');
    assert.ok(Date.parse(frontend.spawnedAt) < Date.parse(database.readyAt), 'the frontend, which depends on nothing, started with the database');
    assert.ok(backend.probes < 100, `the backend's rate limiter saw ${backend.probes} readiness probes`);
    // The token came from the backend's envFile; the backend printed it, the log shows it hidden.
    assert.match(readLog(run, 'backend'), /using token \[redacted\]/);
    assert.doesNotMatch(readLog(run, 'backend') + run.output, /shop-token-7f3a9c/);
  });

  it('without dependsOn the backend starts with no database and exits: exit 3, its own words quoted', async () => {
    const run = await runShop('without-depends-on.config.ts');
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /backend exited with code 1 before it was ready/);
    assert.match(run.output, /\| \[shop-backend\] Error: connect ECONNREFUSED .*the database is not there/);
  });

  it('a dependency that fails keeps its dependents from starting, and is named as the cause', async () => {
    const run = await runShop('shop.config.ts', { PREFLIGHT_DATABASE_CMD: 'node -e "console.log(\'no disk\'); process.exit(4)"' });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /database exited with code 4 before it was ready/);
    assert.match(run.output, /backend was not started: it depends on database, which did not become ready/);
    assert.equal(service(run, 'backend').pid, undefined, 'the backend was never started');
  });

  it('a configuration file with several mistakes: exit 3 before anything starts, every mistake in one message', async () => {
    const run = await runShop('mistakes.config.ts');
    assert.equal(run.exitCode, 3, explain(run));
    for (const field of ['services.database.readiness.kind', 'services.backend.command', 'services.backend.dependsOn[0]', 'services.backend.timeoutMs', 'services.frontend.readiness.status', 'services.frontend: unknown field port']) {
      assert.ok(run.output.includes(`mistakes.config.ts: ${field}`), `names ${field}\n${explain(run)}`);
    }
    assert.match(run.output, /fix: correct these fields in the gate configuration file \(reference: docs\/gate-config\.md\)/);
    assert.ok(!fs.existsSync(path.join(run.reportsDir, 'logs')), 'no service was started');
  });
});

describe('probing a real app can live with, and diagnoses that stay true', () => {
  it('a "down" with its message is kept over a later 429, whose Retry-After is honoured', async () => {
    const run = await runShop('rate-limited.config.ts');
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /backend answered "down" for 5\.0 s and never became ready: warming the product cache/);
    assert.doesNotMatch(run.output, /Too Many Requests/);
    // Three answers, the 429, then nothing until the deadline: it waited the 900 s Retry-After out.
    assert.ok(service(run, 'backend').probes <= 5, `probes: ${service(run, 'backend').probes}`);
  });

  it('a service that stops serving mid-run (alive, liveness failing): exit 3, "stopped serving during the run"', async () => {
    const run = await runShop('liveness.config.ts');
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(service(run, 'database').contractReason, /accepts TCP connections/, 'ready once its log line appeared and its port accepted');
    assert.match(run.output, /backend \(pid \d+\) stopped serving during the run, after it was ready: its liveness route failed 3 times in a row/);
    assert.match(run.output, /last liveness probe: http:\/\/127\.0\.0\.1:\d+\/health\/live answered HTTP 503, expected HTTP 200-299/);
  });

  it('accepts TCP connections but never answers HTTP: diagnosed as exactly that', async () => {
    const run = await runGate({ env: { PREFLIGHT_BACKEND_CMD: 'node --import tsx selftest/fixtures/silent-http/server.ts', PREFLIGHT_READY_TIMEOUT_MS: '5000' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /backend accepts TCP connections on 127\.0\.0\.1:\d+ but never answered the HTTP request GET http:\/\/127\.0\.0\.1:\d+\/ops\/health\/production/);
    assert.doesNotMatch(run.output, /nothing answers on|listens on another host or port/);
  });

  it('an app crashed under its file watcher (node --watch): the crash quoted from its log, not "stuck starting"', async () => {
    const run = await runGate({ env: { PREFLIGHT_FRONTEND_CMD: 'node --watch --import tsx selftest/fixtures/watched-app/app.ts', PREFLIGHT_READY_TIMEOUT_MS: '5000' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /frontend's app crashed under its file watcher \(node --watch\)/);
    assert.match(run.output, /\| .*TypeError: Cannot read properties of undefined \(reading 'port'\)/);
    assert.doesNotMatch(run.output, /stuck starting/);
  });
});

// Gating a foreign app by configuration alone: real gate runs (`npx playwright test`) against the shop, tiny real
// programs each in its own folder under selftest/fixtures/shop/ (a TCP-only database, a backend that needs it and
// rate-limits its readiness route, a frontend without the readiness contract), asserting exit code and diagnosis.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { freePort } from '../support/ports.ts';
import { explain, runGate, type GateRun } from '../support/run-gate.ts';

const configs = 'selftest/fixtures/shop/configs';
const service = (run: GateRun, name: string) => run.verdict.services.find((s: any) => s.name === name);
const readLog = (run: GateRun, name: string) => fs.readFileSync(path.join(run.reportsDir, 'logs', `${name}.log`), 'utf8');

async function runShop(config: string, env: Record<string, string> = {}): Promise<GateRun> {
  const file = path.isAbsolute(config) ? config : `${configs}/${config}`;
  const run = await runGate({ env: { PREFLIGHT_CONFIG: file, PREFLIGHT_DATABASE_URL: `tcp://127.0.0.1:${await freePort()}`, ...env } });
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

  it('readyAfter: the frontend starts with the database, and is judged ready only once its backend is', async () => {
    const run = await runShop('ready-after.config.ts');
    assert.equal(run.exitCode, 0, explain(run));
    const [database, backend, frontend] = ['database', 'backend', 'frontend'].map((name) => service(run, name));
    assert.ok(Date.parse(frontend.spawnedAt) < Date.parse(database.readyAt), 'the frontend did not wait to start');
    assert.ok(Date.parse(frontend.readyAt) >= Date.parse(backend.readyAt), 'the frontend was declared ready only after its backend');
    assert.match(frontend.contractReason, /answered HTTP 200/);
  });

  it('readyAfter: a backend that never becomes ready is named, not the frontend that waits for it, whatever their deadlines', async () => {
    // The frontend's deadline (2 s) is shorter than the backend's (6 s): counted from the start, it would expire first
    // and blame the frontend, whose page says "backend unreachable" all along.
    const run = await runShop('ready-after.config.ts', { SHOP_WARM_UP_MS: '600000', SHOP_BACKEND_TIMEOUT_MS: '6000' });
    assert.equal(run.exitCode, 3, explain(run));
    const [backend, frontend] = ['backend', 'frontend'].map((name) => service(run, name));
    assert.ok(backend.failure, `the backend is the failure: ${JSON.stringify(run.verdict.services)}`);
    assert.equal(frontend.failure, undefined, 'the frontend is not blamed');
    assert.ok(frontend.pid, 'the frontend was started');
    assert.match(frontend.contractReason, /not waited for: it is judged ready after backend, which did not become ready/);
    // "down" from its first answer (once it listened) until the deadline, not for the whole time to ready.
    assert.match(run.output, /backend answered "down" from \d+\.\d s to [4-6]\.\d s of its 6\.0 s time to ready and never became ready: warming the product cache/);
    assert.doesNotMatch(run.output, /frontend (is alive|never answered|exited)/);
  });

  it('readyAfter: a frontend that exits while its backend starts is told it may need dependsOn instead', async () => {
    const run = await runShop('ready-after.config.ts', {
      SHOP_WARM_UP_MS: '600000',
      PREFLIGHT_FRONTEND_CMD: `node -e "console.error('[shop-frontend] cannot load the catalog from the backend'); process.exit(5)"`,
    });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /frontend exited with code 5 before it was ready/);
    assert.match(run.output, /it exited before backend \(its readyAfter\) was ready\. If frontend cannot start without backend, move backend from readyAfter to dependsOn of frontend/);
  });

  it('a worker that listens on no port: ready when its output says so (log readiness without a url)', async () => {
    const run = await runShop('worker.config.ts');
    assert.equal(run.exitCode, 0, explain(run));
    const worker = service(run, 'worker');
    assert.ok(worker.readyAt, JSON.stringify(worker));
    assert.equal(worker.url, undefined, 'it has no URL');
    assert.match(worker.contractReason, /ready: a line of its output matched \/consuming jobs\//);
    assert.ok(Date.parse(worker.spawnedAt) >= Date.parse(service(run, 'database').readyAt), 'it started once its database was ready');
    assert.match(readLog(run, 'worker'), /consuming jobs from the orders queue/);
    assert.match(readLog(run, 'worker'), /received SIGTERM, stopping/, 'it was stopped at teardown');
  });

  it('a worker whose output never says it is ready: exit 3, the pattern and its last lines named', async () => {
    // Its file says 30 s; the environment overrides it for this run, and the diagnosis names what set it.
    const run = await runShop('worker.config.ts', { SHOP_WORKER_STUCK: '1', PREFLIGHT_WORKER_TIMEOUT_MS: '3000' });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /worker is alive \(pid \d+[^)]*\) but never printed a line matching \/consuming jobs\/ within 3\.0 s/);
    assert.match(run.output, /\| \[shop-worker\] connected to the database, waiting for the orders queue/);
    assert.match(run.output, /correct readiness\.pattern of worker, or raise its time to ready/);
    assert.match(run.output, /time to ready: 3\.0 s, set by PREFLIGHT_WORKER_TIMEOUT_MS, over selftest\/fixtures\/shop\/configs\/worker\.config\.ts services\.worker\.timeoutMs/);
  });

  it('a dependency that fails keeps its dependents from starting, and is named as the cause', async () => {
    const run = await runShop('shop.config.ts', { PREFLIGHT_DATABASE_CMD: 'node -e "console.log(\'no disk\'); process.exit(4)"' });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /database exited with code 4 before it was ready/);
    assert.match(run.output, /backend was not started: it depends on database, which did not become ready/);
    assert.equal(service(run, 'backend').pid, undefined, 'the backend was never started');
  });

  it('preflight kept in e2e/ of a monorepo, the app in ../backend and ../frontend, all outside this project', async () => {
    const monorepo = await mkdtemp(path.join(tmpdir(), 'preflight-monorepo-'));
    const shop = path.join(repoRoot, 'selftest/fixtures/shop');
    for (const folder of ['database', 'backend', 'frontend']) fs.cpSync(path.join(shop, folder), path.join(monorepo, folder), { recursive: true });
    fs.mkdirSync(path.join(monorepo, 'e2e/specs'), { recursive: true });
    const harness = (file: string) => path.join(repoRoot, 'harness', file);
    const spec = fs.readFileSync(path.join(shop, 'specs/shop.spec.ts'), 'utf8').replace('../../../../harness/fixtures/gate-fixtures.ts', harness('fixtures/gate-fixtures.ts'));
    fs.writeFileSync(path.join(monorepo, 'e2e/specs/shop.spec.ts'), spec);
    fs.writeFileSync(path.join(monorepo, 'e2e/drift.rules.ts'), `import { defineDriftRules } from '${harness('drift/rules.ts')}';\nexport default defineDriftRules({ rules: [] });\n`);
    // The app's folders have no node_modules of their own: tsx is named by its path.
    const node = `node --import ${pathToFileURL(path.join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href}`;
    fs.writeFileSync(
      path.join(monorepo, 'e2e/preflight.config.ts'),
      `import { defineGate } from '${harness('config/define-gate.ts')}';
export default defineGate({
  specs: 'specs',
  driftRules: 'drift.rules.ts',
  services: {
    database: { command: '${node} server.ts', cwd: '../database', url: 'tcp://127.0.0.1:5433', readiness: { kind: 'tcp' } },
    backend: { command: '${node} server.ts', cwd: '../backend', env: { SHOP_MODE: 'test' }, envFile: '.env.shop', url: 'http://127.0.0.1:3001', dependsOn: ['database'] },
    frontend: { command: '${node} server.ts', cwd: '../frontend', url: 'http://127.0.0.1:3000', readiness: { kind: 'http' } },
  },
});
`,
    );
    const run = await runShop(path.join(monorepo, 'e2e/preflight.config.ts'));
    assert.equal(run.exitCode, 0, explain(run));
    assert.equal(run.verdict.specs.passed, 1, 'the spec in ../e2e/specs ran');
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
    // Its three "down" answers came in its first seconds; the 429 and the silence after are no "down".
    const down = /backend answered "down" from (\d+\.\d) s to (\d+\.\d) s of its 5\.0 s time to ready and never became ready: warming the product cache/.exec(run.output);
    assert.ok(down, explain(run));
    assert.ok(Number(down[2]) < 4, `the last "down" answer was long before the deadline: ${down[0]}`);
    // The diagnosis; the boot's progress lines quote each last probe as it was, the 429 page included.
    assert.doesNotMatch(run.output.replace(/^\[preflight \+[\d.]+s\] .*$/gm, ''), /Too Many Requests/);
    // Three answers, the 429, then nothing until the deadline: it waited the 900 s Retry-After out.
    assert.ok(service(run, 'backend').probes <= 5, `probes: ${service(run, 'backend').probes}`);
  });

  it('probe.headers reach the service (its limiter exempts them), and stop.signal is what it gets at teardown', async () => {
    const run = await runShop('polite.config.ts');
    assert.equal(run.exitCode, 0, explain(run));
    assert.match(readLog(run, 'backend'), /\[shop-backend\] received SIGINT, closing/);
  });

  it('a service that stops serving mid-run (alive, liveness failing): exit 3, "stopped serving during the run"', async () => {
    const run = await runShop('liveness.config.ts');
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(service(run, 'database').contractReason, /accepts TCP connections/, 'ready once its log line appeared and its port accepted');
    assert.match(run.output, /backend \(pid \d+\) stopped serving during the run, after it was ready: its liveness route failed 3 times in a row/);
    assert.match(run.output, /last liveness probe: http:\/\/127\.0\.0\.1:\d+\/health\/live answered HTTP 503, expected HTTP 200-299/);
  });

  it('accepts TCP connections but never answers HTTP: diagnosed as exactly that', async () => {
    // The backend's own deadline: the database it depends on keeps the default to start on a loaded machine.
    const run = await runGate({ env: { PREFLIGHT_BACKEND_CMD: 'node --import tsx selftest/fixtures/silent-http/server.ts', PREFLIGHT_BACKEND_TIMEOUT_MS: '5000' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /backend accepts TCP connections on 127\.0\.0\.1:\d+ but never answered the HTTP request GET http:\/\/127\.0\.0\.1:\d+\/ops\/health\/production/);
    assert.doesNotMatch(run.output, /nothing answers on|listens on another host or port/);
  });

  it('an app crashed under its file watcher (node --watch): the crash quoted from its log, not "stuck starting"', async () => {
    // A deadline beyond runGate's own 2-minute limit: only a gate that sees the crash early finishes at all.
    const run = await runGate({ env: { PREFLIGHT_FRONTEND_CMD: 'node --watch --import tsx selftest/fixtures/watched-app/app.ts', PREFLIGHT_READY_TIMEOUT_MS: '600000' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /frontend's app crashed under its file watcher \(node --watch\), which stays alive and waits for file changes, so it could not become ready/);
    assert.match(run.output, /\| .*TypeError: Cannot read properties of undefined \(reading 'port'\)/);
    assert.doesNotMatch(run.output, /stuck starting/);
  });
});

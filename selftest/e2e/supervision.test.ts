// Service supervision as a user meets it: real gate runs against the demo app and tiny fake services,
// asserting the exit code, the diagnosis, and that nothing the run started is left alive.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { isRunning } from '../../harness/services/process-table.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot, startDatabase, startDemoProcess, stopAllDemoProcesses, waitForOutput } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { freePort } from '../support/ports.ts';
import { explain, runGate, type GateRun } from '../support/run-gate.ts';

const fixture = (name: string) => `node --import tsx selftest/fixtures/${name}`;
const service = (run: GateRun, name: string) => run.verdict.services.find((s: any) => s.name === name);
const readLog = (run: GateRun, name: string) => fs.readFileSync(path.join(run.reportsDir, 'logs', `${name}.log`), 'utf8');

function assertNothingLeft(run: GateRun): void {
  assert.deepEqual(leftoverProcesses(run), [], `every process of the run is gone when the gate returns\n${explain(run)}`);
}

/** Waits until `file` exists and matches `pattern`, or fails at the deadline. */
async function waitForFile(file: string, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file) && pattern.test(fs.readFileSync(file, 'utf8'))) return;
    await delay(25);
  }
  throw new Error(`${file} never matched ${pattern}`);
}

const portHolders: ChildProcess[] = [];
after(async () => {
  for (const holder of portHolders) holder.kill('SIGKILL');
  await stopAllDemoProcesses();
});

/** Another program on `port` (selftest/fixtures/holds-port.ts), once it listens. */
async function holdPort(port: number): Promise<ChildProcess> {
  const holder = spawn(process.execPath, ['--import', 'tsx', 'selftest/fixtures/holds-port.ts', String(port)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  portHolders.push(holder);
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('holding port') && resolve());
    holder.once('exit', (code) => reject(new Error(`holds-port.ts exited with code ${code} before it listened`)));
  });
  return holder;
}

describe('a service that fails before it is ready', () => {
  it('alive but never serving (never-listen): exit 3 at the deadline, naming pid, memory, last probe and log tail', async () => {
    // The deadline leaves the database (the backend's dependency) room to start on a loaded machine.
    const run = await runGate({ env: { DEMO_FAULT: 'backend:never-listen', PREFLIGHT_READY_TIMEOUT_MS: '8000' } });
    assert.equal(run.exitCode, 3, explain(run));
    const backend = service(run, 'backend');
    assert.match(run.output, new RegExp(`backend is alive \\(pid ${backend.pid}, [\\d.]+ MB resident`));
    assert.match(run.output, /never answered the readiness contract at http:\/\/127\.0\.0\.1:\d+\/ops\/health\/production within 8\.0 s/);
    assert.match(run.output, /last readiness probe: .* refused the connection \(nothing listens there\)/);
    assert.match(run.output, /\| \[demo-backend\] fault never-listen: staying alive without ever listening/);
    assert.match(run.output, /PREFLIGHT_READY_TIMEOUT_MS/);
    assert.match(run.output, /preflight verdict: critical, exit code 3\s*$/, 'the run ends with the diagnosis and the verdict');
    assert.match(backend.failure, /is alive .* but never answered/);
    assertNothingLeft(run);
  });

  it('exits before ready (crash-on-start): exit 3 right after the exit, with exit code, log tail, and no spec run against nothing', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'backend:crash-on-start', PREFLIGHT_READY_TIMEOUT_MS: '60000' } });
    assert.equal(run.exitCode, 3, explain(run));
    const backend = service(run, 'backend');
    assert.match(backend.failure, /^backend exited with code 1 before it was ready/);
    assert.match(run.output, /\| \[demo-backend\] fault crash-on-start: exiting with code 1 before listening/);
    assert.equal(run.verdict.runStatus, 'failed', 'the harness stopped the run; it was not a Ctrl+C');
    assert.equal(run.verdict.specs.passed + run.verdict.specs.failed, 0, 'the run stopped before any spec ran');
    const sinceExit = Date.parse(run.verdict.endedAt) - Date.parse(backend.exitedAt);
    // Generous bound (the readiness timeout is 60 s): a run that waited for the specs or the deadline would exceed it.
    assert.ok(sinceExit < 10_000, `the run ended ${sinceExit} ms after the exit`);
    assertNothingLeft(run);
  });
});

describe('a service that dies during the run', () => {
  it('die-after-ready: the verdict is critical and names the service, its exit code and log tail', async () => {
    // Late enough that the frontend (which checks it can reach the backend) was ready first.
    const run = await runGate({ env: { DEMO_FAULT: 'backend:die-after-ready=3000' } });
    assert.equal(run.exitCode, 3, explain(run));
    const backend = service(run, 'backend');
    assert.ok(backend.readyAt, 'it was ready first');
    assert.equal(backend.diedDuringRun?.exitCode, 7, explain(run));
    assert.match(run.output, /- backend: backend \(pid \d+\) exited with code 7 during the run, after it was ready/);
    assert.match(run.output, /\| \[demo-backend\] fault die-after-ready: exiting with code 7/);
    assert.match(run.output, /preflight: not run, a service died during the run/, 'later specs say why they did not run');
    assertNothingLeft(run);
  });
});

describe('a port already taken before boot', () => {
  it('fails at once, naming the pid and command line of the holder and the variables to set; the holder is left alone', async () => {
    const port = await freePort();
    const holder = await holdPort(port);
    const run = await runGate({ env: { PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${port}` } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, new RegExp(`backend: port ${port} is already taken \\(pid ${holder.pid}\\), so backend was not started`));
    assert.match(run.output, new RegExp(`port ${port} is held by pid ${holder.pid}: \\S*node .*selftest/fixtures/holds-port\\.ts ${port}`));
    assert.match(run.output, /PREFLIGHT_BACKEND_URL at a free port, or turn reuse on \(preflight\.config\.ts services\.backend\.reuseExisting, or PREFLIGHT_REUSE_EXISTING\)/);
    assert.equal(service(run, 'backend').pid, undefined, 'no backend was started');
    assert.ok(isRunning(holder.pid!), 'a process preflight did not start is not killed');
    assertNothingLeft(run);
  });

  it('PREFLIGHT_REUSE_EXISTING=true: refuses what fails the readiness contract', async () => {
    const port = await freePort();
    const holder = await holdPort(port);
    const run = await runGate({ env: { PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${port}`, PREFLIGHT_REUSE_EXISTING: 'true' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, new RegExp(`reuse is on \\(PREFLIGHT_REUSE_EXISTING\\), but what already runs on port ${port} \\(pid ${holder.pid}\\) fails its readiness check`));
    assert.match(run.output, /body that is not JSON \(text\/plain\): hello from another program/);
    assertNothingLeft(run);
  });

  it('PREFLIGHT_REUSE_EXISTING=true: reuses a service that passes the readiness contract, and leaves it running', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // A backend that passes its contract has its database: one of its own, started here too.
    const database = await startDatabase({ port: await freePort() });
    const backend = startDemoProcess('backend', { PREFLIGHT_BACKEND_URL: url, PREFLIGHT_DATABASE_URL: database.url });
    await waitForOutput(backend, /migrations: /, 30_000);
    const run = await runGate({ env: { PREFLIGHT_BACKEND_URL: url, PREFLIGHT_REUSE_EXISTING: 'true' } });
    assert.equal(run.exitCode, 0, explain(run));
    assert.equal(service(run, 'backend').reused, true);
    assert.equal(service(run, 'frontend').reused, false);
    assert.equal(backend.exit(), undefined, 'the reused service is not stopped');
    assertNothingLeft(run);
  });
});

describe('teardown', () => {
  it('leaves no grandchild alive, in the service\'s process group or out of it', async () => {
    const run = await runGate({ env: { PREFLIGHT_BACKEND_CMD: fixture('spawns-grandchildren.ts') } });
    assert.equal(run.exitCode, 0, explain(run));
    const log = readLog(run, 'backend');
    const pids = [...log.matchAll(/grandchild .*: pid (\d+)/g)].map((match) => Number(match[1]));
    assert.equal(pids.length, 2, log);
    for (const pid of pids) assert.equal(isRunning(pid), false, `grandchild ${pid} is gone`);
    assertNothingLeft(run);
  });

  it('kills a service that ignores SIGTERM after the grace period, without hanging the run', async () => {
    // runGate's own 2-minute limit bounds a hang; three services on a loaded machine can take a minute to pass.
    const run = await runGate({ env: { PREFLIGHT_BACKEND_CMD: fixture('ignores-sigterm.ts') } });
    assert.equal(run.exitCode, 0, explain(run));
    const log = readLog(run, 'backend');
    assert.match(log, /received SIGTERM, ignoring it/);
    assert.match(log, /# preflight: backend: pid [\d, ]+ still ran 3000 ms after SIGTERM; killed with SIGKILL/);
    assertNothingLeft(run);
  });

  it('Ctrl+C (SIGINT to the whole foreground group): exit 130, the services stopped gracefully', async () => {
    const run = await runGate({
      env: { DEMO_FAULT: 'frontend:slow-start=30000', PREFLIGHT_READY_TIMEOUT_MS: '60000' },
      during: async ({ pid, reportsDir }) => {
        await waitForFile(path.join(reportsDir, 'logs', 'backend.log'), /listening on/);
        await waitForFile(path.join(reportsDir, 'logs', 'frontend.log'), /slow-start: waiting/);
        process.kill(-pid, 'SIGINT'); // what a terminal does on Ctrl+C
      },
    });
    // npx waits for the runner, then re-raises SIGINT on itself: a shell sees 130 (128 + SIGINT) either way.
    assert.ok(run.exitCode === 130 || (run.exitCode === undefined && run.signal === 'SIGINT'), explain(run));
    assert.match(run.output, /preflight verdict: interrupted, exit code 130/);
    assert.equal(run.verdict.exitCode, 130, 'the runner itself exits 130');
    assert.equal(run.verdict.verdict, 'interrupted');
    assert.match(readLog(run, 'backend'), /received SIGTERM, shutting down/, 'graceful first');
    assertNothingLeft(run);
  });
});

describe('secrets', () => {
  it('a secret a service prints appears in no log, report or console output', async () => {
    const token = 'tok_live_7f3a9c1e5b';
    const password = 'hunter2-correct-horse';
    const run = await runGate({
      env: { PREFLIGHT_BACKEND_CMD: fixture('prints-secret.ts'), DEMO_API_TOKEN: token, DEMO_DB_PASSWORD: password, DEMO_FAULT: 'backend:die-after-ready=400' },
    });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /\| \[fixture\] connecting to the payment API with token \[redacted\]/, 'the log tail in the diagnosis is shown, redacted');
    assert.match(readLog(run, 'backend'), /postgres:\/\/app:\[redacted\]@db\/app/);
    const texts = {
      console: run.output,
      'verdict.json': fs.readFileSync(path.join(run.reportsDir, 'verdict.json'), 'utf8'),
      'junit.xml': fs.readFileSync(path.join(run.reportsDir, 'junit.xml'), 'utf8'),
      'backend.log': readLog(run, 'backend'),
      ...attachments(run.reportsDir),
    };
    for (const [where, text] of Object.entries(texts)) {
      assert.ok(!text.includes(token) && !text.includes(password), `no secret in ${where}`);
    }
    assertNothingLeft(run);
  });
});

/** The text files Playwright wrote for failed specs (error contexts, in test-results and the HTML report's data). */
function attachments(reportsDir: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const dir of ['test-results', 'html/data'].map((sub) => path.join(reportsDir, sub))) {
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.(log|txt|json|md)$/.test(entry.name)) found[entry.name] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    }
  }
  return found;
}

// A start command that daemonizes (as `pg_ctl start` or `docker compose up -d` do): the store of
// selftest/fixtures/daemon-store starts its daemon in a session of its own and returns 0 before the daemon serves.
// Declared as a foreground service, its exit 0 is diagnosed as what it is; declared detached with its stop script,
// the gate passes and nothing of the store is left, after a teardown and after a runner killed with SIGKILL.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { isRunning, procAvailable, readStat } from '../../harness/services/process-table.ts';
import { removeStopRecord, writeStopRecord } from '../../harness/services/stop-records.ts';
import { repoRoot } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { freePort } from '../support/ports.ts';
import { explain, gateEnvironment, runGate, type GateRun } from '../support/run-gate.ts';

const fixture = path.join(repoRoot, 'selftest/fixtures/daemon-store');
const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
const stray: number[] = [];
after(() => {
  for (const pid of stray) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await delay(25);
  }
}

/** A store of its own: a data folder and a port. */
async function storeEnvironment(config: string, extra: Record<string, string> = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'daemon-store-'));
  const url = `http://127.0.0.1:${await freePort()}`;
  const env = { PREFLIGHT_CONFIG: path.join(fixture, config), PREFLIGHT_STORE_URL: url, STORE_DATA_DIR: dataDir, ...extra };
  return { env, dataDir, url };
}

/** The daemon's pid, from the pid file it writes once it serves (it deletes it when it stops). */
function daemonPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'store.pid');
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : undefined;
}

/** Every daemon this store ever started, from its log: to check none is left, whatever the pid file says. */
function daemonsStarted(dataDir: string): number[] {
  const log = path.join(dataDir, 'store.log');
  if (!fs.existsSync(log)) return [];
  const pids = [...fs.readFileSync(log, 'utf8').matchAll(/store daemon: pid (\d+)/g)].map((match) => Number(match[1]));
  stray.push(...pids);
  return pids;
}

const stops = (dataDir: string) => (fs.existsSync(path.join(dataDir, 'stops.log')) ? fs.readFileSync(path.join(dataDir, 'stops.log'), 'utf8') : '');

function assertNothingLeft(run: GateRun, dataDir: string): void {
  assert.deepEqual(leftoverProcesses(run), [], `nothing of the run is left\n${explain(run)}`);
  const running = daemonsStarted(dataDir).filter(isRunning);
  assert.deepEqual(running, [], `the store daemon is stopped\n${explain(run)}`);
}

describe('a start command that daemonizes', { skip: !procAvailable && 'needs /proc' }, () => {
  it('declared as a foreground service: its exit 0 is not called a crash; the diagnosis suggests detached and a stop command', async () => {
    const store = await storeEnvironment('foreground.config.ts');
    const run = await runGate({ env: store.env });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /store exited with code 0 before it was ready/);
    assert.match(run.output, /\| store: daemon started \(pid \d+\)/, 'its own words are quoted');
    assert.match(run.output, /likely cause: it may have started a daemon and returned \(as `pg_ctl start` or `docker compose up -d` do\), so its exit 0 would be the start, not the end of the service: what it started still runs with preflight's marks \(pid \d+ \([^)]*daemon\.mjs\)\); preflight took it for a crash and stops it/);
    assert.match(run.output, /fix: declare it detached, with the command that stops the daemon: services\.store: \{ detached: true, stop: \{ command: '\.\.\.' \} \}/);
    assert.doesNotMatch(run.output, /its start command fails/);
    // The daemon kept preflight's marks: teardown found it by them.
    assertNothingLeft(run, store.dataDir);
  });

  it('a foreground command that exits 0 and leaves nothing running: it does not stay in the foreground, no daemon claimed', async () => {
    // The mistake: a setup step where the server's command should be.
    const store = await storeEnvironment('foreground.config.ts', { PREFLIGHT_STORE_CMD: `node -e "console.log('store: data folder prepared')"` });
    const run = await runGate({ env: store.env });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /store exited with code 0 before it was ready/);
    assert.match(run.output, /likely cause: it exited 0 before serving: its command does not stay in the foreground \(a build or setup step instead of the server, a server sent to the background with & or nohup, a script that returns\), and nothing it started still runs with preflight's marks\./);
    assert.doesNotMatch(run.output, /likely cause: [^\n]*daemon/, 'no daemon is claimed: nothing of it is alive');
    assert.match(run.output, /fix: make its command the one that serves and keeps running until it is stopped\. Its command: node -e .*\(set by PREFLIGHT_STORE_CMD\)/);
    assertNothingLeft(run, store.dataDir);
  });

  it('declared detached with its stop script: the gate passes, readiness decided, and the stop script stopped the daemon', async () => {
    const store = await storeEnvironment('detached.config.ts');
    const run = await runGate({ env: store.env });
    assert.equal(run.exitCode, 0, explain(run));
    assert.equal(run.verdict.specs.passed, 1, 'the spec ran against the daemon');
    const log = fs.readFileSync(path.join(run.reportsDir, 'logs', 'store.log'), 'utf8');
    assert.match(log, /its start command exited with code 0 \(detached\)/);
    assert.match(log, /running its stop command: node stop\.mjs/);
    assert.match(log, /store: stopped pid \d+/, "the stop script's output is in the service's log");
    assert.match(stops(store.dataDir), /^stopped pid \d+\n$/);
    assertNothingLeft(run, store.dataDir);
  });

  it('a daemon that keeps none of the marks (as a container): only its stop script reaches it, and it does', async () => {
    const store = await storeEnvironment('detached.config.ts', { STORE_DAEMON_CLEAN_ENV: '1' });
    const run = await runGate({ env: store.env });
    assert.equal(run.exitCode, 0, explain(run));
    assert.match(stops(store.dataDir), /^stopped pid \d+\n$/);
    assertNothingLeft(run, store.dataDir);
  });

  it('a detached start that fails (non-zero): exit 3 at once, its own words and exit code', async () => {
    const store = await storeEnvironment('detached.config.ts', { STORE_START_FAILS: '1' });
    const run = await runGate({ env: store.env });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /store exited with code 1 before it was ready/);
    assert.match(run.output, /\| store: could not start: the data folder .* is locked by another store/);
    assert.ok(run.durationMs < 20_000, 'not waited out to its deadline');
  });

  it('a detached daemon that dies after its start command returned: the deadline, the start command\'s exit 0, and where to look', async () => {
    const store = await storeEnvironment('detached.config.ts', { STORE_DAEMON_CORRUPT: '1', STORE_DAEMON_CLEAN_ENV: '1', PREFLIGHT_STORE_TIMEOUT_MS: '3000' });
    const run = await runGate({ env: store.env });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /store never answered GET http:\/\/127\.0\.0\.1:\d+\/health with HTTP 200-403 within 3\.0 s; its start command exited with code 0 \d+\.\d s after start \(detached\), and nothing it started still runs with preflight's marks .*check the daemon's own log/);
    assert.doesNotMatch(run.output, /store is alive/);
    assert.doesNotMatch(run.output, /listens on another host or port/);
    assertNothingLeft(run, store.dataDir);
  });

  it('a detached daemon that keeps the marks and dies: said to have died, not to listen elsewhere', async () => {
    const store = await storeEnvironment('detached.config.ts', { STORE_DAEMON_CORRUPT: '1', PREFLIGHT_STORE_TIMEOUT_MS: '3000' });
    const run = await runGate({ env: store.env });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /likely cause: its daemon died \(or never started\) after its start command returned: nothing it started still runs with preflight's marks\./);
    assert.match(run.output, /fix: run its start command yourself and read the daemon's log: node start\.mjs/);
    assert.doesNotMatch(run.output, /listens on another host or port/);
    assert.match(fs.readFileSync(path.join(store.dataDir, 'store.log'), 'utf8'), /data file corrupt/, 'the daemon did die');
    assertNothingLeft(run, store.dataDir);
  });

  it('a runner killed with SIGKILL: the watchdog runs the stop script, and the daemon (without marks) is gone', async () => {
    const store = await storeEnvironment('detached.config.ts', { STORE_DAEMON_CLEAN_ENV: '1' });
    const gate = await gateEnvironment(store.env);
    const runner: ChildProcess = spawn(process.execPath, [cli, 'test'], { cwd: repoRoot, env: gate.env, stdio: 'ignore' });
    stray.push(runner.pid!);
    await until(() => daemonPid(store.dataDir) !== undefined, 'the store daemon serving (its pid file written)');
    const pid = daemonPid(store.dataDir)!;
    runner.kill('SIGKILL');
    await until(() => !isRunning(pid), 'the daemon stopped after its runner was killed');
    await until(() => stops(store.dataDir) !== '', 'the stop script noting its stop');
    assert.match(stops(store.dataDir), new RegExp(`^stopped pid ${pid}\\n$`));
    const run = { mark: gate.mark } as GateRun;
    await until(() => leftoverProcesses(run).length === 0, 'every process of the killed run gone').catch(() => undefined);
    assert.deepEqual(leftoverProcesses(run), [], 'nothing of the killed run is left');
  });

  it('`npx preflight cleanup` runs the stop command a run left recorded when its runner and watchdog both died, and no other', async () => {
    const store = await storeEnvironment('detached.config.ts');
    // The store started by hand, as a container would run: none of preflight's marks.
    const started = await execa(process.execPath, ['start.mjs'], { cwd: fixture, env: { PATH: process.env.PATH!, STORE_DATA_DIR: store.dataDir, PREFLIGHT_STORE_URL: store.url, STORE_DAEMON_CLEAN_ENV: '1' }, extendEnv: false });
    assert.equal(started.exitCode, 0);
    await until(() => daemonPid(store.dataDir) !== undefined, 'the store daemon serving');
    const pid = daemonPid(store.dataDir)!;
    stray.push(pid);
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const record = (runId: string, owner: string) =>
      writeStopRecord({ service: 'store', command: 'node stop.mjs', cwd: fixture, env: { STORE_DATA_DIR: store.dataDir }, timeoutMs: 10_000, runId, owner, tag: `store-${randomUUID()}` })!;
    const left = record(randomUUID(), `${gone.pid}:${readStat(process.pid)!.startTicks}`);
    const live = record(randomUUID(), `${process.pid}:${readStat(process.pid)!.startTicks}`);
    try {
      const cleanup = await execa('npx', ['preflight', 'cleanup'], { cwd: repoRoot, reject: false, all: true });
      assert.equal(cleanup.exitCode, 0, cleanup.all);
      assert.match(cleanup.all!, /running the stop command of store \(run [0-9a-f-]{36}, whose runner is gone\) in .*daemon-store: node stop\.mjs/);
      assert.match(cleanup.all!, /store: stopped pid \d+/);
      assert.match(cleanup.all!, /ran 1 stop command of earlier preflight runs/);
      assert.equal(isRunning(pid), false, 'the daemon is stopped');
      assert.match(stops(store.dataDir), new RegExp(`^stopped pid ${pid}\\n$`));
      assert.equal(fs.existsSync(left), false, 'the record is gone once its command ran');
      assert.equal(fs.existsSync(live), true, 'the record of a run still going on is left alone');
    } finally {
      removeStopRecord(live);
      removeStopRecord(left);
    }
  });
});

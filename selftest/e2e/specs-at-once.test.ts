// Spec files at once, one browser for the workers, the first page while the services boot: a turnstile of its own
// (selftest/fixtures/turnstile: one service, desk; its gate in gate/) whose two visitors, one per spec file, pass only
// together. preflight is installed from its packed tarball. The test holds the desk's boot until a page of the run is
// open, and holds the visitors at the desk while it counts the run's browsers.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa, type ResultPromise } from 'execa';
import { allPids, processesWithEnv, readProcess, readStat } from '../../harness/services/process-table.ts';
import { repoRoot } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { linkPackedInto } from '../support/packed-install.ts';
import { freePort } from '../support/ports.ts';
import { explain, GATE_MARK_VAR, gateRunResult, type GateRun } from '../support/run-gate.ts';
import { userEnvironment } from '../support/user-environment.ts';

const fixtureApp = path.join(repoRoot, 'selftest/fixtures/turnstile');
let workDir: string;
let appDir: string;

interface TurnstileRun {
  gate: ResultPromise;
  deskUrl: string;
  mark: string;
  reportsDir: string;
  started: number;
}

function startTurnstileGate(env: Record<string, string>, args: string[] = []): Promise<TurnstileRun> {
  return (async () => {
    const deskUrl = `http://127.0.0.1:${await freePort()}`;
    const mark = randomUUID();
    const reportsDir = path.join(appDir, 'gate', 'reports');
    fs.rmSync(reportsDir, { recursive: true, force: true });
    const started = Date.now();
    const gate = execa('npx', ['playwright', 'test', '-c', 'gate/playwright.config.ts', ...args], {
      cwd: appDir,
      env: userEnvironment({ PREFLIGHT_DESK_URL: deskUrl, [GATE_MARK_VAR]: mark, ...env }),
      extendEnv: false,
      reject: false,
      all: true,
      stdin: 'ignore',
      timeout: 180_000,
    });
    return { gate, deskUrl, mark, reportsDir, started };
  })();
}

async function finished(run: TurnstileRun): Promise<GateRun> {
  const result = (await run.gate) as { exitCode?: number; signal?: string; all?: string };
  return gateRunResult(result, { started: run.started, reportsDir: run.reportsDir, backendUrl: run.deskUrl, frontendUrl: run.deskUrl, databaseUrl: '', mark: run.mark });
}

/** The command lines of the run's processes: those that carry its mark, and their descendants (Chromium's helpers get an environment of their own). */
function runProcesses(run: TurnstileRun): string[] {
  const inRun = new Set(processesWithEnv(GATE_MARK_VAR, run.mark));
  const parents = allPids().map((pid) => [pid, readStat(pid)?.ppid] as const);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) if (!inRun.has(pid) && ppid !== undefined && inRun.has(ppid)) grew = inRun.add(pid) !== undefined;
  }
  return [...inRun].map((pid) => readProcess(pid)?.command ?? '');
}
const isRenderer = (command: string) => command.includes('--type=renderer');
/** A browser's main process: Playwright talks to it over a pipe; its helpers carry a --type (a shell wrapper around it is not one). */
const isBrowser = (command: string) => command.includes('--remote-debugging-pipe') && !command.includes('--type=') && !/^\/bin\/(ba|da)?sh /.test(command);

/** Waits until `condition` holds, the gate ended, or the deadline passed; says which, with the gate's output. */
async function until(run: TurnstileRun, what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  let output = '';
  run.gate.all!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void run.gate.then(() => (ended = true));
  while (!(await condition())) {
    if (ended) assert.fail(`the gate ended before ${what}:\n${output.split('\n').slice(-30).join('\n')}`);
    if (Date.now() > deadline) assert.fail(`not within ${timeoutMs / 1000} s: ${what}\n${output.split('\n').slice(-30).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function arrivals(run: TurnstileRun): Promise<string[]> {
  const answer = await fetch(new URL('/arrivals', run.deskUrl)).catch(() => undefined);
  return answer?.ok ? ((await answer.json()) as { arrived: string[] }).arrived : [];
}

const release = (run: TurnstileRun) => fetch(new URL('/release', run.deskUrl), { method: 'POST' });

describe('spec files at once, in one browser, the first page while the services boot (a turnstile, preflight from its tarball)', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    ({ workDir, appDir } = await linkPackedInto(fixtureApp));
  });

  after(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('both visitors meet at the desk, in one shared Chromium, and a page was open before the desk was ready (exit 0)', async () => {
    const openWhen = path.join(workDir, 'open-the-desk');
    fs.rmSync(openWhen, { force: true });
    const run = await startTurnstileGate({ TURNSTILE_OPEN_WHEN: openWhen, TURNSTILE_HOLD: '1' });
    // The desk is not ready until the file exists: a page of the run must open before that, while it boots.
    await until(run, 'a page of the run opened while the desk was still booting (a renderer process)', () => runProcesses(run).some(isRenderer));
    fs.writeFileSync(openWhen, '');
    await until(run, 'both visitors (north.spec.ts and south.spec.ts) arrived at the desk at once', async () => (await arrivals(run)).length === 2);
    const browsers = runProcesses(run).filter(isBrowser);
    await release(run);
    const gate = await finished(run);

    assert.equal(gate.exitCode, 0, explain(gate));
    assert.match(gate.output, /Running 2 tests using 2 workers/, explain(gate));
    assert.equal(browsers.length, 1, `the two workers share one browser; the run had ${browsers.length}:\n${browsers.join('\n')}`);
    assert.ok(gate.verdict.services.find((service: any) => service.name === 'desk')?.readyAt, explain(gate));
    assert.deepEqual(leftoverProcesses(gate), []);
  });

  it('with --workers=1 the second file waits for the first, which waits for it: the first fails at the desk (exit 3)', async () => {
    const run = await startTurnstileGate({ TURNSTILE_WAIT_MS: '3000' }, ['--workers=1']);
    const gate = await finished(run);
    assert.equal(gate.exitCode, 3, explain(gate));
    assert.match(gate.output, /Running 2 tests using 1 worker/, explain(gate));
    assert.match(gate.output, /south arrives while north waits at the desk: the two spec files run at once/, explain(gate));
    assert.match(gate.output, /preflight verdict: critical, exit code 3/, explain(gate));
  });

  it('a spec file whose browser is launched otherwise (no fake microphone) gets a browser of its own (exit 0)', async () => {
    const run = await startTurnstileGate({ TURNSTILE_HOLD: '1', TURNSTILE_OWN_BROWSER: '1' });
    await until(run, 'both visitors arrived at the desk at once', async () => (await arrivals(run)).length === 2);
    const browsers = runProcesses(run).filter(isBrowser);
    await release(run);
    const gate = await finished(run);

    assert.equal(gate.exitCode, 0, explain(gate));
    assert.equal(browsers.length, 2, `south.spec.ts's worker launches its own browser beside the shared one; the run had ${browsers.length}:\n${browsers.join('\n')}`);
  });
});

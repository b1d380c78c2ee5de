// Services never outlive their runner: a gate killed with SIGKILL leaves nothing behind, and what an earlier run
// left anyway is named as preflight's own leftover and stopped by `npx preflight cleanup`, which touches nothing else.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { execa } from 'execa';
import { isRunning, procAvailable, readStat } from '../../harness/services/process-table.ts';
import { RUN_ID_VAR, RUN_OWNER_VAR, SERVICE_TAG_VAR } from '../../harness/services/run-identity.ts';
import { portAnswers } from '../../harness/services/port-holder.ts';
import { repoRoot } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { freePort } from '../support/ports.ts';
import { explain, gateEnvironment, runGate, type GateRun } from '../support/run-gate.ts';

const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
const started: ChildProcess[] = [];
after(() => {
  for (const child of started) if (child.pid && isRunning(child.pid)) child.kill('SIGKILL');
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await delay(25);
  }
}

const logSays = (file: string, pattern: RegExp) => fs.existsSync(file) && pattern.test(fs.readFileSync(file, 'utf8'));

/** holds-port.ts on `port`, with `env` added; resolves once it listens. */
async function holdPort(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const holder = spawn(process.execPath, ['--import', 'tsx', 'selftest/fixtures/holds-port.ts', String(port)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(holder);
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('holding port') && resolve());
    holder.once('exit', (code) => reject(new Error(`holds-port.ts exited with code ${code} before it listened`)));
  });
  return holder;
}

/** The marks a service of a run owned by `owner` carries (harness/services/run-identity.ts). */
const marks = (owner: string) => ({ [SERVICE_TAG_VAR]: `backend-${randomUUID()}`, [RUN_ID_VAR]: randomUUID(), [RUN_OWNER_VAR]: owner });

describe('services never outlive their runner', { skip: !procAvailable && 'needs /proc' }, () => {
  it('a gate killed with SIGKILL once both services serve leaves nothing of its run alive a few seconds later', async () => {
    const gate = await gateEnvironment();
    const runner = spawn(process.execPath, [cli, 'test'], { cwd: repoRoot, env: gate.env, stdio: 'ignore' });
    started.push(runner);
    const logs = path.join(gate.reportsDir, 'logs');
    await until(() => logSays(path.join(logs, 'backend.log'), /listening on/) && logSays(path.join(logs, 'frontend.log'), /listening on/), 'both services listening');
    runner.kill('SIGKILL');
    const run = { mark: gate.mark } as GateRun;
    await until(() => leftoverProcesses(run).length === 0, 'every process of the killed run gone', 20_000).catch(() => undefined);
    assert.deepEqual(leftoverProcesses(run), [], 'nothing of the killed run is left');
    assert.equal(await portAnswers('127.0.0.1', Number(new URL(gate.frontendUrl).port)), false, 'the frontend\'s port is free again');
  });

  it('a leftover of an earlier run is named as such, and `npx preflight cleanup` stops it and nothing else', async () => {
    // A runner that is gone: a process that ran and exited.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const leftoverPort = await freePort();
    const leftover = await holdPort(leftoverPort, marks(`${gone.pid}:${readStat(process.pid)!.startTicks}`));
    // Not preflight's: no marks. And one of a run still going on (its runner is this test process).
    const stranger = await holdPort(await freePort());
    const live = await holdPort(await freePort(), marks(`${process.pid}:${readStat(process.pid)!.startTicks}`));

    const run = await runGate({ env: { PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${leftoverPort}` } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, new RegExp(`port ${leftoverPort} is held by pid ${leftover.pid}: .*\\n\\s+it is preflight's own leftover: the backend of an earlier run \\(run [0-9a-f-]{36}\\) whose runner is gone; stop it with: npx preflight cleanup`));

    const cleanup = await execa('npx', ['preflight', 'cleanup'], { cwd: repoRoot, reject: false, all: true });
    assert.equal(cleanup.exitCode, 0, cleanup.all);
    assert.match(cleanup.all!, new RegExp(`stopping pid ${leftover.pid} \\(backend of run [0-9a-f-]{36}\\): .*holds-port\\.ts ${leftoverPort}`));
    // The leftover's own children (tsx's esbuild service, when it started one) carry its marks and go with it.
    assert.match(cleanup.all!, /stopped \d+ leftover process(es)? of earlier preflight runs \(\d+ process(es)? of a run still going on left alone\)/);
    assert.equal(isRunning(leftover.pid!), false, 'the leftover is stopped');
    assert.equal(isRunning(stranger.pid!), true, 'a process preflight did not start is never touched');
    assert.equal(isRunning(live.pid!), true, 'a process of a run still going on is never touched');

    const again = await execa('npx', ['preflight', 'cleanup'], { cwd: repoRoot, reject: false, all: true });
    assert.equal(again.exitCode, 0, again.all);
    assert.match(again.all!, /no leftovers of earlier preflight runs/);
  });
});

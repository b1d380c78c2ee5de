// The readiness kinds where the user decides: a command (exit 0 is ready) and a function of the gate file. Real shell
// commands; functions as a user writes them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { probeCommand, probeFunction } from '../../harness/readiness/custom-check.ts';
import type { ProbeOutcome } from '../../harness/readiness/probe.ts';

const reason = (outcome: ProbeOutcome) => (outcome.kind === 'answered' ? outcome.verdict.reason : `${outcome.kind}`);
const state = (outcome: ProbeOutcome) => (outcome.kind === 'answered' ? outcome.verdict.state : outcome.kind);
const run = (command: string, timeoutMs = 5_000, env: NodeJS.ProcessEnv = {}) => probeCommand(command, { cwd: os.tmpdir(), env, timeoutMs });

describe('readiness command: exit 0 is ready', () => {
  it('exit 0 is ready', async () => {
    const outcome = await run('echo accepting connections');
    assert.equal(state(outcome), 'ready');
    assert.equal(reason(outcome), 'ready: `echo accepting connections` exited with code 0: accepting connections');
  });

  it('another exit is not ready, its output\'s last line the reason', async () => {
    const outcome = await run('echo checking; echo "127.0.0.1:6543 - no response" >&2; exit 2');
    assert.equal(state(outcome), 'violation');
    assert.equal(reason(outcome), 'not ready: `echo checking; echo "127.0.0.1:6543 - no response" >&2; exit 2` exited with code 2: 127.0.0.1:6543 - no response');
    assert.equal(outcome.kind === 'answered' && outcome.verdict.exitCode, 2);
  });

  it('runs in the service\'s folder and environment', async () => {
    const outcome = await run('test "$LEDGER_MODE" = replica && pwd', 5_000, { LEDGER_MODE: 'replica' });
    assert.match(reason(outcome), new RegExp(`exited with code 0: ${fs.realpathSync(os.tmpdir())}|exited with code 0: ${os.tmpdir()}`));
  });

  it('an attempt past its time is killed, with its whole process group, and said so', async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-attempt-')), 'pid');
    const outcome = await run(`sleep 30 & echo $! > ${pidFile}; echo waiting for the primary; wait`, 300);
    assert.match(reason(outcome), /did not finish within 300 ms \(readiness\.attemptTimeoutMs\); it printed: waiting for the primary/);
    // The background job of the killed group is gone too (a zombie until reaped counts as gone).
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    const alive = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 5_000;
    while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(alive(), false, `pid ${pid} of the killed group still runs`);
  });

  it('a command the shell cannot find says so, with its exit code 127', async () => {
    const outcome = await run('pg_isready_not_installed -h 127.0.0.1');
    assert.equal(outcome.kind === 'answered' && outcome.verdict.exitCode, 127);
    assert.match(reason(outcome), /exited with code 127: .*not found/);
  });
});

describe('readiness function: the gate file decides', () => {
  const call = (check: Parameters<typeof probeFunction>[0], timeoutMs = 1_000) => probeFunction(check, { url: new URL('http://127.0.0.1:4100'), name: 'ledger', timeoutMs });

  it('true, or { ready: true }, is ready; it gets the service\'s url', async () => {
    assert.equal(reason(await call(async ({ url }) => url?.port === '4100')), 'ready: its readiness check said so');
    assert.equal(reason(await call(() => ({ ready: true, reason: 'replica caught up' }))), 'ready: replica caught up');
  });

  it('false, or { ready: false, reason }, is not ready, with the reason', async () => {
    assert.equal(reason(await call(async () => false)), 'not ready: its readiness check returned false');
    assert.equal(reason(await call(async () => ({ ready: false, reason: 'replica 12 s behind' }))), 'not ready: replica 12 s behind');
  });

  it('a throw is not ready yet, quoted with its cause and the line that threw', async () => {
    const outcome = await call(async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:4100') });
    });
    assert.equal(state(outcome), 'violation');
    assert.match(reason(outcome), /^not ready: its readiness check threw TypeError: fetch failed \(cause: connect ECONNREFUSED 127\.0\.0\.1:4100\), at .*custom-readiness\.test\.ts:\d+:\d+/);
  });

  it('an attempt that never settles ends at its time, and its signal is aborted', async () => {
    let signal: AbortSignal | undefined;
    const outcome = await call(({ signal: given }) => {
      signal = given;
      return new Promise(() => {});
    }, 200);
    assert.match(reason(outcome), /did not settle within 200 ms \(readiness\.attemptTimeoutMs\); pass it the signal/);
    assert.equal(signal?.aborted, true);
  });

  it('an answer of another shape is named', async () => {
    assert.match(reason(await call(async () => 'yes' as never)), /returned "yes"; expected true, false or \{ ready, reason \}/);
  });
});

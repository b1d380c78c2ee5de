// A service's process as the runner sees it, against real programs: its last words, a spawn that fails,
// and a teardown that never signals a process the service did not start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { launchService, SERVICE_TAG_VAR } from '../../harness/services/launch.ts';
import { isRunning, procAvailable } from '../../harness/services/process-table.ts';
import { terminateServiceTree } from '../../harness/services/terminate.ts';
import { serviceConfig } from '../support/service-config.ts';

const logDir = mkdtempSync(path.join(tmpdir(), 'preflight-service-process-'));
const serviceFor = (command: string) => serviceConfig('backend', command);
const strangers: number[] = [];
after(() => {
  for (const pid of strangers) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

describe('a service process', { skip: !procAvailable && 'needs /proc' }, () => {
  it('a crash\'s last words are in its log tail when its exit is reported, even after a flood of output', async () => {
    // Its output goes through a log prefixer (bash process substitution) that the shell does not wait for: the
    // process exits while its last line is still on the way, as with any wrapper that forwards a service's logs.
    const command = `bash -c 'exec > >(while read -r line; do sleep 0.2; echo "[app] $line"; done) 2>&1; echo "last words: cannot bind"; exit 1'`;
    const handle = await launchService(serviceFor(command), { logDir, env: process.env });
    const exit = await handle.exited;
    assert.equal(exit.exitCode, 1);
    assert.deepEqual(handle.log.tail(1), ['[app] last words: cannot bind']);
    await handle.stop();
    await handle.log.close();
  });

  it('a service that cannot be spawned says why, and its log says so too', async () => {
    // One variable longer than the kernel takes (128 kB): spawn fails with E2BIG before any program runs.
    const env = { ...process.env, HUGE_VALUE: 'x'.repeat(200_000) };
    await assert.rejects(launchService(serviceFor('echo never'), { logDir, env }), (error: Error) => {
      assert.match(error.message, /backend could not be started: .*E2BIG/);
      return true;
    });
    const log = fs.readFileSync(path.join(logDir, 'backend.log'), 'utf8');
    assert.match(log, /# preflight: backend could not be started: .*E2BIG/);
  });
});

describe('teardown', { skip: !procAvailable && 'needs /proc' }, () => {
  it('never signals a process that does not carry the service\'s tag, even where the service\'s pid was', async () => {
    // A stranger that ignores SIGTERM, in its own group, where the recorded service was (a reused pid).
    const stranger = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000); console.log("up")'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    strangers.push(stranger.pid!);
    await new Promise((resolve) => stranger.stdout!.once('data', resolve));
    const result = await terminateServiceTree({ pgid: stranger.pid!, tag: { name: SERVICE_TAG_VAR, value: 'backend-gone' } }, 200);
    assert.deepEqual(result, { killed: [], survivors: [] });
    assert.equal(isRunning(stranger.pid!), true, 'the stranger still runs');
  });
});

// Issue #15's promise: teardown finds every process a service started, including a daemon that left its process
// group with setsid, in 50 boots out of 50. Each boot tears down as soon as the service is up, so the daemon is
// sometimes born while the teardown has already begun.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { launchService } from '../../harness/services/launch.ts';
import { procAvailable, processesWithEnv } from '../../harness/services/process-table.ts';
import { repoRoot } from '../support/demo-process.ts';
import { serviceConfig } from '../support/service-config.ts';

const RUNS = 50;
const service = serviceConfig('backend', `sh ${path.join(repoRoot, 'selftest/fixtures/setsid-daemon.sh')}`);

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await delay(5);
  }
}

describe('teardown of a service with a setsid daemon', { skip: !procAvailable && 'needs /proc' }, () => {
  it(`leaves nothing that carries the service's tag, ${RUNS} boots out of ${RUNS}`, async () => {
    const logDir = mkdtempSync(path.join(tmpdir(), 'preflight-setsid-'));
    const left: string[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const handle = await launchService(service, { logDir, env: process.env });
      await until(() => handle.log.tail().some((line) => line.startsWith('service: up')), `run ${run}: the service coming up`);
      await handle.stop();
      const tagged = processesWithEnv(handle.tree.tag.name, handle.tree.tag.value);
      if (tagged.length) left.push(`run ${run}: pid ${tagged.join(', ')} still carry the tag; log: ${handle.log.tail().join(' | ')}`);
      await handle.log.close();
    }
    assert.deepEqual(left, [], 'every tagged process is gone after each teardown');
  });
});

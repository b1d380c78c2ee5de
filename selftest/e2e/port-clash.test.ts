// A port clash between two services of one gate (selftest/fixtures/port-clash): the ledger checks at boot that the
// kiosk's port is free and exits 1 when it is not, while the kiosk, declared readyAfter the ledger, started at once
// and took it. The diagnosis names the kiosk (the OS says it holds the port) and the start order that fixes it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { procAvailable } from '../../harness/services/process-table.ts';
import { repoRoot } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { freePort } from '../support/ports.ts';
import { explain, runGate, type GateRun } from '../support/run-gate.ts';

const fixture = path.join(repoRoot, 'selftest/fixtures/port-clash');
const strangers: ChildProcess[] = [];
after(() => {
  for (const stranger of strangers) stranger.kill('SIGKILL');
});

async function runTally(config: string, env: Record<string, string> = {}): Promise<GateRun & { kioskPort: number }> {
  const kioskPort = env.KIOSK_PORT ? Number(env.KIOSK_PORT) : await freePort();
  const run = await runGate({
    env: {
      PREFLIGHT_CONFIG: path.join(fixture, config),
      PREFLIGHT_LEDGER_URL: `http://127.0.0.1:${await freePort()}`,
      PREFLIGHT_KIOSK_URL: `http://127.0.0.1:${kioskPort}`,
      ...env,
    },
  });
  assert.deepEqual(leftoverProcesses(run), [], `nothing of the run is left\n${explain(run)}`);
  return { ...run, kioskPort };
}

describe('a port clash between declared services', { skip: !procAvailable && 'needs /proc' }, () => {
  it('the service holding the port is named, with the start order that fixes it, not "run it yourself"', async () => {
    // The ledger boots for 3 s before it checks the ports: the kiosk, a plain Node server, listens long before.
    const run = await runTally('ready-after.config.ts', { LEDGER_BOOT_MS: '3000' });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /ledger exited with code 1 before it was ready/);
    assert.match(run.output, new RegExp(`\\| \\[ledger\\] Port validation failed: Port ${run.kioskPort} \\(KIOSK_PORT\\) is already in use`));
    assert.match(run.output, new RegExp(`port ${run.kioskPort}, which its output names, is held by kiosk, another service of this gate: pid \\d+ \\(node server\\.mjs\\)`));
    assert.match(run.output, new RegExp(`likely cause: kiosk started at the same time as ledger and took port ${run.kioskPort} first`));
    assert.match(run.output, /fix: start kiosk only once ledger is ready: move ledger from readyAfter to dependsOn of kiosk/);
    assert.doesNotMatch(run.output, /Run it yourself/);
  });

  it('with the fix (dependsOn) the gate passes', async () => {
    const run = await runTally('depends-on.config.ts');
    assert.equal(run.exitCode, 0, explain(run));
    assert.equal(run.verdict.specs.passed, 1);
  });

  it('a port held by a process that is not one of the gate\'s services: no service is blamed', async () => {
    const kioskPort = await freePort();
    const stranger = spawn(process.execPath, ['--import', 'tsx', 'selftest/fixtures/holds-port.ts', String(kioskPort)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    strangers.push(stranger);
    await new Promise<void>((resolve, reject) => {
      stranger.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('holding port') && resolve());
      stranger.once('exit', (code) => reject(new Error(`holds-port.ts exited with code ${code}`)));
    });
    // The kiosk waits for the ledger (dependsOn): only the stranger holds its port when the ledger checks it.
    const run = await runTally('depends-on.config.ts', { KIOSK_PORT: String(kioskPort), LEDGER_BOOT_MS: '0' });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /ledger exited with code 1 before it was ready/);
    assert.match(run.output, /likely cause: its start command fails\. Run it yourself to see why/);
    assert.doesNotMatch(run.output, /another service of this gate/);
  });
});

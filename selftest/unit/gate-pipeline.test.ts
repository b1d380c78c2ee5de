// Stages of harness/gate/pipeline.ts that need no runner: how global setup watches the boot.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GateRun } from '../../harness/gate/gate-run.ts';
import { watchBoot } from '../../harness/gate/pipeline.ts';
import { statusForVerdict } from '../../harness/reporter/verdict-inputs.ts';
import type { BootOutcome } from '../../harness/services/boot.ts';

const recordStops = () => {
  const stops: string[] = [];
  return { stops, stop: (run: GateRun, reason: string) => void (stops.push(reason), (run.stoppedEarly = reason)) };
};

describe('watchBoot: global setup\'s watch over the boot', () => {
  it('a boot that fails inside the harness stops the run as a setup problem, never as an unhandled rejection', async () => {
    const run = new GateRun();
    const { stops, stop } = recordStops();
    await watchBoot(run, Promise.reject(new Error('address family probe crashed')), stop);
    assert.deepEqual(stops, ['booting the services failed inside the harness']);
    assert.match(run.setupProblems[0]!.diagnosis, /^preflight: booting the services failed inside the harness: address family probe crashed/);
  });

  it('a service that did not become ready stops the run; a boot ended by the run itself does not', async () => {
    const failed: BootOutcome = { ok: false, services: [{ name: 'backend', url: 'u', healthUrl: 'h', reused: false, failure: { summary: 's', diagnosis: 'd' } }] };
    const ended: BootOutcome = { ok: false, services: [{ name: 'backend', url: 'u', healthUrl: 'h', reused: false }] };
    const first = recordStops();
    await watchBoot(new GateRun(), Promise.resolve(failed), first.stop);
    assert.deepEqual(first.stops, ['a service did not become ready']);
    const second = recordStops();
    await watchBoot(new GateRun(), Promise.resolve(ended), second.stop);
    assert.deepEqual(second.stops, []);
  });

  it('an early stop by the harness is a failure for the verdict, a Ctrl+C an interruption', () => {
    const run = new GateRun();
    assert.equal(statusForVerdict('interrupted', run), 'interrupted');
    run.stoppedEarly = 'a service did not become ready';
    assert.equal(statusForVerdict('interrupted', run), 'failed');
  });
});

// The boot's console lines (harness/gate/boot-progress.ts) and the order the reports list the services in, on a
// clock the test moves: what is held until the run begins, what a failure says, and that nothing prints after.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceConfig } from '../../harness/config/types.ts';
import type { ServiceRecord } from '../../harness/core/service-record.ts';
import { BootProgress } from '../../harness/gate/boot-progress.ts';
import { GateRun } from '../../harness/gate/gate-run.ts';
import { renderHtmlVerdict } from '../../harness/reporter/html-verdict.ts';
import type { VerdictReport } from '../../harness/reporter/verdict-report.ts';
import { serviceConfig } from '../support/service-config.ts';

const T0 = Date.parse('2026-11-02T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function service(name: string, url: string, change: Partial<ServiceConfig> = {}): ServiceConfig {
  return serviceConfig(name, 'node server.js', { url: new URL(url), urlText: url, healthUrl: new URL('/status/ready', url), ...change });
}

function progressOn() {
  let now = T0;
  const printed: string[] = [];
  // An interval no test reaches: ticks are called by hand through the clock below.
  const progress = new BootProgress(T0, 3_600_000, () => now);
  return {
    progress,
    printed,
    advance: (ms: number) => (now += ms),
    tick: () => (progress as unknown as { tick(): void }).tick(),
    print: (line: string) => printed.push(line),
  };
}

describe('the boot on the console', () => {
  it('holds its lines until the run has begun and a printer is there, then prints them in order', () => {
    const { progress, printed, advance, print } = progressOn();
    progress.watch([service('ledger', 'tcp://127.0.0.1:7401', { readiness: { kind: 'tcp' } })]);
    progress.record({ name: 'ledger', url: 'tcp://127.0.0.1:7401', reused: false, spawnedAt: at(0) });
    progress.attach(print);
    assert.deepEqual(printed, [], 'nothing before Playwright\'s "Running" line');
    advance(1_200);
    progress.begin();
    progress.record({ name: 'ledger', url: 'tcp://127.0.0.1:7401', reused: false, spawnedAt: at(0), readyAt: at(1_200), msToReady: 1_200, contract: 'ready', contractReason: 'ready: accepts TCP connections on 127.0.0.1:7401' });
    progress.stop();
    assert.deepEqual(printed, [
      '[preflight +0.0s] ledger: starting on tcp://127.0.0.1:7401\n',
      '[preflight +1.2s] ledger: ready on tcp://127.0.0.1:7401, 1.2 s after it started: accepts TCP connections on 127.0.0.1:7401\n',
    ]);
  });

  it('every few seconds: what a started service waits for and its last probe; what a queued one waits for', () => {
    const { progress, printed, advance, tick, print } = progressOn();
    progress.watch([service('ledger', 'tcp://127.0.0.1:7401', { readiness: { kind: 'tcp' } }), service('fares', 'http://127.0.0.1:7402', { dependsOn: ['ledger'] })]);
    progress.attach(print);
    progress.begin();
    progress.record({ name: 'ledger', url: 'tcp://127.0.0.1:7401', reused: false, spawnedAt: at(0) });
    progress.probe('ledger', { kind: 'unreachable', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', latencyMs: 1 });
    advance(5_000);
    tick();
    progress.record({ name: 'ledger', url: 'tcp://127.0.0.1:7401', reused: false, spawnedAt: at(0), readyAt: at(5_100), msToReady: 5_100, contractReason: 'ready: accepts TCP connections on 127.0.0.1:7401' });
    progress.record({ name: 'fares', url: 'http://127.0.0.1:7402', reused: false, spawnedAt: at(5_200) });
    progress.probe('fares', { kind: 'answered', verdict: { state: 'down', reason: 'down: loading the fare tables', httpStatus: 503 }, latencyMs: 2 });
    advance(5_000);
    tick();
    assert.deepEqual(printed.slice(1, 3), [
      '[preflight +5.0s] ledger: waiting 5.0 s for a TCP connection on 127.0.0.1:7401; last probe: connection refused (nothing listens there yet)\n',
      '[preflight +5.0s] fares: not started yet: it starts once ledger is ready (dependsOn)\n',
    ]);
    assert.equal(printed.at(-1), '[preflight +10.0s] fares: waiting 4.8 s for http://127.0.0.1:7402/status/ready; last probe: HTTP 503, down: loading the fare tables\n');
  });

  it('a failure in one line, the closing line, and nothing after the boot is over', () => {
    const { progress, printed, tick, print } = progressOn();
    progress.watch([service('fares', 'http://127.0.0.1:7402')]);
    progress.attach(print);
    progress.begin();
    const failed: ServiceRecord = { name: 'fares', url: 'http://127.0.0.1:7402', reused: false, spawnedAt: at(0), failure: { summary: 'fares exited with code 1 before it was ready', diagnosis: 'd' } };
    progress.record(failed);
    progress.settled({ ok: false, services: [failed] });
    tick();
    progress.record({ ...failed, diedDuringRun: { exitCode: 1, signal: null, at: at(10), diagnosis: 'd' } });
    assert.deepEqual(printed, ['[preflight +0.0s] fares: not ready: fares exited with code 1 before it was ready\n']);
  });
});

describe('the services in the reports', () => {
  it('are listed in start order: reused first, then by start time, never started last', () => {
    const run = new GateRun();
    run.record({ name: 'fares', reused: false, spawnedAt: at(5_000) });
    run.record({ name: 'receipts', reused: false, contractReason: 'not started: another service failed to become ready' });
    run.record({ name: 'kiosk', reused: false, spawnedAt: at(300) });
    run.record({ name: 'ledger', reused: false, spawnedAt: at(100) });
    run.record({ name: 'cache', reused: true, msToReady: 0 });
    assert.deepEqual(run.serviceList().map((record) => record.name), ['cache', 'ledger', 'kiosk', 'fares', 'receipts']);
  });

  it("show a readiness reason once: a TCP service is 'ready: accepts TCP connections', not 'ready: ready: ...'", () => {
    const report = {
      verdict: 'pass',
      exitCode: 0,
      specs: { total: 0, passed: 0, failed: 0, flaky: 0, skipped: 0 },
      criticalFailures: [],
      warnings: [],
      notRun: [],
      safetySkipped: [],
      shards: [],
      services: [{ name: 'ledger', url: 'tcp://127.0.0.1:7401', reused: false, msToReady: 1200, contract: 'ready', contractReason: 'ready: accepts TCP connections on 127.0.0.1:7401' }],
    } as unknown as VerdictReport;
    const html = renderHtmlVerdict(report);
    assert.match(html, /<td [^>]*>ready: accepts TCP connections on 127\.0\.0\.1:7401<\/td>/);
    assert.doesNotMatch(html, /ready: ready/);
  });
});

// A readiness contract that answers "down" with the same reason for a while ends the wait before the deadline
// (services.<name>.readiness.downForMs); one whose reason moves is waited for. Real HTTP against a server in this process.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { serviceProbe } from '../../harness/readiness/service-probe.ts';
import { waitUntilReady } from '../../harness/readiness/wait-until-ready.ts';
import { serviceConfig } from '../support/service-config.ts';

const servers: http.Server[] = [];
after(() => servers.forEach((server) => server.close()));

/** A contract that answers "down" forever; `reason(n)` says why on the n-th request. */
async function downContract(reason: (request: number) => string) {
  let requests = 0;
  const waiters: Array<{ times: number; resolve(): void }> = [];
  const server = http.createServer((_req, res) => {
    for (const waiter of waiters.filter((w) => requests + 1 >= w.times)) waiter.resolve();
    const body = { status: 'down', message: 'Critical system failures detected', failures: [{ name: 'database', message: reason(++requests) }] };
    res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    probe: serviceProbe(serviceConfig('intake', 'none', { url: new URL(url), urlText: url, healthUrl: new URL('/ops/health/production', url) })),
    /** Resolves once it has been asked `times` times. */
    asked: (times: number) => new Promise<void>((resolve) => waiters.push({ times, resolve })),
  };
}

describe('downForMs: a "down" that does not change ends the wait', () => {
  it('the same reason for downForMs: given up before the deadline, with that reason', async () => {
    const { probe } = await downContract(() => 'Database connection failed: connect ECONNREFUSED 127.0.0.1:5432');
    const outcome = await waitUntilReady({ probe, timeoutMs: 20_000, downForMs: 300 });
    assert.equal(outcome.ok ? 'ready' : outcome.reason, 'down', JSON.stringify(outcome));
    assert.ok(!outcome.ok && outcome.reason === 'down');
    assert.equal(outcome.lastProbe.verdict.reason, 'down: Critical system failures detected: database fail (Database connection failed: connect ECONNREFUSED 127.0.0.1:5432)');
    assert.equal(outcome.downForMs, 300);
  });

  it('a reason that changes (a migration counting up) is waited for until the deadline', async () => {
    const { probe } = await downContract((request) => `applying migration ${request} of 40`);
    const outcome = await waitUntilReady({ probe, timeoutMs: 1_500, downForMs: 300 });
    assert.equal(outcome.ok ? 'ready' : outcome.reason, 'timeout', JSON.stringify(outcome));
  });

  it('the time it answered "down" is its first to its last "down" answer, not the whole time to ready', async () => {
    // Not yet the contract (a plain 503 page) for its first 600 ms, then "down" with a reason that moves until the deadline.
    const began = performance.now();
    let requests = 0;
    const server = http.createServer((_req, res) => {
      if (performance.now() - began < 600) return res.writeHead(503, { 'content-type': 'text/html' }).end('<html>starting</html>');
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'down', message: `loading table ${++requests}` }));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const probe = serviceProbe(serviceConfig('fares', 'none', { url: new URL(url), urlText: url, healthUrl: new URL('/ops/health/production', url) }));
    const outcome = await waitUntilReady({ probe, timeoutMs: 2_500, downForMs: 1_000 });
    assert.ok(!outcome.ok && outcome.reason === 'timeout', JSON.stringify(outcome));
    assert.ok(outcome.down, 'it answered "down"');
    assert.ok(outcome.down.firstMs >= 550, `the first "down" came after the 600 ms of plain 503s: ${JSON.stringify(outcome.down)}`);
    // The last probe starts before the deadline and may answer just after it.
    assert.ok(outcome.down.lastMs > outcome.down.firstMs && outcome.down.lastMs < 3_000, JSON.stringify(outcome.down));
  });

  it('not counted while what it is judged ready after is not ready yet (readyAfter)', async () => {
    const { probe, asked } = await downContract(() => 'cannot reach the ledger');
    let settle!: (ready: boolean) => void;
    const waiting = waitUntilReady({ probe, timeoutMs: 20_000, downForMs: 300, after: new Promise((resolve) => (settle = resolve)) });
    // Five answers are 100 + 250 + 500 + 1000 ms of backoff apart: far longer than downForMs, and no early end yet.
    const first = await Promise.race([waiting.then(() => 'ended'), asked(5).then(() => 'still waiting')]);
    assert.equal(first, 'still waiting');
    settle(true);
    const outcome = await waiting;
    assert.equal(outcome.ok ? 'ready' : outcome.reason, 'down');
  });
});

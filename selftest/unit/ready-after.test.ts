// readyAfter (docs/gate-config.md): a service started together with the ones it is judged ready after. Probed over
// real HTTP against a tiny server in this process; the `after` promise is what the boot hands the wait.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after as afterAll, describe, it } from 'node:test';
import { serviceProbe } from '../../harness/readiness/service-probe.ts';
import { waitUntilReady } from '../../harness/readiness/wait-until-ready.ts';
import { serviceConfig } from '../support/service-config.ts';

const servers: http.Server[] = [];
afterAll(() => servers.forEach((server) => server.close()));

/** A frontend answering `status` to every GET; `seen` resolves once it has been asked `times` times. */
async function frontend(status: number) {
  let requests = 0;
  const waiters: Array<{ times: number; resolve(): void }> = [];
  const server = http.createServer((_req, res) => {
    requests++;
    for (const waiter of waiters.filter((w) => requests >= w.times)) waiter.resolve();
    res.writeHead(status).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const service = serviceConfig('frontend', 'none', { url: new URL(url), urlText: url, healthUrl: new URL('/', url), readiness: { kind: 'http', status: { min: 200, max: 200 }, followRedirects: true } });
  return {
    probe: serviceProbe(service),
    seen: (times: number) => new Promise<void>((resolve) => waiters.push({ times, resolve })),
    requests: () => requests,
  };
}

/** A promise settled from outside, like the readiness of the service waited for. */
function settleable() {
  let settle!: (ready: boolean) => void;
  const promise = new Promise<boolean>((resolve) => (settle = resolve));
  return { promise, settle };
}

describe('readyAfter: judged ready only after what it waits for', () => {
  it('a service that answers ready at once is declared ready only after its backend, and its deadline does not run meanwhile', async () => {
    const app = await frontend(200);
    const backend = settleable();
    // The deadline (50 ms) is far shorter than the wait for the backend: counted from the start, it would expire.
    const waiting = waitUntilReady({ probe: app.probe, timeoutMs: 50, after: backend.promise });
    await Promise.race([app.seen(3), waiting]);
    const backendReadyAt = Date.now();
    backend.settle(true);
    const outcome = await waiting;
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.ok(outcome.ok && outcome.readyAt >= backendReadyAt, 'declared ready after the backend');
  });

  it('its deadline counts from the backend\'s readiness', async () => {
    const app = await frontend(502);
    const backend = settleable();
    const waiting = waitUntilReady({ probe: app.probe, timeoutMs: 300, after: backend.promise });
    await Promise.race([app.seen(2), waiting]);
    const backendReadyAt = performance.now();
    backend.settle(true);
    const outcome = await waiting;
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.reason, 'timeout', JSON.stringify(outcome));
    assert.ok(performance.now() - backendReadyAt >= 300, 'the whole timeoutMs after the backend was ready');
    assert.match(JSON.stringify(!outcome.ok && outcome.lastProbe), /HTTP 502/, 'the last answer is kept for the diagnosis');
  });

  it('a backend that fails ends the wait at once, as not waited for', async () => {
    const app = await frontend(502);
    const backend = settleable();
    const waiting = waitUntilReady({ probe: app.probe, timeoutMs: 60_000, after: backend.promise });
    await Promise.race([app.seen(1), waiting]);
    backend.settle(false);
    const outcome = await waiting;
    assert.equal(!outcome.ok && outcome.reason, 'aborted', JSON.stringify(outcome));
  });
});

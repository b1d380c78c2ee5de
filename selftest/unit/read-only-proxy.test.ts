// The read-only proxy on its own, between real clients and a real server on loopback: what it lets reach
// production, what it refuses and records, how it knows production whatever the spelling, and who sent what.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ProxyAgent, fetch as undiciFetch } from 'undici';
import { attributeBlockedWrites, type BlockedWrite } from '../../harness/production/blocked-writes.ts';
import { selectsProject } from '../../harness/production/production-guard.ts';
import { ProductionAddresses } from '../../harness/production/production-addresses.ts';
import { startReadOnlyProxy, type ReadOnlyProxy } from '../../harness/production/read-only-proxy.ts';

const listen = async (handler: http.RequestListener) => {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
};

describe('the read-only proxy', () => {
  const received: string[] = [];
  let production: Awaited<ReturnType<typeof listen>>;
  let elsewhere: Awaited<ReturnType<typeof listen>>;
  let proxy: ReadOnlyProxy;
  const blocked: BlockedWrite[] = [];

  before(async () => {
    production = await listen((req, res) => {
      received.push(`${req.method} ${req.url}`);
      req.resume();
      res.end('production');
    });
    // Another origin that sends any request on to production with a 307, method and body kept.
    elsewhere = await listen((req, res) => {
      req.resume();
      res.writeHead(307, { location: `http://localhost:${production.port}/after-redirect` }).end();
    });
    const url = new URL(`http://localhost:${production.port}`);
    proxy = await startReadOnlyProxy({ production: { urls: [url] }, workers: 2, onBlocked: (write) => blocked.push(write) });
  });
  after(() => {
    production?.server.close();
    elsewhere?.server.close();
  });

  const through = (worker: number) => new ProxyAgent(`http://127.0.0.1:${proxy.ports[worker]}`);

  it('lets reads reach production and refuses writes with 403, naming them; production receives only the reads', async () => {
    const read = await undiciFetch(`http://localhost:${production.port}/page`, { dispatcher: through(0) });
    assert.equal(await read.text(), 'production');
    const write = await undiciFetch(`http://localhost:${production.port}/api/stories`, { method: 'POST', body: 'x', dispatcher: through(1) });
    assert.equal(write.status, 403);
    assert.match(await write.text(), /^preflight: blocked a write to production: POST http:\/\/localhost:\d+\/api\/stories: .*PREFLIGHT_ALLOW_PRODUCTION_WRITES=true/);
    assert.deepEqual(blocked.at(-1), { at: blocked.at(-1)!.at, worker: 1, request: `POST http://localhost:${production.port}/api/stories` });
    assert.ok(!received.includes('POST /api/stories'));
  });

  it('refuses a GET with a method-override header, and production under another spelling (by its address)', async () => {
    const overridden = await undiciFetch(`http://localhost:${production.port}/api/stories/1`, { headers: { 'X-HTTP-Method': 'DELETE' }, dispatcher: through(0) });
    assert.equal(overridden.status, 403);
    assert.match(blocked.at(-1)!.request, /^GET http:\/\/localhost:\d+\/api\/stories\/1 \(with X-HTTP-Method: DELETE\)$/);
    for (const host of ['127.0.0.1', '[::1]']) {
      const spelled = await undiciFetch(`http://${host}:${production.port}/api/stories`, { method: 'PUT', body: 'x', dispatcher: through(0) });
      assert.equal(spelled.status, 403, host);
      assert.match(blocked.at(-1)!.request, new RegExp(`^PUT http://${host.replace(/[.[\]]/g, '\\$&')}:\\d+/api/stories \\(production http://localhost:\\d+, reached by its address`));
    }
    assert.deepEqual(received.filter((line) => !line.startsWith('GET /page')), []);
  });

  it('judges every redirect hop: a write to another origin goes there, and is refused where it turns to production', async () => {
    const before = blocked.length;
    const answer = await undiciFetch(`http://127.0.0.1:${elsewhere.port}/form`, { method: 'POST', body: 'x', dispatcher: through(0) });
    assert.equal(answer.status, 403);
    assert.equal(blocked.length, before + 1);
    assert.match(blocked.at(-1)!.request, /^POST http:\/\/localhost:\d+\/after-redirect$/);
    assert.ok(!received.includes('POST /after-redirect'));
  });

  it('passes other destinations through untouched, writes included', async () => {
    const before = blocked.length;
    const other = await listen((req, res) => {
      req.resume();
      res.end(`other got ${req.method}`);
    });
    try {
      const answer = await undiciFetch(`http://127.0.0.1:${other.port}/`, { method: 'DELETE', dispatcher: through(1) });
      assert.equal(await answer.text(), 'other got DELETE');
      assert.equal(blocked.length, before);
    } finally {
      other.server.close();
    }
  });

  it('leaves nothing behind: its authority (the key of every certificate it made) is deleted with it', async () => {
    assert.ok(fs.existsSync(proxy.authority.caFile));
    await proxy.close();
    assert.equal(fs.existsSync(proxy.authority.caFile), false);
  });
});

describe('production by its addresses', () => {
  it('is the same server as localhost, 127.0.0.1 or [::1] at its port; another port is not production', async () => {
    const addresses = await ProductionAddresses.of({ urls: [new URL('https://localhost:8443'), new URL('https://localhost:9443')] });
    assert.deepEqual((await addresses.match('localhost', 8443))?.by, { name: true });
    assert.deepEqual((await addresses.match('127.0.0.1', 8443))?.by, { address: '127.0.0.1' });
    assert.equal((await addresses.match('::1', 9443))?.production.port, '9443');
    assert.equal(await addresses.match('127.0.0.1', 8444), undefined);
    assert.equal(await addresses.match('example.invalid', 8443), undefined);
  });
});

describe('which spec a blocked write belongs to', () => {
  it('the last spec its worker began before the write; none when its worker had begun none', () => {
    const at = (ms: number) => new Date(1_000_000 + ms);
    const tests = [
      { name: 'first', results: [{ parallelIndex: 0, startTime: at(0) }] },
      { name: 'second', results: [{ parallelIndex: 0, startTime: at(100) }] },
      { name: 'other worker', results: [{ parallelIndex: 1, startTime: at(50) }] },
    ];
    const writes = [
      { at: 1_000_000 + 60, worker: 0, request: 'POST a' },
      { at: 1_000_000 + 150, worker: 0, request: 'POST b (a beacon after its page closed)' },
      { at: 1_000_000 + 70, worker: 1, request: 'POST c' },
      { at: 1_000_000 + 10, worker: 1, request: 'POST d' },
    ];
    assert.deepEqual(attributeBlockedWrites(tests, writes, (test) => test.name), [
      { request: 'POST a', spec: 'first' },
      { request: 'POST b (a beacon after its page closed)', spec: 'second' },
      { request: 'POST c', spec: 'other worker' },
      { request: 'POST d' },
    ]);
  });

  it('the proxy starts for the production project only', () => {
    assert.equal(selectsProject([], 'production'), true);
    assert.equal(selectsProject(['local'], 'production'), false);
    assert.equal(selectsProject(['Production'], 'production'), true);
    assert.equal(selectsProject(['prod*'], 'production'), true);
  });
});

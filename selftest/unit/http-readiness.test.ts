// Plain http readiness judged as Playwright's webServer judges a URL (isURLAvailable in playwright-core): 200-403,
// redirects followed; an explicit status narrows it. Probed over real HTTP against a tiny server in this process.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { resolveServices } from '../../harness/config/services.ts';
import type { GateFile } from '../../harness/config/gate-schema.ts';
import { serviceProbe } from '../../harness/readiness/service-probe.ts';
import type { ProbeOutcome } from '../../harness/readiness/probe.ts';
import { waitUntilReady } from '../../harness/readiness/wait-until-ready.ts';
import { createTestCa } from '../support/test-ca.ts';

const servers: Array<http.Server | https.Server> = [];
after(() => servers.forEach((server) => server.close()));

/** A server answering each path from `routes` (status, and where it redirects); anything else 404. */
async function serve(routes: Record<string, [number, string?]>): Promise<string> {
  const server = http.createServer((req, res) => {
    const [status, location] = routes[req.url ?? '/'] ?? [404];
    res.writeHead(status, location ? { location } : {}).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A service declared with `readiness` (and more fields), resolved the way the gate file is. */
function declare(url: string, readiness: Record<string, unknown>, more: Record<string, unknown> = {}) {
  const problems: string[] = [];
  const gate = { services: { portal: { command: 'none', url, readiness, ...more } } } as unknown as GateFile;
  const [service] = resolveServices(gate, { file: `${process.cwd()}/x.config.ts`, fromFile: true, overrides: new Map(), healthPath: '/health', defaultTimeoutMs: 1000, defaultStop: { signal: 'SIGTERM', graceMs: 0 }, problems });
  assert.deepEqual(problems, []);
  return service!;
}

/** One probe of a service declared with `readiness`, which must answer. */
async function probe(url: string, readiness: Record<string, unknown>, more: Record<string, unknown> = {}): Promise<ProbeOutcome & { kind: 'answered' }> {
  const outcome = await serviceProbe(declare(url, readiness, more))(2_000);
  assert.equal(outcome.kind, 'answered', JSON.stringify(outcome));
  return outcome as ProbeOutcome & { kind: 'answered' };
}

describe('http readiness: what webServer accepts, unless a status narrows it', () => {
  it('a / that redirects to a sign-in page answering 401 is ready (the redirect followed)', async () => {
    const url = await serve({ '/': [302, '/login'], '/login': [401] });
    const { verdict } = await probe(url, { kind: 'http' });
    assert.equal(verdict.state, 'ready');
    assert.equal(verdict.reason, `ready: answered HTTP 401 at ${url}/login (/ redirected with HTTP 302)`);
  });

  it('403 is ready, 404 and 503 are not: the range is 200-403', async () => {
    const url = await serve({ '/forbidden': [403], '/gone': [404], '/busy': [503] });
    assert.equal((await probe(url, { kind: 'http', path: '/forbidden' })).verdict.state, 'ready');
    assert.match((await probe(url, { kind: 'http', path: '/gone' })).verdict.reason, /answered HTTP 404, expected HTTP 200-403/);
    assert.match((await probe(url, { kind: 'http', path: '/busy' })).verdict.reason, /answered HTTP 503, expected HTTP 200-403/);
  });

  it('a redirect to a page that fails is not ready: the final answer is judged', async () => {
    const url = await serve({ '/': [301, '/home'], '/home': [500] });
    assert.match((await probe(url, { kind: 'http' })).verdict.reason, /answered HTTP 500, expected HTTP 200-403 at .*\/home/);
  });

  it('a 404 at / is asked again at /index.html, as webServer does', async () => {
    const url = await serve({ '/index.html': [200] });
    assert.match((await probe(url, { kind: 'http' })).verdict.reason, /^ready: answered HTTP 200 at .*\/index\.html \(\/ answered HTTP 404\)/);
  });

  it('an explicit status narrows it: 200 only, the redirect still followed', async () => {
    const url = await serve({ '/': [302, '/login'], '/login': [401] });
    assert.match((await probe(url, { kind: 'http', status: 200 })).verdict.reason, /answered HTTP 401, expected HTTP 200 at/);
  });

  it('a status that names a redirect is judged as answered, not followed', async () => {
    const url = await serve({ '/': [302, '/login'], '/login': [500] });
    assert.equal((await probe(url, { kind: 'http', status: 302 })).verdict.reason, 'ready: answered HTTP 302');
  });

  it('a redirect to another host is the answer itself: the probe never leaves the app', async () => {
    const url = await serve({ '/': [302, 'https://sign-in.example.org/authorize'] });
    assert.equal((await probe(url, { kind: 'http' })).verdict.reason, 'ready: answered HTTP 302');
  });

  it('a redirect loop is not ready, and says so', async () => {
    const url = await serve({ '/a': [302, '/b'], '/b': [302, '/a'] });
    const { verdict } = await probe(url, { kind: 'http', path: '/a' });
    assert.equal(verdict.state, 'violation');
    assert.match(verdict.reason, /answered 10 redirects in a row from \/a \(a redirect loop\?\)/);
  });
});

describe('local https: trusted only by opt-in (tls)', () => {
  /** An https server with a certificate issued by a test authority this machine does not trust. */
  async function serveHttps(hosts = ['127.0.0.1']) {
    const ca = await createTestCa();
    const issued = await ca.issue('studio', { hosts });
    const server = https.createServer({ cert: fs.readFileSync(issued.cert), key: fs.readFileSync(issued.key) }, (_req, res) => res.writeHead(200).end('studio'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, caFile: ca.caCert };
  }

  it('without it, the certificate is refused and the wait ends at once, however long the timeout', async () => {
    const { url } = await serveHttps();
    const outcome = await waitUntilReady({ probe: serviceProbe(declare(url, { kind: 'http' })), timeoutMs: 600_000 });
    assert.equal(outcome.ok ? 'ready' : outcome.reason, 'certificate', JSON.stringify(outcome));
    assert.equal(!outcome.ok && outcome.lastProbe?.kind === 'unreachable' && outcome.lastProbe.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('tls: { ca } verifies it against that authority; tls: { insecure: true } accepts it', async () => {
    const { url, caFile } = await serveHttps();
    assert.equal((await probe(url, { kind: 'http' }, { tls: { ca: caFile } })).verdict.reason, 'ready: answered HTTP 200');
    assert.equal((await probe(url, { kind: 'http' }, { tls: { insecure: true } })).verdict.reason, 'ready: answered HTTP 200');
  });

  it('tls: { ca } still refuses a certificate for another host name', async () => {
    const { url, caFile } = await serveHttps(['studio.internal']);
    const outcome = await serviceProbe(declare(url, { kind: 'http' }, { tls: { ca: caFile } }))(2_000);
    assert.equal(outcome.kind === 'unreachable' && outcome.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });
});

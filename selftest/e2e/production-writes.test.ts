// Production is read-only whatever a spec does: a spec that writes to production by any path (with preflight's
// fixtures or plain @playwright/test, through a redirect, under another spelling of production, from a browser it
// launched itself), without the testData fixture, is stopped by the read-only proxy before the request reaches
// production and fails critical, naming the method and URL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import pg from 'pg';
import { copyProject } from '../support/project-copy.ts';
import { startProductionStandIn, type ProductionStandIn } from '../support/production-stand-in.ts';
import { explain, gateEnvironment, gateRunResult, runGate } from '../support/run-gate.ts';
import { createTestCa } from '../support/test-ca.ts';

const ATTACKS = path.join(import.meta.dirname, '../fixtures/attacks/production-writes.spec.ts');
const PLAIN_ATTACKS = path.join(import.meta.dirname, '../fixtures/attacks/plain-playwright.spec.ts');

/** Another origin that answers /307?to=<url> and /308?to=<url> with that redirect, keeping the method and body. */
async function startRedirector(): Promise<{ url: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://redirector');
    received.push(`${req.method} ${url.pathname}`);
    req.resume();
    const status = Number(url.pathname.slice(1));
    if (![307, 308].includes(status) || !url.searchParams.get('to')) return void res.writeHead(404).end();
    res.writeHead(status, { location: url.searchParams.get('to')!, 'access-control-allow-origin': '*' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('production writes', () => {
  let prod: ProductionStandIn;
  let caCert: string;
  let redirector: Awaited<ReturnType<typeof startRedirector>>;
  before(async () => {
    const ca = await createTestCa();
    caCert = ca.caCert;
    redirector = await startRedirector();
    prod = await startProductionStandIn({ certificate: await ca.issue('prod', { hosts: ['localhost', '127.0.0.1'] }) });
  });
  after(async () => {
    await Promise.all([prod?.stop(), redirector?.close()]);
  });

  it('are blocked on every path (API requests, forms, page fetch, sendBeacon, routes, Node fetch, redirects, other spellings, plain @playwright/test, own browser, method override): critical, named, nothing received (exit 3)', async () => {
    const { root } = await copyProject();
    fs.writeFileSync(path.join(root, 'tests', 'attacks.spec.ts'), fs.readFileSync(ATTACKS, 'utf8').replace('../../../tests/fixtures.ts', './fixtures.ts'));
    fs.copyFileSync(PLAIN_ATTACKS, path.join(root, 'tests', 'plain-attacks.spec.ts'));
    const gate = await gateEnvironment({ NODE_EXTRA_CA_CERTS: caCert, PREFLIGHT_PRODUCTION_URL: prod.url, PREFLIGHT_PRODUCTION_API_URL: prod.apiUrl, SELFTEST_REDIRECTOR: redirector.url });
    const started = Date.now();
    const result = await execa('npx', ['playwright', 'test', '--project=production', 'attacks.spec.ts', 'plain-attacks.spec.ts'], { cwd: root, env: gate.env, extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: 600_000 });
    const run = gateRunResult(result, { ...gate, started });
    if (process.env.SELFTEST_DUMP) fs.writeFileSync(process.env.SELFTEST_DUMP, run.output);

    assert.equal(run.exitCode, 3, explain(run));
    const critical = (run.verdict?.criticalFailures ?? []).filter((finding: any) => /^attack: /.test(finding.title));
    const reasons = Object.fromEntries(critical.map((finding: any) => [finding.title.replace(/^.*attack: /, ''), finding.reason]));
    const write = (method: string, base: string, pathname: string) => new RegExp(`blocked a write to production: ${method} ${base.replace(/[.[\]]/g, '\\$&')}${pathname}\\b.*PREFLIGHT_ALLOW_PRODUCTION_WRITES=true`);
    const spelled = (base: string, host: string) => base.replace('localhost', host);
    assert.match(reasons['page.request.post'] ?? '', write('POST', prod.apiUrl, '/api/stories'), explain(run));
    assert.match(reasons['request.put'] ?? '', write('PUT', prod.apiUrl, '/api/stories/1'));
    assert.match(reasons['request.delete, caught by the spec'] ?? '', write('DELETE', prod.apiUrl, '/api/stories/1'));
    assert.match(reasons['a browser form submit'] ?? '', write('POST', prod.url, '/tell-your-story'));
    assert.match(reasons['fetch from the page'] ?? '', write('POST', prod.url, '/tell-your-story'));
    assert.match(reasons['navigator.sendBeacon, then the page closes'] ?? '', write('POST', prod.url, '/tell-your-story'));
    assert.match(reasons['fetch keepalive from pagehide'] ?? '', write('POST', prod.url, '/tell-your-story'));
    assert.match(reasons["a spec's own route turns a read into a write"] ?? '', write('POST', prod.url, '/tell-your-story'));
    assert.match(reasons["Node's fetch in the spec"] ?? '', write('POST', prod.apiUrl, '/api/stories'));
    assert.match(run.output, /Critical failures:\n(.*\n)*.*attack: request\.put .*blocked a write to production: PUT /);
    // Issue 22: the writes that reached production before the read-only proxy.
    assert.match(reasons['in-page fetch to another origin that answers 307 to production'] ?? '', write('POST', prod.url, '/tell-your-story'), explain(run));
    assert.match(reasons['a form posted to another origin that answers 308 to production'] ?? '', write('POST', prod.url, '/tell-your-story'));
    assert.match(reasons['the request fixture posts to another origin that answers 308 to production'] ?? '', write('POST', prod.apiUrl, '/api/stories'));
    assert.match(reasons["Node's fetch posts to another origin that answers 307 to production"] ?? '', write('POST', prod.apiUrl, '/api/stories'));
    assert.deepEqual([...new Set(redirector.received)].sort(), ['POST /307', 'POST /308'], 'the first hop, to the other origin, went; the second was judged');
    assert.match(reasons['production spelled 127.0.0.1 instead of localhost (request fixture)'] ?? '', write('POST', spelled(prod.apiUrl, '127.0.0.1'), '/api/stories'));
    assert.match(reasons['production spelled 127.0.0.1 instead of localhost (request fixture)'] ?? '', new RegExp(`production ${prod.apiUrl.replace(/[.]/g, '\\.')}, reached by its address 127\\.0\\.0\\.1`));
    assert.match(reasons["production spelled [::1] instead of localhost (Node's fetch)"] ?? '', write('POST', spelled(prod.apiUrl, '[::1]'), '/api/stories'));
    assert.match(reasons['production spelled 127.0.0.1 from the page'] ?? '', write('POST', spelled(prod.url, '127.0.0.1'), '/tell-your-story'));
    assert.match(reasons["Node's fetch saved at import time"] ?? '', write('POST', prod.apiUrl, '/api/stories'));
    assert.match(reasons["Node's https.request with its default agent (as axios and got send)"] ?? '', write('POST', prod.apiUrl, '/api/stories'));
    assert.match(reasons['a browser the spec launches itself, then a page fetch'] ?? '', write('POST', prod.url, '/tell-your-story'));
    assert.match(reasons['Navigator.prototype.sendBeacon, then the page closes'] ?? '', write('POST', prod.url, '/tell-your-story'));
    assert.match(reasons['a GET that says X-HTTP-Method-Override: DELETE'] ?? '', /blocked a write to production: GET .*\/api\/stories\/1 \(with X-HTTP-Method-Override: DELETE\)/);
    assert.match(reasons['@playwright/test, request.post'] ?? '', write('POST', prod.apiUrl, '/api/stories'));
    assert.match(reasons['@playwright/test, a form'] ?? '', write('POST', prod.url, '/tell-your-story'));
    assert.equal(critical.length, 23, `every attack is a critical finding:\n${critical.map((finding: any) => finding.title).join('\n')}`);

    const received = prod.requests();
    assert.ok(received.some((line) => line.startsWith('request GET /tell-your-story')), `reads went through:\n${received.join('\n')}`);
    assert.deepEqual(received.filter((line) => !/^request (GET|HEAD|OPTIONS) .* method-override=-$/.test(line)), [], 'production received no write');
    const sql = new pg.Client({ host: '127.0.0.1', port: Number(new URL(prod.databaseUrl).port), user: 'postgres', database: 'postgres' });
    await sql.connect();
    const stored = (await sql.query('SELECT count(*)::int AS n FROM stories')).rows[0].n;
    await sql.end();
    assert.equal(stored, 0, 'production stored nothing');
  });

  it('with --project=production and a plain-http production URL, the configuration message wins over "project not found" (exit 3)', async () => {
    const run = await runGate({ env: { PREFLIGHT_PRODUCTION_URL: 'http://prod.example.test', PREFLIGHT_PRODUCTION_API_URL: 'https://api.example.test' }, args: ['--project=production'] });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /PREFLIGHT_PRODUCTION_URL: expected an https:\/\/ URL: production is never checked over plain http/);
    assert.doesNotMatch(run.output, /not found/);
    assert.equal(run.verdict.criticalFailures[0].title, 'configuration');
  });
});

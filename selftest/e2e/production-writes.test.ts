// Production is read-only at the network layer: a spec that writes to production by any path, without the testData
// fixture, is stopped before the request leaves the machine and fails critical, naming the method and URL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import pg from 'pg';
import { copyProject } from '../support/project-copy.ts';
import { startProductionStandIn, type ProductionStandIn } from '../support/production-stand-in.ts';
import { explain, gateEnvironment, gateRunResult, runGate } from '../support/run-gate.ts';
import { createTestCa } from '../support/test-ca.ts';

const ATTACKS = path.join(import.meta.dirname, '../fixtures/attacks/production-writes.spec.ts');

describe('production writes', () => {
  let prod: ProductionStandIn;
  let caCert: string;
  before(async () => {
    const ca = await createTestCa();
    caCert = ca.caCert;
    prod = await startProductionStandIn({ certificate: await ca.issue('prod', { hosts: ['localhost', '127.0.0.1'] }) });
  });
  after(async () => {
    await prod?.stop();
  });

  it('are blocked on every path (API requests, forms, page fetch, sendBeacon, routes, Node fetch): critical, named, nothing received (exit 3)', async () => {
    const { root } = await copyProject();
    fs.writeFileSync(path.join(root, 'tests', 'attacks.spec.ts'), fs.readFileSync(ATTACKS, 'utf8').replace('../../../tests/fixtures.ts', './fixtures.ts'));
    const gate = await gateEnvironment({ NODE_EXTRA_CA_CERTS: caCert, PREFLIGHT_PRODUCTION_URL: prod.url, PREFLIGHT_PRODUCTION_API_URL: prod.apiUrl });
    const started = Date.now();
    const result = await execa('npx', ['playwright', 'test', '--project=production', 'attacks.spec.ts'], { cwd: root, env: gate.env, extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: 180_000 });
    const run = gateRunResult(result, { ...gate, started });
    if (process.env.SELFTEST_DUMP) fs.writeFileSync(process.env.SELFTEST_DUMP, run.output);

    assert.equal(run.exitCode, 3, explain(run));
    const critical = (run.verdict?.criticalFailures ?? []).filter((finding: any) => /^attack: /.test(finding.title));
    const reasons = Object.fromEntries(critical.map((finding: any) => [finding.title.replace(/^.*attack: /, ''), finding.reason]));
    const write = (method: string, base: string, pathname: string) => new RegExp(`blocked a write to production: ${method} ${base.replace(/[.]/g, '\\.')}${pathname}\\b.*PREFLIGHT_ALLOW_PRODUCTION_WRITES=true`);
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

    const received = prod.requests();
    assert.ok(received.some((line) => line.startsWith('request GET /tell-your-story')), `reads went through:\n${received.join('\n')}`);
    assert.deepEqual(received.filter((line) => !/^request (GET|HEAD|OPTIONS) /.test(line)), [], 'production received no write');
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

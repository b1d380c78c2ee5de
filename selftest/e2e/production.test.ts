// The production project against a production stand-in: the demo app in production mode behind HTTPS on loopback,
// with a certificate authority made at test time and trusted through NODE_EXTRA_CA_CERTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startProductionStandIn, type ProductionStandIn } from '../support/production-stand-in.ts';
import { explain, runGate } from '../support/run-gate.ts';
import { createTestCa, type TestCa } from '../support/test-ca.ts';

const SAFETY_REASON = 'no writes to production: this spec creates data, so it runs against production only with PREFLIGHT_ALLOW_PRODUCTION_WRITES=true';

describe('the production target', () => {
  let ca: TestCa;
  const standIns: ProductionStandIn[] = [];
  const standIn = async (options: Parameters<typeof startProductionStandIn>[0]) => {
    const started = await startProductionStandIn(options);
    standIns.push(started);
    return started;
  };
  const productionEnv = (prod: ProductionStandIn, extra: Record<string, string> = {}) => ({
    NODE_EXTRA_CA_CERTS: ca.caCert,
    PREFLIGHT_PRODUCTION_URL: prod.url,
    PREFLIGHT_PRODUCTION_API_URL: prod.apiUrl,
    ...extra,
  });

  before(async () => {
    ca = await createTestCa();
  });
  after(async () => {
    await Promise.all(standIns.map((prod) => prod.stop()));
  });

  it('walks production beside local over verified https, reads only: the story submission is a safety skip (exit 0)', async () => {
    const prod = await standIn({ certificate: await ca.issue('trusted', { hosts: ['localhost', '127.0.0.1'] }) });
    const run = await runGate({ env: productionEnv(prod) });
    assert.equal(run.exitCode, 0, explain(run));
    assert.equal(run.verdict.specs.total, 10, 'four local specs, six production specs');
    assert.equal(run.verdict.specs.passed, 9, explain(run));
    assert.match(run.output, /\[production\] › tests\/frontend\.spec\.ts/);
    assert.deepEqual(run.verdict.safetySkipped.map((skip: any) => [skip.project, skip.reason]), [['production', `skipped by the harness for safety: ${SAFETY_REASON}`]]);
    assert.match(run.output, /Skipped by the harness for safety:\n {2}- integration: .*\(production, tests\/integration\.spec\.ts:\d+\): skipped by the harness for safety: no writes to production/);
    const requests = prod.requests();
    assert.ok(requests.some((line) => line.startsWith('request GET /tell-your-story')), `production served the page:\n${requests.join('\n')}`);
    assert.deepEqual(requests.filter((line) => !line.startsWith('request GET ')), [], 'nothing but reads reached production');
  });

  it('with writes allowed marks what it creates as test data; an expiring certificate and another live build are warnings (exit 1)', async () => {
    const prod = await standIn({ certificate: await ca.issue('expiring', { hosts: ['localhost'], days: 6 }), version: '1.4.2' });
    const run = await runGate({ env: productionEnv(prod, { PREFLIGHT_ALLOW_PRODUCTION_WRITES: 'true', DEMO_VERSION: '1.5.0' }) });
    assert.equal(run.exitCode, 1, explain(run));
    assert.match(run.output, /preflight verdict: warnings, exit code 1/);
    const warnings = run.verdict.warnings.map((warning: any) => warning.reason).join('\n');
    assert.match(warnings, new RegExp(`the certificate of ${prod.url.replace(/[.]/g, '\\.')} expires on \\S+, in [56] day\\(s\\) \\(less than 14\\)`));
    assert.match(warnings, /production runs 1\.4\.2, local is 1\.5\.0/);
    assert.deepEqual(run.verdict.safetySkipped, []);
    const sql = new pg.Client({ host: '127.0.0.1', port: Number(new URL(prod.databaseUrl).port), user: 'postgres', database: 'postgres' });
    await sql.connect();
    const stories = (await sql.query('SELECT name, test_data, status FROM stories')).rows;
    await sql.end();
    assert.equal(stories.length, 1, 'the integration spec stored one story in production');
    assert.match(stories[0].name, /^preflight-test production \d+$/);
    assert.equal(stories[0].test_data, true, 'the X-Preflight-Test header reached the backend');
    assert.equal(stories[0].status, 'COMPLETED');
    assert.ok(prod.requests().some((line) => /^request POST \/api\/story\/start x-preflight-test=1 /.test(line)), prod.requests().join('\n'));
  });

  for (const [name, certificate, reason] of [
    ['an untrusted (self-signed) certificate', () => ca.selfSigned('self-signed', { hosts: ['localhost'] }), /is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT/],
    ['an expired certificate', () => ca.issue('expired', { hosts: ['localhost'], window: { start: '20240101000000Z', end: '20240201000000Z' } }), /expired on 2024-02-01T00:00:00\.000Z \(CERT_HAS_EXPIRED\): renew it/],
  ] as const) {
    it(`blocks on ${name} before any request reaches production (exit 3)`, async () => {
      const prod = await standIn({ certificate: await certificate() });
      const run = await runGate({ env: productionEnv(prod), args: ['--project=production'] });
      assert.equal(run.exitCode, 3, explain(run));
      assert.match(run.output, reason);
      assert.ok(run.verdict.criticalFailures.length >= 1);
      for (const failure of run.verdict.criticalFailures) {
        assert.equal(failure.project, 'production');
        assert.match(failure.reason, /production was not walked, its TLS failed before any request/);
      }
      assert.deepEqual(prod.requests(), [], 'no HTTP request reached production');
    });
  }

  it('refuses a plain http production URL before anything starts or any request is sent (exit 3)', async () => {
    const prod = await standIn({});
    const run = await runGate({ env: productionEnv(prod) });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /PREFLIGHT_PRODUCTION_URL: expected an https:\/\/ URL: production is never checked over plain http \(set PREFLIGHT_ALLOW_INSECURE_PRODUCTION=true to allow it\), got "http:\/\/localhost:\d+"/);
    assert.match(run.output, /PREFLIGHT_PRODUCTION_API_URL: expected an https:\/\/ URL/);
    assert.equal(fs.existsSync(path.join(run.reportsDir, 'logs')), false, 'no service was started');
    assert.deepEqual(prod.requests(), [], 'no request reached production');
  });
});

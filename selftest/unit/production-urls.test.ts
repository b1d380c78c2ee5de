// Production by service name: PREFLIGHT_PRODUCTION_URL is the browser's service, PREFLIGHT_PRODUCTION_<NAME>_URL every
// other one's (PREFLIGHT_PRODUCTION_API_URL still the backend's where no service is named api). Real gate files in temp
// folders, parsed as the gate parses them; the whole gate walks a production stand-in in selftest/e2e/any-app.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseConfig } from '../../harness/config/load-config.ts';
import { loadGateFile } from '../../harness/config/gate-file.ts';
import type { ConfigResult } from '../../harness/config/types.ts';
import { PreflightError } from '../../harness/core/preflight-error.ts';
import { ProductionAddresses } from '../../harness/production/production-addresses.ts';
import { checkProductionTarget } from '../../harness/production/production-target.ts';
import { targetFor } from '../../harness/production/target.ts';
import { configOf, problems } from '../support/config-result.ts';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function load(config: string, env: NodeJS.ProcessEnv = {}): ConfigResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-production-urls-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'preflight.config.ts'), `export default ${config};\n`);
  const full = { ...env, PREFLIGHT_CONFIG: path.join(dir, 'preflight.config.ts') };
  return parseConfig(full, loadGateFile(full));
}

const KIOSK = `{ services: {
  api: { command: 'node api.js', url: 'http://127.0.0.1:4311', readiness: { kind: 'http', path: '/healthz' } },
  web: { command: 'node web.js', url: 'http://127.0.0.1:4310', readiness: { kind: 'http' }, browser: true },
  payments: { command: 'node payments.js', url: 'http://127.0.0.1:4313', readiness: { kind: 'http' } },
  db: { command: 'node db.js', url: 'tcp://127.0.0.1:4312', readiness: { kind: 'tcp' } },
} }`;
const DEMO = `{ services: {
  database: { command: 'node db.js', url: 'tcp://127.0.0.1:5433', readiness: { kind: 'tcp' } },
  backend: { command: 'node backend.js', url: 'http://127.0.0.1:3001' },
  frontend: { command: 'node frontend.js', url: 'http://127.0.0.1:3000', browser: true },
} }`;

describe('production URLs by service name', () => {
  it('PREFLIGHT_PRODUCTION_<NAME>_URL for any name; the browser\'s service is PREFLIGHT_PRODUCTION_URL; every one is an origin of production', () => {
    const config = configOf(load(KIOSK, {
      PREFLIGHT_PRODUCTION_URL: 'https://kiosk.example',
      PREFLIGHT_PRODUCTION_API_URL: 'https://api.kiosk.example',
      PREFLIGHT_PRODUCTION_PAYMENTS_URL: 'https://pay.kiosk.example:8443',
    }));
    const target = targetFor('production', config);
    assert.equal(target.baseURL?.href, 'https://kiosk.example/');
    assert.equal(target.serviceUrl('web').href, 'https://kiosk.example/');
    assert.equal(target.serviceUrl('api').href, 'https://api.kiosk.example/');
    assert.equal(target.serviceUrl('payments').href, 'https://pay.kiosk.example:8443/');
    assert.deepEqual(target.origins, ['https://kiosk.example', 'https://api.kiosk.example', 'https://pay.kiosk.example:8443']);
    assert.deepEqual(config.production?.urls.map((url) => url.origin), target.origins, 'the read-only proxy and the TLS check get every one');
  });

  it('a service without a production URL: the spec that asks for it fails, naming the variable to set', () => {
    const target = targetFor('production', configOf(load(KIOSK, { PREFLIGHT_PRODUCTION_URL: 'https://kiosk.example' })));
    assert.throws(() => target.serviceUrl('payments'), (error: Error) => {
      assert.ok(error instanceof PreflightError);
      assert.match(error.message, /production has no URL for the service "payments": PREFLIGHT_PRODUCTION_PAYMENTS_URL is not set\. Set it to payments's production address/);
      return true;
    });
    assert.throws(() => target.serviceUrl('nope'), /no service named "nope" is declared \(declared: api, web, payments, db\)/);
    assert.throws(() => target.backendUrl, /no service named "backend" is declared/);
  });

  it('existing users: PREFLIGHT_PRODUCTION_API_URL is the backend\'s where no service is named api; PREFLIGHT_PRODUCTION_BACKEND_URL too', () => {
    const legacy = targetFor('production', configOf(load(DEMO, { PREFLIGHT_PRODUCTION_URL: 'https://demo.example', PREFLIGHT_PRODUCTION_API_URL: 'https://api.demo.example' })));
    assert.equal(legacy.frontendUrl.href, 'https://demo.example/');
    assert.equal(legacy.backendUrl.href, 'https://api.demo.example/');
    assert.equal(legacy.backendHealthUrl.href, 'https://api.demo.example/ops/health/production');
    const named = targetFor('production', configOf(load(DEMO, { PREFLIGHT_PRODUCTION_URL: 'https://demo.example', PREFLIGHT_PRODUCTION_BACKEND_URL: 'https://backend.demo.example' })));
    assert.equal(named.backendUrl.href, 'https://backend.demo.example/');
    const none = targetFor('production', configOf(load(DEMO, { PREFLIGHT_PRODUCTION_URL: 'https://demo.example' })));
    assert.throws(() => none.backendUrl, /PREFLIGHT_PRODUCTION_BACKEND_URL is not set \(nor PREFLIGHT_PRODUCTION_API_URL, which is backend's when no service is named api\)/);
    assert.throws(() => none.serviceUrl('database'), /PREFLIGHT_PRODUCTION_DATABASE_URL is not set/);
  });

  it('each production variable is https unless allowed, and one that names no declared service is refused', () => {
    const plain = problems(load(KIOSK, { PREFLIGHT_PRODUCTION_URL: 'https://kiosk.example', PREFLIGHT_PRODUCTION_PAYMENTS_URL: 'http://pay.kiosk.example' }));
    assert.match(plain, /PREFLIGHT_PRODUCTION_PAYMENTS_URL: expected an https:\/\/ URL: production is never checked over plain http \(set PREFLIGHT_ALLOW_INSECURE_PRODUCTION=true to allow it\), got "http:\/\/pay\.kiosk\.example"/);
    assert.equal(configOf(load(KIOSK, { PREFLIGHT_PRODUCTION_URL: 'https://kiosk.example', PREFLIGHT_PRODUCTION_PAYMENTS_URL: 'http://pay.kiosk.example', PREFLIGHT_ALLOW_INSECURE_PRODUCTION: 'true' })).production?.services.payments?.url.href, 'http://pay.kiosk.example/');
    const typo = problems(load(KIOSK, { PREFLIGHT_PRODUCTION_URL: 'https://kiosk.example', PREFLIGHT_PRODUCTION_PAYMENT_URL: 'https://pay.kiosk.example' }));
    assert.match(typo, /PREFLIGHT_PRODUCTION_PAYMENT_URL: names no declared service \(declared: api, web, payments, db\), got "https:\/\/pay\.kiosk\.example"; fix: name the service's production URL PREFLIGHT_PRODUCTION_<NAME>_URL \(PREFLIGHT_PRODUCTION_API_URL, PREFLIGHT_PRODUCTION_WEB_URL, PREFLIGHT_PRODUCTION_PAYMENTS_URL, PREFLIGHT_PRODUCTION_DB_URL\)/);
    const browser = problems(load(KIOSK, { PREFLIGHT_PRODUCTION_URL: 'https://kiosk.example', PREFLIGHT_PRODUCTION_WEB_URL: 'https://other.example' }));
    assert.match(browser, /PREFLIGHT_PRODUCTION_WEB_URL: expected "https:\/\/kiosk\.example" or nothing: web is the browser's service, whose production URL is PREFLIGHT_PRODUCTION_URL/);
    // Reported together with an unrelated invalid variable.
    assert.match(problems(load(KIOSK, { PREFLIGHT_PRODUCTION_URL: 'https://kiosk.example', PREFLIGHT_PRODUCTION_API_URL: 'not a url', PREFLIGHT_STRICT: 'maybe' })), /PREFLIGHT_STRICT: expected true or false[\s\S]*PREFLIGHT_PRODUCTION_API_URL: expected an http:\/\/ or https:\/\/ URL, got "not a url"|PREFLIGHT_PRODUCTION_API_URL: expected an http:\/\/ or https:\/\/ URL, got "not a url"[\s\S]*PREFLIGHT_STRICT/);
  });

  it("every production URL is production to the read-only proxy and to the TLS check, by its name and its addresses", async () => {
    const config = configOf(load(KIOSK, {
      PREFLIGHT_PRODUCTION_URL: 'http://localhost:18443',
      PREFLIGHT_PRODUCTION_API_URL: 'http://localhost:18444',
      PREFLIGHT_PRODUCTION_PAYMENTS_URL: 'http://localhost:18445',
      PREFLIGHT_ALLOW_INSECURE_PRODUCTION: 'true',
    }));
    const addresses = await ProductionAddresses.of(config.production!);
    for (const port of [18443, 18444, 18445]) assert.equal((await addresses.match('127.0.0.1', port))?.production.port, String(port));
    assert.equal(await addresses.match('127.0.0.1', 18446), undefined);
    assert.match((await checkProductionTarget(config.production!)).insecure ?? '', /plain http for http:\/\/localhost:18443 and http:\/\/localhost:18444 and http:\/\/localhost:18445/);
  });
});

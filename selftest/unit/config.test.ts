import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadDotenv, parseConfig } from '../../harness/config/load-config.ts';

describe('configuration', () => {
  it('has the defaults of docs/design.md', () => {
    const result = parseConfig({});
    assert.ok(result.ok);
    const { config } = result;
    assert.equal(config.backend!.url.origin, 'http://127.0.0.1:3001');
    assert.equal(config.frontend!.url.origin, 'http://127.0.0.1:3000');
    assert.equal(config.backend!.healthUrl.href, 'http://127.0.0.1:3001/ops/health/production');
    // Each service may take 60 s; the boot's own deadline sums them along the longest chain (database, backend, frontend).
    assert.deepEqual(config.services.map((service) => service.timeoutMs), [60_000, 60_000, 60_000]);
    assert.equal(config.readyTimeoutMs, 180_000);
    assert.deepEqual(config.services.map((service) => service.reuseExisting), [false, false, false]);
    assert.equal(config.baseURL?.href, 'http://127.0.0.1:3000/', "the frontend is the browser's service (browser: true)");
    assert.equal(config.strict, false);
    assert.equal(config.allowProductionWrites, false);
    assert.equal(config.production, undefined);
  });

  it('reports every bad variable at once, naming what it expected and what it got', () => {
    const result = parseConfig({
      PREFLIGHT_BACKEND_URL: 'localhost:3001',
      PREFLIGHT_READY_TIMEOUT_MS: '-5',
      PREFLIGHT_STRICT: 'yes please',
      PREFLIGHT_HEALTH_PATH: 'health',
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.deepEqual(result.problems, [
      'PREFLIGHT_BACKEND_URL: expected an http:// or https:// URL, got "localhost:3001"',
      'PREFLIGHT_HEALTH_PATH: expected a path starting with /, got "health"',
      'PREFLIGHT_READY_TIMEOUT_MS: expected a positive number of milliseconds, got "-5"',
      'PREFLIGHT_STRICT: expected true or false, got "yes please"',
    ]);
  });

  it('refuses two services on one address', () => {
    const result = parseConfig({ PREFLIGHT_BACKEND_URL: 'http://127.0.0.1:4100', PREFLIGHT_FRONTEND_URL: 'http://127.0.0.1:4100/' });
    assert.ok(!result.ok);
    assert.deepEqual(result.problems, [
      'PREFLIGHT_FRONTEND_URL: expected another host or port than PREFLIGHT_BACKEND_URL (both name 127.0.0.1:4100): each service needs its own, got "http://127.0.0.1:4100/"',
    ]);
  });

  it('turns strings into booleans explicitly: "false" is false', () => {
    const off = parseConfig({ PREFLIGHT_STRICT: 'false', PREFLIGHT_REUSE_EXISTING: '0' });
    const on = parseConfig({ PREFLIGHT_STRICT: 'true', PREFLIGHT_REUSE_EXISTING: '1' });
    assert.ok(off.ok && on.ok);
    assert.equal(off.config.strict, false);
    assert.ok(off.config.services.every((service) => !service.reuseExisting));
    assert.equal(on.config.strict, true);
    assert.ok(on.config.services.every((service) => service.reuseExisting));
  });

  it('PREFLIGHT_WORKERS: how many spec files at once, a whole number from 1 to 64; unset leaves it to the Playwright config', () => {
    const three = parseConfig({ PREFLIGHT_WORKERS: '3' });
    assert.ok(three.ok);
    assert.equal(three.config.workers, 3);
    const unset = parseConfig({ PREFLIGHT_WORKERS: '' });
    assert.ok(unset.ok);
    assert.equal(unset.config.workers, undefined);
    for (const [value, problem] of [
      ['0', 'expected at least 1 worker'],
      ['2.5', 'expected a whole number of workers'],
      ['all', 'expected a whole number of workers'],
      ['100', 'expected at most 64 workers'],
    ]) {
      const bad = parseConfig({ PREFLIGHT_WORKERS: value });
      assert.ok(!bad.ok, value);
      assert.deepEqual(bad.problems, [`PREFLIGHT_WORKERS: ${problem}, got "${value}"`]);
    }
  });

  it('treats an empty variable as unset', () => {
    const result = parseConfig({ PREFLIGHT_PRODUCTION_URL: '', PREFLIGHT_BACKEND_URL: '' });
    assert.ok(result.ok);
    assert.equal(result.config.production, undefined);
    assert.equal(result.config.backend!.url.origin, 'http://127.0.0.1:3001');
  });

  it('loads .env without overriding what the environment already says', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-env-'));
    fs.writeFileSync(path.join(dir, '.env'), 'PREFLIGHT_STRICT=true\nPREFLIGHT_BACKEND_URL=http://127.0.0.1:4001\n');
    const env: NodeJS.ProcessEnv = { PREFLIGHT_BACKEND_URL: 'http://127.0.0.1:5001' };
    loadDotenv(env, dir);
    const result = parseConfig(env);
    assert.ok(result.ok);
    assert.equal(result.config.strict, true);
    assert.equal(result.config.backend!.url.port, '5001');
  });
});

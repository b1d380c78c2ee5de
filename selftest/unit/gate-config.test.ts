// The gate configuration file as a user writes it: loaded, validated (every problem at once, naming file, field and
// fix), merged with the environment's overrides. The files are real ones under selftest/fixtures/shop/configs/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../harness/config/load-config.ts';
import { loadGateFile } from '../../harness/config/gate-file.ts';
import { redact } from '../../harness/secrets/redact.ts';

const configs = 'selftest/fixtures/shop/configs';
const load = (file: string, env: NodeJS.ProcessEnv = {}) => parseConfig({ ...env, PREFLIGHT_CONFIG: file }, loadGateFile({ ...env, PREFLIGHT_CONFIG: file }));
const problemsOf = (result: ReturnType<typeof load>) => (result.ok ? [] : result.problems);

describe('the gate configuration file', () => {
  it('declares services with their own folder, environment, readiness and order', () => {
    const result = load(`${configs}/shop.config.ts`);
    assert.ok(result.ok, problemsOf(result).join('\n'));
    const byName = Object.fromEntries(result.config.services.map((service) => [service.name, service]));
    assert.deepEqual(Object.keys(byName), ['database', 'backend', 'frontend']);
    assert.equal(byName.backend!.cwd, path.resolve('selftest/fixtures/shop/backend'));
    assert.equal(byName.backend!.env.SHOP_MODE, 'test');
    assert.equal(byName.backend!.env.SHOP_API_TOKEN, 'shop-token-7f3a9c', 'read from its envFile, relative to its cwd');
    assert.deepEqual(byName.backend!.dependsOn, ['database']);
    assert.equal(byName.backend!.liveness?.url.href, 'http://127.0.0.1:3001/health/live');
    assert.deepEqual(byName.database!.readiness, { kind: 'tcp' });
    assert.deepEqual(byName.frontend!.readiness, { kind: 'http', status: { min: 200, max: 200 }, followRedirects: true });
    assert.equal(byName.frontend!.cwd, path.resolve(configs), 'cwd defaults to the config file\'s folder');
    assert.equal(result.config.specsDir, path.resolve('selftest/fixtures/shop/specs'));
    assert.equal(result.config.drift.rulesFile, path.resolve('selftest/fixtures/shop/drift.rules.ts'));
  });

  it('lets the environment give any service more time: PREFLIGHT_<NAME>_TIMEOUT_MS over the file and PREFLIGHT_READY_TIMEOUT_MS', () => {
    const given = load(`${configs}/shop.config.ts`, { PREFLIGHT_BACKEND_TIMEOUT_MS: '90000', PREFLIGHT_READY_TIMEOUT_MS: '5000' });
    assert.ok(given.ok, problemsOf(given).join('\n'));
    const byName = Object.fromEntries(given.config.services.map((service) => [service.name, service]));
    assert.equal(byName.backend!.timeoutMs, 90_000, 'over the file\'s timeoutMs: 30_000');
    // Every way to set it is named: the file's field and the service's variable, and the default when it applies.
    assert.equal(byName.backend!.setBy.timeout, `PREFLIGHT_BACKEND_TIMEOUT_MS, over ${configs}/shop.config.ts services.backend.timeoutMs`);
    assert.equal(byName.frontend!.timeoutMs, 5_000, 'no timeoutMs in the file: PREFLIGHT_READY_TIMEOUT_MS');
    assert.equal(byName.frontend!.setBy.timeout, `PREFLIGHT_READY_TIMEOUT_MS, the default; for frontend alone ${configs}/shop.config.ts services.frontend.timeoutMs, or PREFLIGHT_FRONTEND_TIMEOUT_MS`);
    assert.match(byName.database!.setBy.timeout, /^PREFLIGHT_READY_TIMEOUT_MS, the default; for database alone .*services\.database\.timeoutMs, or PREFLIGHT_DATABASE_TIMEOUT_MS$/);
    const fromFile = load(`${configs}/shop.config.ts`);
    assert.ok(fromFile.ok);
    assert.equal(fromFile.config.backend!.setBy.timeout, `${configs}/shop.config.ts services.backend.timeoutMs, or PREFLIGHT_BACKEND_TIMEOUT_MS`);
    const wrong = problemsOf(load(`${configs}/shop.config.ts`, { PREFLIGHT_BACKEND_TIMEOUT_MS: 'soon' })).join('\n');
    assert.match(wrong, /PREFLIGHT_BACKEND_TIMEOUT_MS: expected a whole number of milliseconds, got "soon"/);
  });

  it('lets the environment move any service: PREFLIGHT_<NAME>_URL and _CMD', () => {
    const result = load(`${configs}/shop.config.ts`, { PREFLIGHT_DATABASE_URL: 'tcp://127.0.0.1:6543', PREFLIGHT_BACKEND_CMD: 'node other.ts' });
    assert.ok(result.ok, problemsOf(result).join('\n'));
    const database = result.config.services.find((service) => service.name === 'database')!;
    assert.equal(database.urlText, 'tcp://127.0.0.1:6543');
    assert.equal(result.config.backend!.command, 'node other.ts');
    assert.equal(result.config.backend!.setBy.command, 'PREFLIGHT_BACKEND_CMD');
  });

  it('hides the secrets given to a service through env or envFile, as the runner\'s own', () => {
    const result = load(`${configs}/shop.config.ts`);
    assert.ok(result.ok);
    assert.equal(redact('using token shop-token-7f3a9c', {}), 'using token [redacted]');
  });

  it('lists several mistakes of one file in one message, naming the file, the field, what it expected and got', () => {
    const problems = problemsOf(load(`${configs}/mistakes.config.ts`));
    const text = problems.join('\n');
    assert.match(text, /mistakes\.config\.ts: services\.database\.readiness(\.kind)?: .*"contract" \| "http" \| "tcp" \| "log".*got "tcpp"|mistakes\.config\.ts: services\.database\.readiness.*tcpp/);
    assert.match(text, /mistakes\.config\.ts: services\.backend\.command: expected a non-empty string, got ""/);
    assert.match(text, /mistakes\.config\.ts: services\.backend\.dependsOn\[0\]: expected the name of a declared service \(database, backend, frontend\), got "databse"/);
    assert.match(text, /mistakes\.config\.ts: services\.backend\.timeoutMs: .*got "soon"/);
    assert.match(text, /mistakes\.config\.ts: services\.frontend\.readiness\.status: .*got 999/);
    assert.match(text, /mistakes\.config\.ts: services\.frontend: unknown field port/);
    assert.ok(problems.length >= 6, text);
  });

  it('bounds every time setting at one hour, in the file and in the environment, naming the bound', () => {
    const text = problemsOf(load(`${configs}/forever.config.ts`)).join('\n');
    assert.match(text, /forever\.config\.ts: services\.database\.timeoutMs: expected at most 3600000 milliseconds \(one hour\), got 1000000000000000/);
    assert.match(text, /forever\.config\.ts: services\.backend\.liveness\.intervalMs: expected at most 3600000 milliseconds \(one hour\)/);
    assert.match(text, /forever\.config\.ts: services\.backend\.stop\.graceMs: expected at most 3600000 milliseconds \(one hour\)/);
    const env = problemsOf(load(`${configs}/shop.config.ts`, { PREFLIGHT_BACKEND_TIMEOUT_MS: '1e15', PREFLIGHT_READY_TIMEOUT_MS: '1e15' })).join('\n');
    assert.match(env, /PREFLIGHT_BACKEND_TIMEOUT_MS: expected at most 3600000 milliseconds \(one hour\), got "1e15"/);
    assert.match(env, /PREFLIGHT_READY_TIMEOUT_MS: expected at most 3600000 milliseconds \(one hour\), got "1e15"/);
    assert.ok(load(`${configs}/shop.config.ts`, { PREFLIGHT_READY_TIMEOUT_MS: '3600000' }).ok, 'the bound itself is allowed');
  });

  it('refuses a dependency cycle, naming it', () => {
    const text = problemsOf(load(`${configs}/cycle.config.ts`)).join('\n');
    assert.match(text, /cycle\.config\.ts: services\.database\.dependsOn: dependencies form a cycle: database -> backend -> database/);
  });

  it('readyAfter: the same names as dependsOn, in the same cycle check, and in the boot\'s deadline', () => {
    const ready = load(`${configs}/ready-after.config.ts`);
    assert.ok(ready.ok, problemsOf(ready).join('\n'));
    assert.deepEqual(ready.config.frontend!.readyAfter, ['backend']);
    assert.deepEqual(ready.config.frontend!.dependsOn, []);
    // database -> backend (30 s) -> frontend (2 s, counted from the backend's readiness): the longest a boot may take.
    assert.equal(ready.config.readyTimeoutMs, 60_000 + 30_000 + 2_000);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-config-'));
    const file = path.join(dir, 'preflight.config.ts');
    fs.writeFileSync(
      file,
      `export default { services: {
        api: { command: 'node api.js', url: 'http://127.0.0.1:4001', dependsOn: ['web'] },
        web: { command: 'node web.js', url: 'http://127.0.0.1:4000', readyAfter: ['api', 'ap1'] },
      } };\n`,
    );
    const text = problemsOf(load(file)).join('\n');
    assert.match(text, /services\.web\.readyAfter\[1\]: expected the name of a declared service \(api, web\), got "ap1"/);
    assert.match(text, /dependencies form a cycle: (api -> web -> api|web -> api -> web)/);
  });

  it('a url may be left out only by a service judged by its output (log readiness), and then it names no port', () => {
    const worker = load(`${configs}/worker.config.ts`);
    assert.ok(worker.ok, problemsOf(worker).join('\n'));
    const service = worker.config.services.find((declared) => declared.name === 'worker')!;
    assert.equal(service.url, undefined);
    assert.equal(service.healthUrl, undefined);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-config-'));
    const file = path.join(dir, 'preflight.config.ts');
    fs.writeFileSync(
      file,
      `export default { services: {
        api: { command: 'node api.js' },
        jobs: { command: 'node jobs.js', readiness: { kind: 'log', pattern: 'ready' }, liveness: { path: '/live' } },
      } };\n`,
    );
    const text = problemsOf(load(file)).join('\n');
    assert.match(text, /services\.api\.url: expected a URL such as http:\/\/127\.0\.0\.1:3001 or tcp:\/\/127\.0\.0\.1:5432 \(its contract readiness probes it; only a service with log, command or function readiness may leave it out\), got nothing/);
    assert.match(text, /services\.jobs\.url: expected a URL .*\(its liveness is probed over HTTP\)/);
  });

  it('reports a file that throws or does not parse, naming the file and the fix', () => {
    const throws = problemsOf(load(`${configs}/throws.config.ts`)).join('\n');
    assert.match(throws, /throws\.config\.ts does not load: .*SHOP_REQUIRED_SETTING is not set; fix: correct the file/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-config-'));
    const broken = path.join(dir, 'preflight.config.ts');
    fs.writeFileSync(broken, "export default { services: { backend: { command: 'x', url: 'http://127.0.0.1:1' }\n");
    const syntax = problemsOf(load(broken)).join('\n');
    assert.match(syntax, new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.* does not load: .*(Expected|Unexpected)`));
  });

  it('names a missing file given by PREFLIGHT_CONFIG; without any file the defaults gate the bundled demo', () => {
    assert.match(problemsOf(load('nowhere/preflight.config.ts')).join('\n'), /PREFLIGHT_CONFIG: the gate configuration file .*nowhere\/preflight\.config\.ts does not exist/);
    const demo = parseConfig({});
    assert.ok(demo.ok);
    assert.deepEqual(demo.config.services.map((service) => [service.name, service.urlText, service.readiness.kind]), [
      ['database', 'tcp://127.0.0.1:5433', 'tcp'],
      ['backend', 'http://127.0.0.1:3001', 'contract'],
      ['frontend', 'http://127.0.0.1:3000', 'contract'],
    ]);
  });
});

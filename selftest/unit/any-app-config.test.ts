// A gate for any app (issue 20): services by any names, the specs' baseURL from the gate file, reuse per service,
// drift without a rules file, and the folder every path resolves from. Real files in temp folders, parsed as the
// gate parses them; the whole gate runs in selftest/e2e/any-app.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig, parseConfig } from '../../harness/config/load-config.ts';
import { loadGateFile } from '../../harness/config/gate-file.ts';
import type { ConfigResult } from '../../harness/config/types.ts';
import { driftNotChecked } from '../../harness/drift/gate-drift.ts';
import { targetFor } from '../../harness/production/target.ts';
import { judgeRun, type RunRecord } from '../../harness/reporter/judge-run.ts';
import { reportPaths } from '../../harness/core/report-paths.ts';
import { configOf, problems } from '../support/config-result.ts';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A project folder holding preflight.config.ts (and any other files), loaded as PREFLIGHT_CONFIG names it. */
function project(config: string, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-any-app-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'preflight.config.ts'), `export default ${config};\n`);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
const load = (dir: string, env: NodeJS.ProcessEnv = {}): ConfigResult => {
  const full = { ...env, PREFLIGHT_CONFIG: path.join(dir, 'preflight.config.ts') };
  return parseConfig(full, loadGateFile(full));
};

const WEB_API = `{ services: {
  api: { command: 'node api.js', url: 'http://127.0.0.1:4311', readiness: { kind: 'http', path: '/healthz' }, reuseExisting: true },
  web: { command: 'node web.js', url: 'http://127.0.0.1:4310', readiness: { kind: 'http' }, browser: true },
  db: { command: 'node db.js', url: 'tcp://127.0.0.1:4312', readiness: { kind: 'tcp' } },
} }`;

describe('any app: names, baseURL, reuse', () => {
  it("baseURL is the URL of the service marked browser: true, following PREFLIGHT_<NAME>_URL; never a service's name", () => {
    assert.equal(configOf(load(project(WEB_API))).baseURL?.href, 'http://127.0.0.1:4310/');
    assert.equal(configOf(load(project(WEB_API), { PREFLIGHT_WEB_URL: 'http://127.0.0.1:5510' })).baseURL?.href, 'http://127.0.0.1:5510/');
    const top = configOf(load(project(`{ baseURL: 'http://127.0.0.1:8080/app/', services: { app: { command: 'node app.js', url: 'http://127.0.0.1:4310' } } }`)));
    assert.equal(top.baseURL?.href, 'http://127.0.0.1:8080/app/');
    const named = configOf(load(project(`{ services: { frontend: { command: 'node f.js', url: 'http://127.0.0.1:4310' } } }`)));
    assert.equal(named.baseURL, undefined, 'a service called frontend is not the browser\'s by its name');
  });

  it('one baseURL: two browser services, baseURL beside one, or a browser service on tcp:// are each named', () => {
    const two = problems(load(project(`{ services: { a: { command: 'x', url: 'http://127.0.0.1:1', browser: true }, b: { command: 'y', url: 'http://127.0.0.1:2', browser: true } } }`)));
    assert.match(two, /services\.b\.browser: expected browser: true on one service only \(a, b all say so\)/);
    const both = problems(load(project(`{ baseURL: 'http://127.0.0.1:9', services: { a: { command: 'x', url: 'http://127.0.0.1:1', browser: true } } }`)));
    assert.match(both, /services\.a\.browser: expected either baseURL or a service with browser: true, not both/);
    const tcp = problems(load(project(`{ services: { db: { command: 'x', url: 'tcp://127.0.0.1:1', readiness: { kind: 'tcp' }, browser: true } } }`)));
    assert.match(tcp, /services\.db\.url, or PREFLIGHT_DB_URL: expected an http:\/\/ or https:\/\/ URL \(.*services\.db\.browser makes it the specs' baseURL\)/);
  });

  it("the target: every served service's origin is the app's own; a name is needed only by the spec that asks for it", () => {
    const config = configOf(load(project(WEB_API)));
    const target = targetFor('local', config);
    assert.deepEqual(target.origins, ['http://127.0.0.1:4311', 'http://127.0.0.1:4310'], 'web and api; not the database\'s tcp:// address');
    assert.equal(target.serviceUrl('api').href, 'http://127.0.0.1:4311/');
    assert.throws(() => target.frontendUrl, /no service named "frontend" is declared \(declared: api, web, db\)/);

    const production = targetFor('production', configOf(load(project(WEB_API), { PREFLIGHT_PRODUCTION_URL: 'https://kiosk.example', PREFLIGHT_PRODUCTION_API_URL: 'https://api.kiosk.example' })));
    assert.equal(production.serviceUrl('web').href, 'https://kiosk.example/', "the browser's service is production's frontend");
    assert.deepEqual(production.origins, ['https://kiosk.example', 'https://api.kiosk.example']);
  });

  it('reuseExisting per service; PREFLIGHT_REUSE_EXISTING, when set, over every one; diagnoses name where it was set', () => {
    const reuse = (env: NodeJS.ProcessEnv = {}) => Object.fromEntries(configOf(load(project(WEB_API), env)).services.map((service) => [service.name, [service.reuseExisting, service.setBy.reuse]]));
    const fromFile = reuse();
    assert.equal(fromFile.api![0], true);
    assert.equal(fromFile.web![0], false);
    assert.match(String(fromFile.api![1]), /preflight\.config\.ts services\.api\.reuseExisting, or PREFLIGHT_REUSE_EXISTING$/);
    assert.deepEqual(reuse({ PREFLIGHT_REUSE_EXISTING: 'false' }).api, [false, 'PREFLIGHT_REUSE_EXISTING']);
    assert.deepEqual(reuse({ PREFLIGHT_REUSE_EXISTING: 'true' }).web, [true, 'PREFLIGHT_REUSE_EXISTING']);
  });
});

describe('any app: drift is optional', () => {
  it('no rules file and none named: not checked, and the reason says where it was looked for', () => {
    const dir = project(WEB_API);
    const config = configOf(load(dir));
    assert.equal(config.drift.named, false);
    assert.equal(driftNotChecked(config), `configuration drift not checked: there is no drift rules file (no drift.rules.ts in ${dir}); add one to compare the files that state the same ports and hosts (docs/drift.md)`);
    const withRules = configOf(load(project(WEB_API, { 'drift.rules.ts': 'export default { rules: [] };\n' })));
    assert.equal(driftNotChecked(withRules), undefined, 'drift.rules.ts beside the gate file is checked');
  });

  it('a rules file the user named must exist: driftRules or PREFLIGHT_DRIFT_RULES', () => {
    const dir = project(`{ driftRules: 'config/drift.rules.ts', services: { app: { command: 'x', url: 'http://127.0.0.1:1' } } }`);
    assert.match(problems(load(dir)), /preflight\.config\.ts: driftRules \(relative to the file\): expected a drift rules file, got "config\/drift\.rules\.ts" \(.*config[\\/]drift\.rules\.ts does not exist\)/);
    assert.match(problems(load(project(WEB_API), { PREFLIGHT_DRIFT_RULES: 'rules.ts' })), /PREFLIGHT_DRIFT_RULES \(relative to .*\): expected a drift rules file, got "rules\.ts"/);
  });

  it('the verdict says it in one line: console, verdict.json, summary.md', () => {
    const note = 'configuration drift not checked: there is no drift rules file (no drift.rules.ts in /kiosk/e2e); add one (docs/drift.md)';
    const record: RunRecord = {
      specs: [{ title: 'lists the slots', file: 'specs/a.spec.ts', line: 3, project: 'local', tags: ['@critical'], outcome: 'expected' }],
      runStatus: 'passed',
      facts: { strict: false, allowPartial: false, services: [], setupProblems: [], drift: [], driftNotChecked: note, problems: [], shards: [] },
      completeness: { missing: [], problems: [] },
      runErrors: [],
      startedAt: '2026-11-26T07:00:00.000Z',
      endedAt: '2026-11-26T07:00:09.000Z',
      timing: {},
      paths: reportPaths('/kiosk/e2e', {}),
      logsWritten: false,
    };
    const judged = judgeRun(record, <T>(value: T) => value);
    assert.equal(judged.exitCode, 0, 'no drift check is no finding');
    assert.equal(judged.consoleText.split('\n').filter((line) => line.includes(note)).length, 1);
    assert.equal(judged.report.driftNotChecked, note);
    assert.match(judged.summary, new RegExp(`^Note: ${note.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
  });
});

describe('any app: where the project is', () => {
  it("without a gate file outside preflight's own repository, the demo's defaults are not used: a configuration problem", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-empty-'));
    dirs.push(dir);
    const result = parseConfig({}, { kind: 'none', file: path.join(dir, 'preflight.config.ts') });
    assert.match(problems(result), new RegExp(`no gate configuration file: no preflight\\.config\\.ts in ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} or the folders above it .*fix: run npx preflight init there`));
  });

  it('.env is read from the gate file\'s folder, and cannot move the gate file itself', () => {
    const dir = project(WEB_API, { '.env': 'PREFLIGHT_STRICT=true\n' });
    const read = loadConfig({ PREFLIGHT_CONFIG: path.join(dir, 'preflight.config.ts') });
    assert.equal(configOf(read).strict, true, `${dir}/.env was read`);
    const cwd = process.cwd();
    const moving = project(WEB_API, { '.env': 'PREFLIGHT_CONFIG=other.config.ts\n' });
    process.chdir(moving);
    try {
      assert.match(problems(loadConfig({})), /PREFLIGHT_CONFIG: set in .*\.env, where it cannot choose the gate file/);
    } finally {
      process.chdir(cwd);
    }
  });
});

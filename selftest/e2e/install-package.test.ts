// Install, not fork: preflight is packed (`npm pack`, which builds dist/), installed as a dev dependency into an app
// of its own outside this repository (selftest/fixtures/adopter-app, copied to a temp dir), and that app's gate runs
// to a pass and to an exit 3 with nothing but `npx playwright test`, its preflight.config.ts and a two-line
// playwright.config.ts. The gate's environment moves the app's services to free ports (PREFLIGHT_<NAME>_URL).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { repoRoot } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { installPackedInto } from '../support/packed-install.ts';
import { explain, gateEnvironment, gateRunResult, type GateRun } from '../support/run-gate.ts';

const fixtureApp = path.join(repoRoot, 'selftest/fixtures/adopter-app');
let workDir: string;
let appDir: string;

/** The app's gate, started the way its team would: `npx playwright test` in the app's folder. */
async function runAppGate(extra: Record<string, string> = {}): Promise<GateRun> {
  const { env, backendUrl, frontendUrl, databaseUrl, mark } = await gateEnvironment({ ...extra });
  // Reports must land in the APP's reports/ (its project root), not in the installed package's folder.
  delete (env as Record<string, string | undefined>).PREFLIGHT_REPORTS_DIR;
  const reportsDir = path.join(appDir, 'reports');
  fs.rmSync(reportsDir, { recursive: true, force: true });
  const started = Date.now();
  const result = await execa('npx', ['playwright', 'test'], { cwd: appDir, env, extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: 180_000 });
  return gateRunResult(result, { started, reportsDir, backendUrl, frontendUrl, databaseUrl, mark });
}

describe('preflight installed as a dev dependency from its packed tarball', { timeout: 15 * 60_000 }, () => {
  before(async () => {
    ({ workDir, appDir } = await installPackedInto(fixtureApp));
  });

  after(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('installs as a package: built JavaScript, no TypeScript sources, not private', () => {
    const installed = path.join(appDir, 'node_modules/preflight');
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    assert.equal(manifest.private, undefined);
    assert.ok(fs.existsSync(path.join(installed, 'dist/harness/index.js')));
    assert.ok(!fs.existsSync(path.join(installed, 'harness')), 'the TypeScript sources are not shipped');
    assert.equal(JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')).devDependencies.preflight.startsWith('file:'), true);
  });

  it("runs the app's gate to a pass, reports in the app's own reports/", async () => {
    const run = await runAppGate();
    assert.equal(run.exitCode, 0, explain(run));
    assert.match(run.output, /preflight verdict: pass, exit code 0/);
    assert.equal(run.verdict?.verdict, 'pass', "reports/verdict.json in the app's folder");
    assert.deepEqual(leftoverProcesses(run), []);
  });

  it("exits 3 when the app's home page loses its heading, naming the spec", async () => {
    const run = await runAppGate({ ADOPTER_BROKEN_HOME: '1' });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /the home page shows its heading .*failed/);
    assert.match(run.output, /preflight verdict: critical, exit code 3/);
    assert.deepEqual(leftoverProcesses(run), []);
  });

  it("`npx preflight drift` checks the app's own rules", async () => {
    const drift = await execa('npx', ['preflight', 'drift'], { cwd: appDir, reject: false, all: true });
    assert.equal(drift.exitCode, 0, drift.all);
    assert.match(drift.all ?? '', /1 rule\(s\) from drift\.rules\.ts/);
    assert.match(drift.all ?? '', /\.env\.example:\d+\s+8081\s+agrees/);
  });
});

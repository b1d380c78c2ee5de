// Readiness of apps nothing here was written around: real gate runs (`npx playwright test`) against the atelier,
// tiny real programs in selftest/fixtures/atelier/ (a sign-in redirect answering 401, a page in maintenance, a
// self-signed dev server, a contract in the real app's shape, a relay that prints its own port, a ledger whose ping
// command decides, a gallery whose function decides), asserting exit code, diagnosis and reports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { execa } from 'execa';
import { repoRoot } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { freePort } from '../support/ports.ts';
import { explain, runGate, type GateRun } from '../support/run-gate.ts';
import { createTestCa, type IssuedCertificate } from '../support/test-ca.ts';

const configs = 'selftest/fixtures/atelier/configs';
const service = (run: GateRun, name: string) => run.verdict.services.find((s: any) => s.name === name);

let studioCertificate: IssuedCertificate;
before(async () => {
  // A dev server's own certificate: self-signed, for the address it serves on.
  studioCertificate = await (await createTestCa()).selfSigned('studio', { hosts: ['127.0.0.1'] });
});

async function runAtelier(config: string, env: Record<string, string> = {}): Promise<GateRun> {
  const ports: Record<string, string> = {};
  for (const [name, scheme] of [['SIGN_IN', 'http'], ['STUDIO', 'https'], ['LEDGER', 'tcp'], ['GALLERY', 'http'], ['MAINTENANCE', 'http'], ['INTAKE', 'http'], ['VAULT', 'tcp']]) {
    ports[`PREFLIGHT_${name}_URL`] = `${scheme}://127.0.0.1:${await freePort()}`;
  }
  const run = await runGate({
    env: {
      PREFLIGHT_CONFIG: `${configs}/${config}`,
      ATELIER_STUDIO_CERT: studioCertificate.cert,
      ATELIER_STUDIO_KEY: studioCertificate.key,
      ATELIER_INTAKE_DATABASE_PORT: String(await freePort()),
      ...ports,
      ...env,
    },
  });
  assert.deepEqual(leftoverProcesses(run), [], `nothing of the run is left\n${explain(run)}`);
  return run;
}

describe('readiness of an app in its own shapes', () => {
  it('passes: a redirect to a 401 sign-in page, a self-signed dev server opted in, a daemonizing store, a contract in the real app\'s shape, a relay\'s printed address, a ping command, a function', async () => {
    const run = await runAtelier('atelier.config.ts');
    assert.equal(run.exitCode, 0, explain(run));
    // The vault's start script returned at once (exit 0, detached); its port decided, and its stop script stopped it.
    const vault = service(run, 'vault');
    assert.match(vault.contractReason, /^ready: accepts TCP connections/, explain(run));
    assert.match(fs.readFileSync(path.join(run.reportsDir, 'logs', 'vault.log'), 'utf8'), /vault: daemon started/, 'the start script ran');
    assert.equal(service(run, 'intake').contractReason, 'ready: All systems operational');
    const vaultPort = new URL(run.verdict.services.find((s: any) => s.name === 'vault').url).port;
    assert.ok(!fs.existsSync(path.join(os.tmpdir(), `atelier-vault-${vaultPort}.pid`)), 'the stop script removed the daemon\'s pid file: it ran at teardown');
    assert.equal(run.verdict.specs.passed, 1, 'the spec ran: it read the relay\'s variables and opened the studio over https');
    assert.match(service(run, 'sign-in').contractReason, /^ready: answered HTTP 401 at http:\/\/127\.0\.0\.1:\d+\/login \(\/ redirected with HTTP 302\)$/);
    assert.equal(service(run, 'studio').contractReason, 'ready: answered HTTP 200');
    const relay = service(run, 'relay');
    assert.equal(relay.exports.PREFLIGHT_RELAY_QUEUE, 'atelier-jobs');
    assert.match(relay.exports.PREFLIGHT_RELAY_ENDPOINT, /^http:\/\/127\.0\.0\.1:\d+$/, 'the colours of its line were not captured');
    assert.equal(service(run, 'ledger').contractReason, 'ready: `node ping.mjs` exited with code 0: PONG');
    assert.equal(service(run, 'gallery').contractReason, 'ready: catalog indexed');
    assert.ok(service(run, 'ledger').probes > 1, 'the ledger answered LOADING first: the command was asked again');
  });

  it('a URL answering 503 until the deadline: exit 3, naming the answer and every setting of its time to ready', async () => {
    const run = await runAtelier('maintenance.config.ts', { PREFLIGHT_READY_TIMEOUT_MS: '3000' });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /maintenance answered HTTP 503, expected HTTP 200-403 at http:\/\/127\.0\.0\.1:\d+\/ until the 3\.0 s deadline/);
    assert.match(
      run.output,
      /time to ready: 3\.0 s, set by PREFLIGHT_READY_TIMEOUT_MS, the default; for maintenance alone selftest\/fixtures\/atelier\/configs\/maintenance\.config\.ts services\.maintenance\.timeoutMs, or PREFLIGHT_MAINTENANCE_TIMEOUT_MS/,
    );
  });

  it('a self-signed dev server without the opt-in: exit 3 at once, naming the certificate and the setting to add', async () => {
    // Its time to ready (10 minutes) is beyond runGate's own limit: only a gate that stops at once finishes at all.
    const run = await runAtelier('untrusted-studio.config.ts');
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /studio's certificate at https:\/\/127\.0\.0\.1:\d+ is self-signed: nothing vouches for it \(DEPTH_ZERO_SELF_SIGNED_CERT\), so preflight stopped waiting at once/);
    assert.match(run.output, /opt in for it, in selftest\/fixtures\/atelier\/configs\/untrusted-studio\.config\.ts services\.studio:\n +tls: \{ insecure: true \} +accept any certificate/);
    assert.match(run.output, /\n +tls: \{ ca: '<the authority's PEM file>' \} +trust the authority that issued it/);
    assert.doesNotMatch(run.output, /listens on another host or port/);
  });

  it('a contract that stays "down" in the real app\'s shape: exit 3 before its deadline, each failing name and message everywhere', async () => {
    // Its time to ready (10 minutes) is beyond runGate's own limit: only a gate that gives up on the unchanging "down" finishes.
    const run = await runAtelier('intake-down.config.ts');
    assert.equal(run.exitCode, 3, explain(run));
    const reason = /database fail \(Database connection failed: connect ECONNREFUSED 127\.0\.0\.1:\d+\); environment warn \(Environment issues: V1_STABLE not set\)/;
    assert.match(run.output, /intake answered "down" with the same reason for 3\.0 s, so preflight stopped waiting before its 600\.0 s time to ready: Critical system failures detected: database fail/);
    assert.match(run.output, reason);
    assert.match(run.output, /raise selftest\/fixtures\/atelier\/configs\/intake-down\.config\.ts services\.intake\.readiness\.downForMs \(now 3000 ms/);
    const intake = service(run, 'intake');
    assert.equal(intake.contract, 'down');
    assert.match(intake.contractReason, reason);
    assert.match(intake.failure, reason);
    assert.ok(run.verdict.criticalFailures.some((finding: any) => finding.title === 'intake' && reason.test(finding.reason)), JSON.stringify(run.verdict.criticalFailures));
    const html = fs.readFileSync(path.join(run.reportsDir, 'html', 'index.html'), 'utf8');
    assert.match(html, /Database connection failed: connect ECONNREFUSED 127\.0\.0\.1:\d+\); environment warn \(Environment issues: V1_STABLE not set\)/, 'the HTML report\'s verdict names them');
  });
});

describe('npx preflight health on a contract in the real app\'s shape', () => {
  it('prints each failure and warning with its name and message, and the reason', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const intake = execa('node', ['--import', 'tsx', 'server.ts'], {
      cwd: path.join(repoRoot, 'selftest/fixtures/atelier/intake'),
      env: { PREFLIGHT_INTAKE_URL: url, ATELIER_INTAKE_DATABASE_PORT: String(await freePort()) },
      reject: false,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        intake.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('listening on') && resolve());
        void intake.then((done) => reject(new Error(`intake exited: ${done.stderr}`)));
      });
      const run = await execa('npx', ['preflight', 'health', url], { cwd: repoRoot, reject: false, all: true, stdin: 'ignore', timeout: 30_000 });
      assert.equal(run.exitCode, 3, run.all);
      assert.match(run.all!, /status: down\n {2}message: Critical system failures detected\n/);
      assert.match(run.all!, /\n {2}failures:\n {4}database {5}fail {2}Database connection failed: connect ECONNREFUSED 127\.0\.0\.1:\d+\n/);
      assert.match(run.all!, /\n {2}warnings:\n {4}environment {2}warn {2}Environment issues: V1_STABLE not set\n/);
      assert.match(run.all!, /preflight health: down, exit code 3$/);
    } finally {
      intake.kill();
      await intake;
    }
  });
});

// `npx preflight health <url>` against every state of the readiness contract: the demo backend's faults and tiny fixture servers.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { execa } from 'execa';
import { repoRoot, startDatabase, startDemoProcess, stopAllDemoProcesses, stopDemoProcess, waitForOutput, waitUntilServing, type RunningDatabase } from '../support/demo-process.ts';
import { freePort } from '../support/ports.ts';

async function health(...args: string[]) {
  const result = await execa('npx', ['preflight', 'health', ...args], { cwd: repoRoot, reject: false, all: true, stdin: 'ignore', timeout: 30_000 });
  return { exitCode: result.exitCode, output: result.all ?? '' };
}

let database: RunningDatabase | undefined;

async function withDemoBackend(fault: string, check: (url: string) => Promise<void>) {
  database ??= await startDatabase({ port: await freePort() });
  const url = `http://127.0.0.1:${await freePort()}`;
  const backend = startDemoProcess('backend', { PREFLIGHT_BACKEND_URL: url, PREFLIGHT_DATABASE_URL: database.url, DEMO_FAULT: fault });
  try {
    await waitUntilServing(backend, `${url}/ops/health/production`);
    // The backend listens before its migrations ran; the faults are about the contract of a backend that has its database.
    await waitForOutput(backend, /migrations: /, 20_000);
    await check(url);
  } finally {
    await stopDemoProcess(backend);
  }
}

async function withContractServer(mode: string, check: (url: string) => Promise<void>) {
  const server = execa(process.execPath, ['--import', 'tsx', 'selftest/fixtures/contract-server.ts', mode], { cwd: repoRoot, reject: false });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        const match = /listening (\d+)/.exec(String(chunk));
        if (match) resolve(match[1]!);
      });
      void server.then((done) => reject(new Error(`contract server exited: ${done.all ?? done.stderr}`)));
    });
    await check(`http://127.0.0.1:${port}/ops/health/production`);
  } finally {
    server.kill();
    await server;
  }
}

describe('npx preflight health <url>', () => {
  after(stopAllDemoProcesses);

  it('ready -> 0, with the status, the version and each check', () =>
    withDemoBackend('', async (url) => {
      const run = await health(url);
      assert.equal(run.exitCode, 0, run.output);
      assert.match(run.output, /\/ops\/health\/production\n {2}HTTP 200 in \d+ ms\n {2}status: ready\n/);
      assert.match(run.output, /\n {2}version \S+, checked at /);
      assert.match(run.output, /checks:\n {4}database {2}pass {2}critical/);
      assert.match(run.output, /preflight health: ready, exit code 0$/);
    }));

  it('ready-degraded -> 1, with its message and the warning check', () =>
    withDemoBackend('degraded', async (url) => {
      const run = await health(`${url}/ops/health/production`);
      assert.equal(run.exitCode, 1, run.output);
      assert.match(run.output, /message: fault degraded: backend is running with reduced capacity/);
      assert.match(run.output, /capacity {2}warn {2}non-critical/);
      assert.match(run.output, /preflight health: ready-degraded, exit code 1$/);
    }));

  it('down -> 3, with the failing check', () =>
    withDemoBackend('down', async (url) => {
      const run = await health(url);
      assert.equal(run.exitCode, 3, run.output);
      assert.match(run.output, /HTTP 503 .*\n {2}status: down/);
      assert.match(run.output, /invariant {2}fail {2}critical/);
      assert.match(run.output, /preflight health: down, exit code 3$/);
    }));

  it('bad-contract -> 3, naming the unknown status and the field of the wrong type', () =>
    withDemoBackend('bad-contract', async (url) => {
      const run = await health(url);
      assert.equal(run.exitCode, 3, run.output);
      assert.match(run.output, /"READY" is not "ready"/);
      assert.match(run.output, /checks: Invalid input: expected record or array \(got "all good"\)/);
      assert.match(run.output, /preflight health: contract violation, exit code 3$/);
    }));

  it('a redirect -> 3, naming where it points', () =>
    withContractServer('redirect', async (url) => {
      const run = await health(url);
      assert.equal(run.exitCode, 3, run.output);
      assert.match(run.output, /HTTP 302 \(a redirect to \/login\)/);
    }));

  it('a body that is not JSON -> 3', () =>
    withContractServer('not-json', async (url) => {
      const run = await health(url);
      assert.equal(run.exitCode, 3, run.output);
      assert.match(run.output, /not JSON \(text\/html\): <html>all good<\/html>/);
    }));

  it('no answer within --timeout -> 3, a timeout', () =>
    withContractServer('silent', async (url) => {
      const run = await health(url, '--timeout', '300');
      assert.equal(run.exitCode, 3, run.output);
      assert.match(run.output, /no answer within 300 ms \(a timeout\)/);
    }));

  it('--timeout beyond one hour, negative or not a whole number -> 3, the option and its range named, no stack trace', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    for (const given of ['1e15', '3600001', '-5', '0', '2.5', '0x10', 'soon']) {
      const run = await health(url, `--timeout=${given}`);
      assert.equal(run.exitCode, 3, run.output);
      assert.match(run.output, new RegExp(`^preflight health: --timeout expects a whole number of milliseconds from 1 to 3600000 \\(one hour\\), got "${given.replace(/[.]/g, '\\.')}"\nusage: npx preflight health <url>`), given);
      assert.doesNotMatch(run.output, /RangeError|\n\s+at /, given);
    }
    const longest = await health(url, '--timeout', '3600000');
    assert.match(longest.output, /preflight health: unreachable, exit code 3$/, 'one hour is allowed: the probe ran');
  });

  it('nothing listening -> 3, unreachable', async () => {
    const run = await health(`http://127.0.0.1:${await freePort()}`);
    assert.equal(run.exitCode, 3, run.output);
    assert.match(run.output, /refused the connection \(nothing listens there\)\n[\s\S]*preflight health: unreachable, exit code 3$/);
  });

  it('no URL -> 3, with the usage', async () => {
    const run = await health();
    assert.equal(run.exitCode, 3);
    assert.match(run.output, /no URL given\nusage: npx preflight health <url>/);
  });
});

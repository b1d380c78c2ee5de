// `npx preflight doctor` as a user runs it, against real listeners on 127.0.0.1 and ::1.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { execa } from 'execa';
import { runDoctor } from '../../harness/cli/doctor.ts';
import { repoRoot } from '../support/demo-process.ts';
import { portFreeOnBoth } from '../support/ports.ts';

const servers: http.Server[] = [];
after(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listenOn(host: '127.0.0.1' | '::1', port: number): Promise<void> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}'));
  servers.push(server);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen({ host, port, ipv6Only: true }, resolve));
  assert.equal((server.address() as AddressInfo).port, port);
}


function doctor(env: Record<string, string>) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PREFLIGHT_|DEMO_|NODE_TEST_CONTEXT$|NODE_OPTIONS$)/.test(key)));
  return execa('npx', ['preflight', 'doctor'], { cwd: repoRoot, env: { ...inherited, ...env }, extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: 60_000 });
}

describe('npx preflight doctor', () => {
  it('prints Node, its DNS result order and family auto-selection, localhost, the browser, and exits 0 when sound', async () => {
    const [backend, frontend] = [await portFreeOnBoth(), await portFreeOnBoth()];
    for (const port of [backend, frontend]) {
      await listenOn('127.0.0.1', port);
      await listenOn('::1', port);
    }
    const run = await doctor({ PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${backend}`, PREFLIGHT_FRONTEND_URL: `http://127.0.0.1:${frontend}`, PREFLIGHT_CHROMIUM_PATH: '/usr/bin/chromium' });
    assert.equal(run.exitCode, 0, run.all);
    assert.match(run.all!, new RegExp(`node ${process.version.replace(/\./g, '\\.')}, DNS result order (verbatim|ipv4first|ipv6first), address family auto-selection (on|off)`));
    assert.match(run.all!, /localhost resolves to 127\.0\.0\.1 \(IPv4\)/);
    assert.match(run.all!, /ok {3}browser: PREFLIGHT_CHROMIUM_PATH \/usr\/bin\/chromium/);
    assert.match(run.all!, new RegExp(`ok {3}backend answers on 127\\.0\\.0\\.1:${backend} and ::1:${backend}`));
    assert.match(run.all!, /doctor: everything it checks is sound \(exit 0\)/);
  });

  it('exits 3 and names the family that answers when the service listens on ::1 only', async () => {
    const port = await portFreeOnBoth();
    await listenOn('::1', port);
    const run = await doctor({ PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${port}`, PREFLIGHT_FRONTEND_URL: `http://127.0.0.1:${await portFreeOnBoth()}` });
    assert.equal(run.exitCode, 3, run.all);
    assert.match(run.all!, new RegExp(`FAIL backend answers on ::1:${port} but not on 127\\.0\\.0\\.1:${port}, which PREFLIGHT_BACKEND_URL names: bind the backend to 0\\.0\\.0\\.0 or 127\\.0\\.0\\.1, or point the URL at \\[::1\\]`));
  });

  it('with localhost resolving to ::1 first (injected), names the incident: an IPv4-only service is refused', async () => {
    const port = await portFreeOnBoth();
    await listenOn('127.0.0.1', port);
    const lines: string[] = [];
    const code = await runDoctor({
      env: { PREFLIGHT_BACKEND_URL: `http://localhost:${port}`, PREFLIGHT_FRONTEND_URL: `http://127.0.0.1:${await portFreeOnBoth()}` },
      resolver: async () => [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }],
      print: (line) => lines.push(line),
    });
    const output = lines.join('\n');
    assert.equal(code, 3, output);
    assert.match(output, /localhost resolves to ::1 \(IPv6\), 127\.0\.0\.1 \(IPv4\): IPv6 first/);
    assert.match(output, new RegExp(`backend answers on 127\\.0\\.0\\.1:${port} but not on ::1:${port}, to which localhost in PREFLIGHT_BACKEND_URL resolves first`));
  });
});

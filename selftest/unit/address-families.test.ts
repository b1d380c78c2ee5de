// Address-family probing with real sockets on 127.0.0.1 and ::1; name resolution injected for the ::1-first case.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { diagnoseFamilies } from '../../harness/network/family-diagnosis.ts';
import { probeAddressFamilies } from '../../harness/network/family-probe.ts';
import { serviceNodeOptions } from '../../harness/network/ipv4-first.ts';
import type { HostResolver } from '../../harness/network/resolve-host.ts';
import { portFreeOnBoth } from '../support/ports.ts';

const servers: http.Server[] = [];
after(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real HTTP server bound to one address family only. */
async function listenOn(host: '127.0.0.1' | '::1', port = 0): Promise<number> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}'));
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: true }, resolve);
  });
  return (server.address() as AddressInfo).port;
}


const ipv6First: HostResolver = async () => [
  { address: '::1', family: 6 },
  { address: '127.0.0.1', family: 4 },
];
const backend = { name: 'backend', variable: 'PREFLIGHT_BACKEND_URL' };

describe('address-family probing', () => {
  it('says the backend answers on ::1 but not on the 127.0.0.1 the URL names, with the fix', async () => {
    const port = await listenOn('::1', await portFreeOnBoth());
    const report = await probeAddressFamilies(new URL(`http://127.0.0.1:${port}/ops/health/production`));
    assert.deepEqual(report.probes.map((probe) => [probe.address, probe.answered, probe.named]), [['127.0.0.1', false, true], ['::1', true, false]]);
    const finding = diagnoseFamilies(report, backend);
    assert.equal(finding.level, 'problem');
    assert.equal(
      finding.text,
      `backend answers on ::1:${port} but not on 127.0.0.1:${port}, which PREFLIGHT_BACKEND_URL names: bind the backend to 0.0.0.0 or 127.0.0.1, or point the URL at [::1]`,
    );
  });

  it('says the reverse when the URL names [::1] and the service listens on IPv4 only', async () => {
    const port = await listenOn('127.0.0.1', await portFreeOnBoth());
    const finding = diagnoseFamilies(await probeAddressFamilies(new URL(`http://[::1]:${port}/`)), backend);
    assert.equal(finding.level, 'problem');
    assert.match(finding.text, new RegExp(`^backend answers on 127\\.0\\.0\\.1:${port} but not on ::1:${port}, which PREFLIGHT_BACKEND_URL names: bind the backend to :: or ::1, or point the URL at 127\\.0\\.0\\.1$`));
  });

  it('probes localhost on each address it resolves to, separately: ::1 first and an IPv4-only service is the incident', async () => {
    const port = await listenOn('127.0.0.1', await portFreeOnBoth());
    const report = await probeAddressFamilies(new URL(`http://localhost:${port}/`), { resolver: ipv6First });
    assert.deepEqual(report.probes.map((probe) => [probe.address, probe.answered, probe.detail]), [['::1', false, 'ECONNREFUSED'], ['127.0.0.1', true, 'HTTP 200']]);
    const finding = diagnoseFamilies(report, backend);
    assert.equal(finding.level, 'problem');
    assert.equal(
      finding.text,
      `backend answers on 127.0.0.1:${port} but not on ::1:${port}, to which localhost in PREFLIGHT_BACKEND_URL resolves first: bind the backend to :: or ::1, or point the URL at 127.0.0.1 instead of localhost`,
    );
  });

  it('warns when localhost resolves IPv4 first and the IPv6 address it also resolves to is refused', async () => {
    const port = await listenOn('127.0.0.1', await portFreeOnBoth());
    const ipv4First: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }];
    const finding = diagnoseFamilies(await probeAddressFamilies(new URL(`http://localhost:${port}/`), { resolver: ipv4First }), backend);
    assert.equal(finding.level, 'warning');
    assert.match(finding.text, /a client that tries IPv6 first is refused/);
  });

  it('is sound when both families answer, and silent when none does', async () => {
    const port = await portFreeOnBoth();
    await listenOn('127.0.0.1', port);
    await listenOn('::1', port);
    const both = diagnoseFamilies(await probeAddressFamilies(new URL(`http://127.0.0.1:${port}/`)), backend);
    assert.deepEqual(both, { level: 'ok', text: `backend answers on 127.0.0.1:${port} and ::1:${port}` });
    const dead = await portFreeOnBoth();
    const none = diagnoseFamilies(await probeAddressFamilies(new URL(`http://127.0.0.1:${dead}/`)), backend);
    assert.deepEqual(none, { level: 'silent', text: `backend: nothing answers on 127.0.0.1:${dead} or ::1:${dead}` });
  });

  it('reports a host name that does not resolve', async () => {
    const failing: HostResolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND api.invalid'), { code: 'ENOTFOUND' });
    };
    const finding = diagnoseFamilies(await probeAddressFamilies(new URL('https://api.invalid/'), { resolver: failing }), backend);
    assert.equal(finding.level, 'problem');
    assert.match(finding.text, /api\.invalid in PREFLIGHT_BACKEND_URL does not resolve \(ENOTFOUND/);
  });
});

describe('IPv4-first name resolution for started services', () => {
  it('appends --dns-result-order=ipv4first to the user\'s NODE_OPTIONS, never replacing them', () => {
    assert.equal(serviceNodeOptions(undefined, true), '--dns-result-order=ipv4first');
    assert.equal(serviceNodeOptions('--max-old-space-size=512', true), '--max-old-space-size=512 --dns-result-order=ipv4first');
  });

  it('keeps a result order the user chose, and can be switched off', () => {
    assert.equal(serviceNodeOptions('--dns-result-order=verbatim', true), undefined);
    assert.equal(serviceNodeOptions('--max-old-space-size=512', false), undefined);
  });
});

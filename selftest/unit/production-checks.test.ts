// The production checks: certificate verification with real TLS servers and a CA made at test time, which build is
// live, no writes to production, and the browser's trust.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { withProductionTrust } from '../../harness/production/browser-trust.ts';
import { buildMismatch } from '../../harness/production/build-identity.ts';
import { checkCertificate, expiryWarning } from '../../harness/production/certificate-check.ts';
import { productionWriteSkipReason, testDataName } from '../../harness/production/test-data.ts';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.ts';

const servers: https.Server[] = [];
async function serveTls(certificate: IssuedCertificate): Promise<URL> {
  const server = https.createServer({ cert: fs.readFileSync(certificate.cert), key: fs.readFileSync(certificate.key) }, (_req, res) => res.end('ok'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return new URL(`https://localhost:${(server.address() as AddressInfo).port}/`);
}

describe('production certificate check', () => {
  let ca: TestCa;
  let trustedCa: Buffer;
  before(async () => {
    ca = await createTestCa();
    trustedCa = fs.readFileSync(ca.caCert);
  });
  after(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('accepts a certificate from a trusted authority for the right host, with its expiry and key hash', async () => {
    const url = await serveTls(await ca.issue('good', { hosts: ['localhost'], days: 90 }));
    const report = await checkCertificate(url, { trustedCa });
    assert.ok(report.ok, JSON.stringify(report));
    assert.ok(report.daysLeft >= 88 && report.daysLeft <= 90, `days left: ${report.daysLeft}`);
    assert.match(report.spkiSha256, /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(expiryWarning(report), undefined);
  });

  it('warns when the certificate expires within 14 days, naming the date', async () => {
    const url = await serveTls(await ca.issue('soon', { hosts: ['localhost'], days: 6 }));
    const report = await checkCertificate(url, { trustedCa });
    assert.ok(report.ok);
    assert.match(expiryWarning(report) ?? '', new RegExp(`^the certificate of ${url.origin} expires on \\d{4}-\\d\\d-\\d\\dT\\S+, in [56] day\\(s\\) \\(less than 14\\): renew it$`));
  });

  it('says why verification fails: self-signed, unknown authority, expired, wrong host', async () => {
    const cases: [string, Promise<IssuedCertificate>, boolean, RegExp][] = [
      ['self-signed', ca.selfSigned('self', { hosts: ['localhost'] }), true, /is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT: subject CN=localhost/],
      ['unknown authority', ca.issue('unknown', { hosts: ['localhost'] }), false, /is issued by an authority this machine does not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: issuer CN=preflight test CA\): .*NODE_EXTRA_CA_CERTS/],
      ['expired', ca.issue('old', { hosts: ['localhost'], window: { start: '20240101000000Z', end: '20240201000000Z' } }), true, /expired on 2024-02-01T00:00:00\.000Z \(CERT_HAS_EXPIRED\)/],
      ['wrong host', ca.issue('elsewhere', { hosts: ['prod.example'] }), true, /is for the wrong host: it names DNS:prod\.example, not localhost/],
    ];
    for (const [name, certificate, trusted, reason] of cases) {
      const report = await checkCertificate(await serveTls(await certificate), { trustedCa: trusted ? trustedCa : undefined });
      assert.equal(report.ok, false, name);
      assert.ok(!report.ok);
      assert.match(report.reason, reason, name);
    }
  });

  it('says when there is no TLS to check at all', async () => {
    const report = await checkCertificate(new URL('https://127.0.0.1:1/'));
    assert.ok(!report.ok);
    assert.match(report.reason, /^https:\/\/127\.0\.0\.1:1: no TLS connection \(ECONNREFUSED/);
  });
});

describe('which build is live', () => {
  it('names both versions, or both release ids, when they differ', () => {
    assert.match(buildMismatch({ version: '1.5.0' }, { version: '1.4.2' }) ?? '', /^production runs 1\.4\.2, local is 1\.5\.0/);
    assert.match(buildMismatch({ releaseId: 'r-42' }, { releaseId: 'r-41' }) ?? '', /^production runs release r-41, local is release r-42/);
  });

  it('is silent when they agree or one side does not say', () => {
    assert.equal(buildMismatch({ version: '1.5.0', releaseId: 'r-1' }, { version: '1.5.0', releaseId: 'r-1' }), undefined);
    assert.equal(buildMismatch({ version: '1.5.0' }, { releaseId: 'r-1' }), undefined);
  });
});

describe('no writes to production', () => {
  it('skips writing specs on production unless PREFLIGHT_ALLOW_PRODUCTION_WRITES=true, never locally', () => {
    assert.match(productionWriteSkipReason('production', { allowProductionWrites: false }) ?? '', /PREFLIGHT_ALLOW_PRODUCTION_WRITES=true/);
    assert.equal(productionWriteSkipReason('production', { allowProductionWrites: true }), undefined);
    assert.equal(productionWriteSkipReason('local', { allowProductionWrites: false }), undefined);
  });

  it('marks created data by name', () => {
    assert.equal(testDataName('production', 1700000000000), 'preflight-test production 1700000000000');
  });
});

describe("the browser's trust in production", () => {
  const check = { problems: [], warnings: [], certificates: [{ ok: true as const, url: new URL('https://prod.example'), subject: '', issuer: '', validTo: new Date(), daysLeft: 30, spkiSha256: 'AAAA=' }] };

  it('pins the keys Node verified only when NODE_EXTRA_CA_CERTS is set', () => {
    assert.deepEqual(withProductionTrust({ args: ['--no-sandbox'] }, check, '/etc/ca.pem').args, ['--no-sandbox', '--ignore-certificate-errors-spki-list=AAAA=']);
    assert.deepEqual(withProductionTrust({ args: ['--no-sandbox'] }, check, undefined).args, ['--no-sandbox']);
    assert.deepEqual(withProductionTrust({}, undefined, '/etc/ca.pem'), {});
  });
});

// A certificate authority made at test time with the openssl CLI: certificates for the production stand-in.
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

export interface IssuedCertificate {
  cert: string;
  key: string;
}

export interface CertificateRequest {
  /** DNS names and IP addresses the certificate is for. */
  hosts: string[];
  /** Valid from now for this many days (default 90). */
  days?: number;
  /** A fixed validity window instead, e.g. one that ended in the past: openssl's YYYYMMDDHHMMSSZ. */
  window?: { start: string; end: string };
}

export interface TestCa {
  dir: string;
  /** The authority's certificate (PEM file): what NODE_EXTRA_CA_CERTS points at to trust it. */
  caCert: string;
  issue(name: string, request: CertificateRequest): Promise<IssuedCertificate>;
  /** A certificate signed by its own key, trusted by nobody. */
  selfSigned(name: string, request: CertificateRequest): Promise<IssuedCertificate>;
}

const subjectAltName = (hosts: string[]) =>
  `subjectAltName=${hosts.map((host) => (/^[\d.]+$|:/.test(host) ? `IP:${host}` : `DNS:${host}`)).join(',')}`;

const openssl = (dir: string, args: string[]) => execa('openssl', args, { cwd: dir, stdin: 'ignore' });

export async function createTestCa(): Promise<TestCa> {
  const dir = await mkdtemp(path.join(tmpdir(), 'preflight-ca-'));
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), '1000\n');
  // `openssl ca` (not `x509 -req`) because it can issue for a validity window in the past.
  fs.writeFileSync(path.join(dir, 'ca.cnf'), [
    '[ ca ]', 'default_ca = test_ca',
    '[ test_ca ]', `database = ${dir}/index.txt`, `new_certs_dir = ${dir}`, `serial = ${dir}/serial`,
    'default_md = sha256', 'policy = any', 'copy_extensions = copy', 'unique_subject = no',
    '[ any ]', 'commonName = supplied', '',
  ].join('\n'));
  await openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=preflight test CA',
    '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);

  const request = async (name: string, hosts: string[]) => {
    await openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${hosts[0]}`, '-addext', subjectAltName(hosts)]);
  };
  const files = (name: string): IssuedCertificate => ({ cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) });

  // `openssl ca` keeps a serial file and a database: one issuance at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    dir,
    caCert: path.join(dir, 'ca.pem'),
    issue: (name, request) => serially(() => issue(name, request)),
    selfSigned: (name, request) => serially(() => selfSigned(name, request)),
  };

  async function issue(name: string, { hosts, days = 90, window }: CertificateRequest): Promise<IssuedCertificate> {
    await request(name, hosts);
    const validity = window ? ['-startdate', window.start, '-enddate', window.end] : ['-days', String(days)];
    await openssl(dir, ['ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key',
      '-in', `${name}.csr`, '-out', `${name}.pem`, ...validity]);
    return files(name);
  }

  async function selfSigned(name: string, { hosts, days = 90 }: CertificateRequest): Promise<IssuedCertificate> {
    await openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', String(days), '-subj', `/CN=${hosts[0]}`, '-addext', subjectAltName(hosts)]);
    return files(name);
  }
}

import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { PreflightError } from '../core/preflight-error.ts';

/**
 * The read-only proxy's own certificate authority, made for one run and deleted after it: the proxy answers the
 * clients of the production project with certificates it issues for production's names, so it can read each
 * request before deciding whether it may go on. Only the workers of this run trust it (NODE_EXTRA_CA_CERTS, and
 * Chromium the key of its certificates); its private key never leaves the runner's temporary folder.
 *
 * Certificates are made with the openssl command: Node cannot write an X.509 certificate, and a certificate
 * library would be a dependency every user installs for a path only the production project takes.
 */
export interface ProxyAuthority {
  /** The authority's certificate (PEM file): added to what the workers trust. */
  caFile: string;
  caPem: string;
  /** SHA-256 of the public key every issued certificate shares (base64): what Chromium is told to accept. */
  spkiSha256: string;
  /** A TLS context presenting a certificate for `host` (a name or an address), issued on first use. */
  contextFor(host: string): Promise<tls.SecureContext>;
  dispose(): void;
}

const run = promisify(execFile);

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir, timeout: 20_000, windowsHide: true });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new PreflightError(
        'preflight: the production project needs the openssl command, and it is not on PATH: production was not walked.\n' +
          '  why: every request of the production project goes through a proxy that refuses writes; it makes its certificates with openssl.\n' +
          '  fix: install OpenSSL (apt-get install openssl, brew install openssl, or Git for Windows\' usr/bin on PATH), or run only the local project (--project=local).',
      );
    }
    throw new PreflightError(`preflight: openssl ${args[0]} failed while making the production proxy's certificates: ${(failure.stderr ?? failure.message).trim().split('\n')[0]}`);
  }
}

export async function createProxyAuthority(): Promise<ProxyAuthority> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-proxy-ca-'));
  fs.chmodSync(dir, 0o700);
  try {
    // One key for every issued certificate: Chromium is told to accept exactly that key (see spkiSha256).
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const leafKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    fs.writeFileSync(path.join(dir, 'leaf.key'), leafKeyPem, { mode: 0o600 });
    await openssl(dir, [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
      '-subj', '/CN=preflight production read-only proxy (one run)', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const caFile = path.join(dir, 'ca.pem');
    const caPem = fs.readFileSync(caFile, 'utf8');
    const spkiSha256 = crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');

    const issued = new Map<string, Promise<tls.SecureContext>>();
    let serial = 0;
    const issue = async (host: string): Promise<tls.SecureContext> => {
      const name = `host-${++serial}`;
      // For an address also "localhost": Playwright's proxy agent starts TLS in the tunnel without the host, and
      // Node then checks the certificate against "localhost".
      const alt = net.isIP(host) ? `IP:${host},DNS:localhost` : `DNS:${host}`;
      fs.writeFileSync(path.join(dir, `${name}.ext`), `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${alt}\n`);
      await openssl(dir, ['req', '-new', '-key', 'leaf.key', '-subj', `/CN=${host.slice(0, 64)}`, '-out', `${name}.csr`]);
      await openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(Date.now() * 1000 + serial), '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
      return tls.createSecureContext({ key: leafKeyPem, cert: fs.readFileSync(path.join(dir, `${name}.pem`), 'utf8') + caPem });
    };
    return {
      caFile,
      caPem,
      spkiSha256,
      contextFor: (host) => {
        const key = host.toLowerCase();
        if (!issued.has(key)) issued.set(key, issue(key));
        return issued.get(key)!;
      },
      dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

import crypto from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { hostOf, portOf } from '../network/resolve-host.ts';

/** A certificate that expires within this many days is a warning. */
export const EXPIRY_WARNING_DAYS = 14;

export type CertificateReport =
  | {
      ok: true;
      url: URL;
      subject: string;
      issuer: string;
      validTo: Date;
      daysLeft: number;
      /** SHA-256 of the leaf's public key (SPKI), base64: what Chromium can be told to accept once Node verified it. */
      spkiSha256: string;
    }
  | { ok: false; url: URL; reason: string };

const TRUST_FIX = 'serve a certificate from an authority clients trust, or, for a private authority, point NODE_EXTRA_CA_CERTS at its certificate (PEM)';

/**
 * Opens a TLS connection to the URL's host and verifies its certificate the way Node's clients do (the bundled
 * roots plus NODE_EXTRA_CA_CERTS, and the host name), saying why when it fails.
 */
export async function checkCertificate(url: URL, options: { timeoutMs?: number; now?: Date; trustedCa?: string | Buffer } = {}): Promise<CertificateReport> {
  const { timeoutMs = 5_000, now = new Date(), trustedCa } = options;
  const host = hostOf(url);
  let socket: tls.TLSSocket | undefined;
  try {
    socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
      // rejectUnauthorized: false only to read the certificate and say what is wrong; the verdict is taken below.
      const connection = tls.connect({ host, port: portOf(url), servername: net.isIP(host) ? undefined : host, rejectUnauthorized: false, timeout: timeoutMs, ca: trustedCa });
      connection.once('secureConnect', () => resolve(connection));
      connection.once('timeout', () => connection.destroy(Object.assign(new Error(`no TLS handshake within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      connection.once('error', reject);
    });
    const peer = socket.getPeerX509Certificate();
    if (!peer) return { ok: false, url, reason: `${url.origin} presented no certificate` };
    const problem = verificationProblem(socket, peer, host, url);
    if (problem) return { ok: false, url, reason: problem };
    const validTo = new Date(peer.validTo);
    return {
      ok: true,
      url,
      subject: peer.subject.replace(/\n/g, ', '),
      issuer: peer.issuer.replace(/\n/g, ', '),
      validTo,
      daysLeft: Math.floor((validTo.getTime() - now.getTime()) / 86_400_000),
      spkiSha256: crypto.createHash('sha256').update(peer.publicKey.export({ type: 'spki', format: 'der' })).digest('base64'),
    };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    return { ok: false, url, reason: `${url.origin}: no TLS connection (${err.code ?? err.message}${err.code ? `: ${err.message}` : ''}); check the URL and that production is up` };
  } finally {
    socket?.destroy();
  }
}

function verificationProblem(socket: tls.TLSSocket, peer: crypto.X509Certificate, host: string, url: URL): string | undefined {
  const prefix = `the certificate of ${url.origin}`;
  const matches = net.isIP(host) ? peer.checkIP(host) : peer.checkHost(host);
  if (!matches) return `${prefix} is for the wrong host: it names ${peer.subjectAltName ?? oneLine(peer.subject)}, not ${host}: serve a certificate for ${host}, or use the host name it names in the URL`;
  if (!socket.authorized) {
    const code = String(socket.authorizationError ?? 'UNKNOWN');
    switch (code) {
      case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      case 'SELF_SIGNED_CERT_IN_CHAIN':
        return `${prefix} is self-signed (${code}: ${describe(peer)}), so nothing vouches for it: ${TRUST_FIX}`;
      case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      case 'UNABLE_TO_GET_ISSUER_CERT':
        return `${prefix} is issued by an authority this machine does not trust (${code}: issuer ${oneLine(peer.issuer)}): ${TRUST_FIX}`;
      case 'CERT_HAS_EXPIRED':
        return `${prefix} expired on ${new Date(peer.validTo).toISOString()} (${code}): renew it`;
      case 'CERT_NOT_YET_VALID':
        return `${prefix} is not valid before ${new Date(peer.validFrom).toISOString()} (${code}): check the server's clock or the certificate`;
      default:
        return `${prefix} failed verification (${code}: ${describe(peer)})`;
    }
  }
  return undefined;
}

const oneLine = (text: string) => text.replace(/\n/g, ', ');
const describe = (peer: crypto.X509Certificate) => `subject ${oneLine(peer.subject)}, issuer ${oneLine(peer.issuer)}`;

/** The warning for a certificate that expires soon, or undefined. */
export function expiryWarning(report: CertificateReport, withinDays = EXPIRY_WARNING_DAYS): string | undefined {
  if (!report.ok || report.daysLeft >= withinDays) return undefined;
  return `the certificate of ${report.url.origin} expires on ${report.validTo.toISOString()}, in ${report.daysLeft} day(s) (less than ${withinDays}): renew it`;
}

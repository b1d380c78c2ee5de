import type { ProductionConfig } from '../config/types.ts';
import { checkCertificate, expiryWarning, type CertificateReport } from './certificate-check.ts';

export interface ProductionTargetCheck {
  /** Critical: production must not be walked (a certificate that fails verification). */
  problems: string[];
  /** Warnings: a certificate that expires within 14 days. */
  warnings: string[];
  certificates: CertificateReport[];
  /** Set when production is plain http, as allowed by PREFLIGHT_ALLOW_INSECURE_PRODUCTION. */
  insecure?: string;
}

/** Checks what must hold before any request goes to production: its TLS, on every production URL. */
export async function checkProductionTarget(production: ProductionConfig, options: { now?: Date } = {}): Promise<ProductionTargetCheck> {
  const urls = production.urls;
  const plain = urls.filter((url) => url.protocol === 'http:');
  if (plain.length && !production.allowInsecure) {
    // The configuration schema refuses this already; kept so no caller can send a request over plain http by mistake.
    return { problems: plain.map((url) => `${url.origin} is plain http: production is checked over https only (set PREFLIGHT_ALLOW_INSECURE_PRODUCTION=true to allow it)`), warnings: [], certificates: [] };
  }
  const secure = urls.filter((url) => url.protocol === 'https:');
  const unique = secure.filter((url, index) => secure.findIndex((other) => other.origin === url.origin) === index);
  const certificates = await Promise.all(unique.map((url) => checkCertificate(url, options)));
  return {
    problems: certificates.flatMap((report) => (report.ok ? [] : [report.reason])),
    warnings: certificates.map((report) => expiryWarning(report)).filter((text): text is string => Boolean(text)),
    certificates,
    insecure: plain.length ? `plain http for ${plain.map((url) => url.origin).join(' and ')}, allowed by PREFLIGHT_ALLOW_INSECURE_PRODUCTION=true: nothing is encrypted or verified` : undefined,
  };
}

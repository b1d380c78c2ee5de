import { SECRET_NAME } from '../secrets/redact.ts';
import { fingerprint } from '../secrets/fingerprint.ts';
import type { DriftSource } from './rules.ts';

// A URL's password: `scheme://user:password@`.
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/i;

/** Whether a source states a secret: a key or path named like one (DB_PASSWORD), unless it takes a port or host. */
export function isSecretSource(source: DriftSource): boolean {
  if (source.take) return false;
  if ('dotenv' in source) return SECRET_NAME.test(source.dotenv);
  if ('json' in source || 'yaml' in source) {
    const segments = 'json' in source ? source.json : source.yaml;
    return (typeof segments === 'string' ? [segments] : segments).some((segment) => typeof segment === 'string' && SECRET_NAME.test(segment));
  }
  return SECRET_NAME.test(source.regex.source);
}

/**
 * A value as drift shows it (table, drift.md/json, findings, the fix plan): a secret as its fingerprint, a URL with
 * its password fingerprinted; compared values stay the real ones.
 */
export function shownValue(source: DriftSource, value: string): string {
  if (isSecretSource(source)) return fingerprint(value);
  return value.replace(URL_PASSWORD, (_whole, head: string, password: string, at: string) => `${head}${fingerprint(password)}${at}`);
}

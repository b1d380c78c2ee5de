import crypto from 'node:crypto';

// Keyed per process: a short hash of a weak password could be guessed offline; a keyed one cannot, and within one
// run (one table, one drift.json, one verdict.json) the same value still shows the same fingerprint.
const key = crypto.randomBytes(32);

/** A short stand-in for a secret value: two values with different fingerprints differ; it tells nothing else. */
export function fingerprint(value: string): string {
  return `[secret ${crypto.createHmac('sha256', key).update(value).digest('hex').slice(0, 8)}]`;
}

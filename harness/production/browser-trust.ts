import type { LaunchOptions } from '@playwright/test';
import type { ProductionTargetCheck } from './production-target.ts';

const SPKI_SWITCH = '--ignore-certificate-errors-spki-list=';

/** Launch options whose Chromium also accepts the keys `pins` (SHA-256 of SPKI, base64): one switch, since Chromium reads only the last. */
export function acceptingKeys(launchOptions: LaunchOptions, pins: string[]): LaunchOptions {
  if (pins.length === 0) return launchOptions;
  const args = launchOptions.args ?? [];
  const already = args.filter((arg) => arg.startsWith(SPKI_SWITCH)).flatMap((arg) => arg.slice(SPKI_SWITCH.length).split(','));
  const all = [...new Set([...already, ...pins])];
  return { ...launchOptions, args: [...args.filter((arg) => !arg.startsWith(SPKI_SWITCH)), `${SPKI_SWITCH}${all.join(',')}`] };
}

/**
 * Chromium does not read NODE_EXTRA_CA_CERTS. When it is set, the browser is told to accept exactly the production
 * keys that Node has just verified against it (--ignore-certificate-errors-spki-list), so both trust the same
 * authorities; certificates Node did not verify are never pinned, and no others are accepted.
 */
export function withProductionTrust(launchOptions: LaunchOptions, check: ProductionTargetCheck | undefined, extraCaCertsFile: string | undefined): LaunchOptions {
  if (!check || !extraCaCertsFile) return launchOptions;
  return acceptingKeys(launchOptions, check.certificates.flatMap((report) => (report.ok ? [report.spkiSha256] : [])));
}

import type { LaunchOptions } from '@playwright/test';
import type { ProductionTargetCheck } from './production-target.ts';

/**
 * Chromium does not read NODE_EXTRA_CA_CERTS. When it is set, the browser is told to accept exactly the production
 * keys that Node has just verified against it (--ignore-certificate-errors-spki-list), so both trust the same
 * authorities; certificates Node did not verify are never pinned, and no others are accepted.
 */
export function withProductionTrust(launchOptions: LaunchOptions, check: ProductionTargetCheck | undefined, extraCaCertsFile: string | undefined): LaunchOptions {
  if (!check || !extraCaCertsFile) return launchOptions;
  const pins = check.certificates.flatMap((report) => (report.ok ? [report.spkiSha256] : []));
  if (pins.length === 0) return launchOptions;
  return { ...launchOptions, args: [...(launchOptions.args ?? []), `--ignore-certificate-errors-spki-list=${pins.join(',')}`] };
}

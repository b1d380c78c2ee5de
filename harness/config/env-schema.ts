import { z } from '../core/packages.ts';
import { DEFAULT_HEALTH_PATH, DEFAULT_READY_TIMEOUT_MS, MAX_MILLISECONDS } from './defaults.ts';

export const nonEmptyValue = z.string().trim().min(1, 'expected a non-empty value');

const flag = z.stringbool({ error: 'expected true or false' });

export const milliseconds = z.coerce
  .number({ error: 'expected a whole number of milliseconds' })
  .int('expected a whole number of milliseconds')
  .positive('expected a positive number of milliseconds')
  .max(MAX_MILLISECONDS, `expected at most ${MAX_MILLISECONDS} milliseconds (one hour)`);

const nonEmpty = nonEmptyValue;

/**
 * The environment variables of docs/design.md, parsed once. The services' own (PREFLIGHT_<NAME>_CMD, _URL) are read
 * for every declared service by harness/config/load-config.ts.
 */
const serviceEnvSchema = z.object({
  PREFLIGHT_HEALTH_PATH: z
    .string()
    .regex(/^\/\S*$/, 'expected a path starting with /')
    .default(DEFAULT_HEALTH_PATH),
  PREFLIGHT_READY_TIMEOUT_MS: milliseconds.default(DEFAULT_READY_TIMEOUT_MS),
  // Unset: each service's reuseExisting decides; set (true or false): over every service's.
  PREFLIGHT_REUSE_EXISTING: flag.optional(),
  PREFLIGHT_ALLOW_PRODUCTION_WRITES: flag.default(false),
  PREFLIGHT_STRICT: flag.default(false),
  PREFLIGHT_ALLOW_PARTIAL: flag.default(false),
  PREFLIGHT_CHROMIUM_PATH: nonEmpty.optional(),
  // Read by report-paths.ts before validation (reports must be written even for an invalid configuration); validated here.
  PREFLIGHT_REPORTS_DIR: nonEmpty.default('reports'),
  PREFLIGHT_DRIFT_RULES: nonEmpty.optional(),
  PREFLIGHT_DRIFT_ROOT: nonEmpty.optional(),
  PREFLIGHT_IPV4_FIRST: flag.default(true),
  PREFLIGHT_ALLOW_INSECURE_PRODUCTION: flag.default(false),
  // Spec files at once (harness/playwright/gate-playwright-config.ts); unset: gatePlaywrightConfig's workers, else its default.
  PREFLIGHT_WORKERS: z.coerce.number({ error: 'expected a whole number of workers' }).int('expected a whole number of workers').min(1, 'expected at least 1 worker').max(64, 'expected at most 64 workers').optional(),
});

/** A service's URL given in the environment (PREFLIGHT_<NAME>_URL): any scheme, so a database's tcp:// or postgres:// too. */
export const serviceUrlOverride = z
  .string()
  .regex(/^[a-z][a-z0-9+.-]*:\/\/[^/\s]/i, 'expected a URL such as tcp://127.0.0.1:5432')
  .pipe(z.url({ error: 'expected a URL such as tcp://127.0.0.1:5432' }));

/** A service probed over HTTP (contract or http readiness, or liveness). */
export const httpServiceUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

// The production URLs (PREFLIGHT_PRODUCTION_URL, PREFLIGHT_PRODUCTION_<NAME>_URL) depend on the declared services:
// harness/config/production-urls.ts reads them.
export const preflightEnvSchema = serviceEnvSchema;

export type PreflightEnv = z.output<typeof preflightEnvSchema>;

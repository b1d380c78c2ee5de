import { z } from '../core/packages.ts';
import { DEFAULT_HEALTH_PATH, DEFAULT_READY_TIMEOUT_MS, MAX_MILLISECONDS } from './defaults.ts';

const serviceUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
  .transform((value) => new URL(value));

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
});

/** A service's URL given in the environment (PREFLIGHT_<NAME>_URL): any scheme, so a database's tcp:// or postgres:// too. */
export const serviceUrlOverride = z
  .string()
  .regex(/^[a-z][a-z0-9+.-]*:\/\/[^/\s]/i, 'expected a URL such as tcp://127.0.0.1:5432')
  .pipe(z.url({ error: 'expected a URL such as tcp://127.0.0.1:5432' }));

/** A service probed over HTTP (contract or http readiness, or liveness). */
export const httpServiceUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

/** The production target, with its rules across variables: it needs its backend, and https unless plain http is allowed. */
const productionEnvSchema = z
  .object({
    PREFLIGHT_PRODUCTION_URL: serviceUrl.optional(),
    PREFLIGHT_PRODUCTION_API_URL: serviceUrl.optional(),
    PREFLIGHT_ALLOW_INSECURE_PRODUCTION: flag.default(false),
  })
  .superRefine((env, ctx) => {
    if (!env.PREFLIGHT_PRODUCTION_URL) return;
    if (!env.PREFLIGHT_PRODUCTION_API_URL) {
      ctx.addIssue({ code: 'custom', path: ['PREFLIGHT_PRODUCTION_API_URL'], message: "expected the production backend's URL (required when PREFLIGHT_PRODUCTION_URL is set)" });
    }
    if (env.PREFLIGHT_ALLOW_INSECURE_PRODUCTION) return;
    for (const variable of ['PREFLIGHT_PRODUCTION_URL', 'PREFLIGHT_PRODUCTION_API_URL'] as const) {
      if (env[variable]?.protocol === 'http:') {
        ctx.addIssue({ code: 'custom', path: [variable], message: 'expected an https:// URL: production is never checked over plain http (set PREFLIGHT_ALLOW_INSECURE_PRODUCTION=true to allow it)' });
      }
    }
  });

// Two parts, so the production rules run (and report) even when an unrelated variable is invalid.
export const preflightEnvSchema = z.intersection(serviceEnvSchema, productionEnvSchema);

export type PreflightEnv = z.output<typeof preflightEnvSchema>;

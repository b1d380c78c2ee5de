import { z } from 'zod';

const serviceUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
  .transform((value) => new URL(value));

const flag = z.stringbool({ error: 'expected true or false' });

const milliseconds = z.coerce
  .number({ error: 'expected a whole number of milliseconds' })
  .int('expected a whole number of milliseconds')
  .positive('expected a positive number of milliseconds');

const nonEmpty = z.string().trim().min(1, 'expected a non-empty value');

/** The environment variables of DESIGN.md "Configuration", parsed once. */
export const preflightEnvSchema = z.object({
  PREFLIGHT_BACKEND_CMD: nonEmpty.default('node --import tsx demo-app/backend/server.ts'),
  PREFLIGHT_BACKEND_URL: serviceUrl.default(new URL('http://127.0.0.1:3001')),
  PREFLIGHT_FRONTEND_CMD: nonEmpty.default('node --import tsx demo-app/frontend/server.ts'),
  PREFLIGHT_FRONTEND_URL: serviceUrl.default(new URL('http://127.0.0.1:3000')),
  PREFLIGHT_HEALTH_PATH: z
    .string()
    .regex(/^\/\S*$/, 'expected a path starting with /')
    .default('/ops/health/production'),
  PREFLIGHT_READY_TIMEOUT_MS: milliseconds.default(60_000),
  PREFLIGHT_REUSE_EXISTING: flag.default(false),
  PREFLIGHT_PRODUCTION_URL: serviceUrl.optional(),
  PREFLIGHT_PRODUCTION_API_URL: serviceUrl.optional(),
  PREFLIGHT_ALLOW_PRODUCTION_WRITES: flag.default(false),
  PREFLIGHT_STRICT: flag.default(false),
  PREFLIGHT_ALLOW_PARTIAL: flag.default(false),
  PREFLIGHT_CHROMIUM_PATH: nonEmpty.optional(),
  // Read by report-paths.ts before validation (reports must be written even for an invalid configuration); validated here.
  PREFLIGHT_REPORTS_DIR: nonEmpty.default('reports'),
});

export type PreflightEnv = z.output<typeof preflightEnvSchema>;

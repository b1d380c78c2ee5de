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

/** The environment variables of docs/configuration.md, parsed once. */
const serviceEnvSchema = z.object({
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
  PREFLIGHT_ALLOW_PRODUCTION_WRITES: flag.default(false),
  PREFLIGHT_STRICT: flag.default(false),
  PREFLIGHT_ALLOW_PARTIAL: flag.default(false),
  PREFLIGHT_CHROMIUM_PATH: nonEmpty.optional(),
  // Read by report-paths.ts before validation (reports must be written even for an invalid configuration); validated here.
  PREFLIGHT_REPORTS_DIR: nonEmpty.default('reports'),
  PREFLIGHT_DRIFT_RULES: nonEmpty.default('drift.rules.ts'),
  PREFLIGHT_DRIFT_ROOT: nonEmpty.optional(),
  PREFLIGHT_IPV4_FIRST: flag.default(true),
}).superRefine((env, ctx) => {
  // Two services on one address: one of them cannot listen, and the other answers for both.
  const address = (url: URL) => `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  if (address(env.PREFLIGHT_BACKEND_URL) === address(env.PREFLIGHT_FRONTEND_URL)) {
    ctx.addIssue({
      code: 'custom',
      path: ['PREFLIGHT_FRONTEND_URL'],
      message: `expected another host or port than PREFLIGHT_BACKEND_URL (both name ${address(env.PREFLIGHT_FRONTEND_URL)}): each service needs its own`,
    });
  }
});

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

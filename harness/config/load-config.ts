import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import type { z } from 'zod';
import { PROJECT_ROOT } from '../core/project-root.ts';
import { preflightEnvSchema, type PreflightEnv } from './schema.ts';

export type ServiceName = 'backend' | 'frontend';

/** The variable that sets a service's command or URL: PREFLIGHT_BACKEND_URL, PREFLIGHT_FRONTEND_CMD, ... */
export const serviceVariable = (service: Pick<ServiceConfig, 'name'>, what: 'CMD' | 'URL') => `PREFLIGHT_${service.name.toUpperCase()}_${what}`;

export interface ServiceConfig {
  name: ServiceName;
  command: string;
  url: URL;
  /** The readiness contract URL: `url` + health path. */
  healthUrl: URL;
}

export interface PreflightConfig {
  services: ServiceConfig[];
  backend: ServiceConfig;
  frontend: ServiceConfig;
  healthPath: string;
  readyTimeoutMs: number;
  reuseExisting: boolean;
  /** Set when PREFLIGHT_PRODUCTION_URL is: the production project runs. */
  production?: ProductionConfig;
  allowProductionWrites: boolean;
  /** Services the harness starts resolve names IPv4 first (NODE_OPTIONS=--dns-result-order=ipv4first). */
  ipv4First: boolean;
  /** NODE_EXTRA_CA_CERTS: extra authorities Node trusts; the browser is made to trust the same ones. */
  extraCaCertsFile?: string;
  /** The user's NODE_OPTIONS, which started services keep (harness/network/ipv4-first.ts appends to them). */
  nodeOptions?: string;
  strict: boolean;
  /** Critical specs may be left out; the run is then marked partial and is not a gate. */
  allowPartial: boolean;
  chromiumPath?: string;
  /** The drift rules file and the directory its file paths are relative to (absolute). */
  drift: { rulesFile: string; root: string };
}

export interface ProductionConfig {
  /** The production frontend. */
  url: URL;
  /** The production backend. */
  apiUrl: URL;
  /** PREFLIGHT_ALLOW_INSECURE_PRODUCTION: plain http was allowed. */
  allowInsecure: boolean;
}

export type ConfigResult = { ok: true; config: PreflightConfig } | { ok: false; problems: string[] };

/** Loads `.env` (never overriding variables already set) into `env`. */
export function loadDotenv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (fs.existsSync(file)) dotenv.config({ path: file, processEnv: env as Record<string, string>, quiet: true });
}

/** Parses the environment; every problem is reported at once, naming the variable, what it expected and what it got. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const blankAsUnset = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key.startsWith('PREFLIGHT_') && value !== undefined && value !== ''),
  );
  const parsed = preflightEnvSchema.safeParse(blankAsUnset);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error.issues, blankAsUnset) };
  const nodeEnv = { extraCaCertsFile: env.NODE_EXTRA_CA_CERTS || undefined, nodeOptions: env.NODE_OPTIONS || undefined };
  return { ok: true, config: { ...toConfig(parsed.data), ...nodeEnv } };
}

const loadedOnce = new WeakMap<object, ConfigResult>();

/** `.env`, then the environment, parsed once per environment: every caller in a process sees the same configuration. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const known = loadedOnce.get(env);
  if (known) return known;
  loadDotenv(env);
  const result = parseConfig(env);
  loadedOnce.set(env, result);
  return result;
}

/** Every configuration problem as the lines a person reads, with the fix. */
export function describeConfigProblems(problems: string[], what = 'the configuration is invalid'): string {
  return [`preflight: ${what}`, ...problems.map((problem) => `  - ${problem}`), '  fix: correct these variables in the environment or in .env (see .env.example).'].join('\n');
}

function describeIssues(issues: z.core.$ZodIssue[], env: Record<string, string | undefined>): string[] {
  return issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const got = env[variable];
    return `${variable}: ${issue.message}, got ${got === undefined ? 'nothing' : JSON.stringify(got)}`;
  });
}

function toConfig(env: PreflightEnv): PreflightConfig {
  const healthPath = env.PREFLIGHT_HEALTH_PATH;
  const service = (name: ServiceName, command: string, url: URL): ServiceConfig => ({
    name,
    command,
    url,
    healthUrl: new URL(healthPath, url),
  });
  const backend = service('backend', env.PREFLIGHT_BACKEND_CMD, env.PREFLIGHT_BACKEND_URL);
  const frontend = service('frontend', env.PREFLIGHT_FRONTEND_CMD, env.PREFLIGHT_FRONTEND_URL);
  return {
    services: [backend, frontend],
    backend,
    frontend,
    healthPath,
    readyTimeoutMs: env.PREFLIGHT_READY_TIMEOUT_MS,
    reuseExisting: env.PREFLIGHT_REUSE_EXISTING,
    production:
      env.PREFLIGHT_PRODUCTION_URL && env.PREFLIGHT_PRODUCTION_API_URL
        ? { url: env.PREFLIGHT_PRODUCTION_URL, apiUrl: env.PREFLIGHT_PRODUCTION_API_URL, allowInsecure: env.PREFLIGHT_ALLOW_INSECURE_PRODUCTION }
        : undefined,
    allowProductionWrites: env.PREFLIGHT_ALLOW_PRODUCTION_WRITES,
    ipv4First: env.PREFLIGHT_IPV4_FIRST,
    strict: env.PREFLIGHT_STRICT,
    allowPartial: env.PREFLIGHT_ALLOW_PARTIAL,
    chromiumPath: env.PREFLIGHT_CHROMIUM_PATH,
    drift: driftLocation(env),
  };
}

/** Paths are relative to the project root, like the reports; the root defaults to the rules file's directory. */
function driftLocation(env: PreflightEnv): PreflightConfig['drift'] {
  const rulesFile = path.resolve(PROJECT_ROOT, env.PREFLIGHT_DRIFT_RULES);
  return { rulesFile, root: path.resolve(PROJECT_ROOT, env.PREFLIGHT_DRIFT_ROOT ?? path.dirname(rulesFile)) };
}

/** The defaults, for places (like playwright.config.ts) that must load even when the environment is invalid. */
export function defaultConfig(): PreflightConfig {
  const result = parseConfig({});
  if (!result.ok) throw new Error(`preflight's own defaults are invalid: ${result.problems.join('; ')}`);
  return result.config;
}

import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import type { z } from 'zod';
import { PROJECT_ROOT } from '../core/project-root.ts';
import { loadGateFile, type GateFileResult } from './gate-file.ts';
import { addSecretValues } from '../secrets/redact.ts';
import { DEFAULT_STOP, DEMO_SERVICES } from './defaults.ts';
import type { GateFile } from './gate-schema.ts';
import { httpServiceUrl, milliseconds, nonEmptyValue, preflightEnvSchema, serviceUrlOverride, type PreflightEnv } from './env-schema.ts';
import { resolveServices } from './services.ts';
import { isServed, serviceVariable, type ConfigResult, type PreflightConfig, type ServiceConfig, type ServiceOverride } from './types.ts';


/** Loads `.env` (never overriding variables already set) into `env`. */
export function loadDotenv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (fs.existsSync(file)) dotenv.config({ path: file, processEnv: env as Record<string, string>, quiet: true });
}

/** Without a gate configuration file: the bundled demo app, as docs/design.md describes. */
const DEMO_GATE: Extract<GateFileResult, { kind: 'loaded' }> = {
  kind: 'loaded',
  file: path.join(PROJECT_ROOT, '(defaults)'),
  gate: { services: structuredClone(DEMO_SERVICES) },
};

/**
 * The gate file (or the demo's defaults), then the environment; every problem is reported at once, naming the file
 * and field or the variable, what it expected and what it got.
 */
export function parseConfig(env: NodeJS.ProcessEnv = process.env, gateFile: GateFileResult = { kind: 'none', file: '' }): ConfigResult {
  const blankAsUnset = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[0].startsWith('PREFLIGHT_') && entry[1] !== undefined && entry[1] !== ''),
  );
  const problems: string[] = gateFile.kind === 'invalid' ? [...gateFile.problems] : [];
  const loaded = gateFile.kind === 'loaded' ? gateFile : gateFile.kind === 'none' ? DEMO_GATE : undefined;
  const overrides = serviceOverrides(loaded?.gate.services ?? {}, blankAsUnset, problems);
  const parsed = preflightEnvSchema.safeParse(blankAsUnset);
  if (!parsed.success) problems.push(...describeIssues(parsed.error.issues, blankAsUnset));
  const productionRequested = blankAsUnset.PREFLIGHT_PRODUCTION_URL !== undefined;
  if (!parsed.success || !loaded) return { ok: false, problems, productionRequested };

  const fromFile = loaded !== DEMO_GATE;
  const services = resolveServices(loaded.gate, {
    file: loaded.file,
    fromFile,
    overrides,
    healthPath: parsed.data.PREFLIGHT_HEALTH_PATH,
    defaultTimeoutMs: parsed.data.PREFLIGHT_READY_TIMEOUT_MS,
    defaultStop: DEFAULT_STOP,
    problems,
  });
  if (problems.length) return { ok: false, problems, productionRequested };
  // Secrets given to a service through env or envFile are hidden like the runner's own.
  for (const service of services) addSecretValues(service.env);
  const nodeEnv = { extraCaCertsFile: env.NODE_EXTRA_CA_CERTS || undefined, nodeOptions: env.NODE_OPTIONS || undefined };
  const baseDir = fromFile ? path.dirname(loaded.file) : PROJECT_ROOT;
  return { ok: true, config: { ...toConfig(parsed.data, services, loaded.gate, baseDir), gateFile: fromFile ? loaded.file : undefined, ...nodeEnv } };
}

/** PREFLIGHT_<NAME>_CMD, PREFLIGHT_<NAME>_URL and PREFLIGHT_<NAME>_TIMEOUT_MS for each declared service, validated. */
function serviceOverrides(services: GateFile['services'], env: Record<string, string>, problems: string[]): Map<string, ServiceOverride> {
  const overrides = new Map<string, ServiceOverride>();
  for (const [name, service] of Object.entries(services)) {
    const kind = service.readiness?.kind ?? 'contract';
    // A service probed over HTTP needs an http(s) URL; a database's may have any scheme.
    const urlSchema = kind === 'contract' || kind === 'http' || service.liveness ? httpServiceUrl : serviceUrlOverride;
    const commandVariable = serviceVariable({ name }, 'CMD');
    const urlVariable = serviceVariable({ name }, 'URL');
    const timeoutVariable = serviceVariable({ name }, 'TIMEOUT_MS');
    const override: ServiceOverride = {};
    if (env[timeoutVariable] !== undefined) {
      const timeout = milliseconds.safeParse(env[timeoutVariable]);
      if (timeout.success) override.timeoutMs = timeout.data;
      else problems.push(`${timeoutVariable}: ${timeout.error.issues[0]!.message}, got ${JSON.stringify(env[timeoutVariable])}`);
    }
    if (env[commandVariable] !== undefined) {
      const command = nonEmptyValue.safeParse(env[commandVariable]);
      if (command.success) override.command = command.data;
      else problems.push(`${commandVariable}: ${command.error.issues[0]!.message}, got ${JSON.stringify(env[commandVariable])}`);
    }
    if (env[urlVariable] !== undefined) {
      const url = urlSchema.safeParse(env[urlVariable]);
      if (url.success) override.url = url.data;
      else problems.push(`${urlVariable}: ${url.error.issues[0]!.message}, got ${JSON.stringify(env[urlVariable])}`);
    }
    overrides.set(name, override);
  }
  return overrides;
}

const loadedOnce = new WeakMap<object, ConfigResult>();

/** `.env`, the gate file, then the environment, parsed once per environment: every caller in a process sees the same configuration. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const known = loadedOnce.get(env);
  if (known) return known;
  loadDotenv(env);
  const result = parseConfig(env, loadGateFile(env));
  loadedOnce.set(env, result);
  return result;
}

/** Every configuration problem as the lines a person reads, with the fix. */
export function describeConfigProblems(problems: string[], what = 'the configuration is invalid'): string {
  const inFile = problems.some((problem) => !problem.startsWith('PREFLIGHT_'));
  const fix = inFile
    ? '  fix: correct these fields in the gate configuration file (reference: docs/gate-config.md) and these variables in the environment or in .env (see .env.example).'
    : '  fix: correct these variables in the environment or in .env (see .env.example).';
  return [`preflight: ${what}`, ...problems.map((problem) => `  - ${problem}`), fix].join('\n');
}

function describeIssues(issues: z.core.$ZodIssue[], env: Record<string, string | undefined>): string[] {
  return issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const got = env[variable];
    return `${variable}: ${issue.message}, got ${got === undefined ? 'nothing' : JSON.stringify(got)}`;
  });
}

function toConfig(env: PreflightEnv, services: ServiceConfig[], gate: { specs?: string; driftRules?: string }, baseDir: string) {
  return {
    services,
    backend: services.filter(isServed).find((service) => service.name === 'backend'),
    frontend: services.filter(isServed).find((service) => service.name === 'frontend'),
    healthPath: env.PREFLIGHT_HEALTH_PATH,
    readyTimeoutMs: longestChain(services, (service) => service.timeoutMs),
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
    drift: driftLocation(env, gate.driftRules, baseDir),
    specsDir: path.resolve(baseDir, gate.specs ?? 'tests'),
  };
}

/**
 * The largest sum of `weight` along a dependency chain, through dependsOn and readyAfter alike: a service's deadline
 * counts from when both kinds are ready (the configuration has no cycles: it was validated).
 */
export function longestChain(services: ServiceConfig[], weight: (service: ServiceConfig) => number): number {
  const byName = new Map(services.map((service) => [service.name, service]));
  const chainTo = (service: ServiceConfig): number =>
    weight(service) + Math.max(0, ...[...service.dependsOn, ...service.readyAfter].map((name) => chainTo(byName.get(name)!)));
  return Math.max(0, ...services.map(chainTo));
}

/**
 * PREFLIGHT_DRIFT_RULES (relative to the project root) wins over the gate file's driftRules (relative to the file);
 * the rules' own paths are relative to the rules file's directory unless PREFLIGHT_DRIFT_ROOT says otherwise.
 */
function driftLocation(env: PreflightEnv, fromFile: string | undefined, baseDir: string): PreflightConfig['drift'] {
  const rulesFile = env.PREFLIGHT_DRIFT_RULES ? path.resolve(PROJECT_ROOT, env.PREFLIGHT_DRIFT_RULES) : path.resolve(baseDir, fromFile ?? 'drift.rules.ts');
  return { rulesFile, root: path.resolve(PROJECT_ROOT, env.PREFLIGHT_DRIFT_ROOT ?? path.dirname(rulesFile)) };
}

/** The defaults, for places (like playwright.config.ts) that must load even when the configuration is invalid. */
export function defaultConfig(): PreflightConfig {
  const result = parseConfig({});
  if (!result.ok) throw new Error(`preflight's own defaults are invalid: ${result.problems.join('; ')}`);
  return result.config;
}


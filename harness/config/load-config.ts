import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import type { z } from 'zod';
import { GATE_CONFIG_VAR, GATE_FILE_NAMES, locateProject, PACKAGE_ROOT, PROJECT_ROOT } from '../core/project-root.ts';
import { display, loadGateFile, type GateFileResult } from './gate-file.ts';
import { addSecretValues } from '../secrets/redact.ts';
import { DEFAULT_DRIFT_RULES, DEFAULT_STOP, DEMO_SERVICES, GATE_CONFIG_FILE } from './defaults.ts';
import type { GateFile } from './gate-schema.ts';
import { httpServiceUrl, milliseconds, nonEmptyValue, preflightEnvSchema, serviceUrlOverride, type PreflightEnv } from './env-schema.ts';
import { parseProduction, type ProductionServices } from './production-urls.ts';
import { resolveServices } from './services.ts';
import { isServed, serviceVariable, type ConfigResult, type PreflightConfig, type ServiceConfig, type ServiceOverride } from './types.ts';


/** Loads `.env` of the project root (never overriding variables already set) into `env`; returns the variables it set. */
export function loadDotenv(env: NodeJS.ProcessEnv = process.env, dir = PROJECT_ROOT): string[] {
  const file = path.join(dir, '.env');
  if (!fs.existsSync(file)) return [];
  const unset = Object.keys(dotenv.parse(fs.readFileSync(file))).filter((key) => env[key] === undefined);
  dotenv.config({ path: file, processEnv: env as Record<string, string>, quiet: true });
  return unset;
}

/** Without a gate configuration file: the bundled demo app, as docs/design.md describes, its paths relative to `root`. */
const demoGate = (root: string): Extract<GateFileResult, { kind: 'loaded' }> => ({
  kind: 'loaded',
  file: path.join(root, '(defaults)'),
  gate: { services: structuredClone(DEMO_SERVICES) },
});

/**
 * The gate file (or the demo's defaults), then the environment; every problem is reported at once, naming the file
 * and field or the variable, what it expected and what it got.
 */
export function parseConfig(env: NodeJS.ProcessEnv = process.env, gateFile: GateFileResult = { kind: 'none', file: '' }): ConfigResult {
  const blankAsUnset = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[0].startsWith('PREFLIGHT_') && entry[1] !== undefined && entry[1] !== ''),
  );
  const problems: string[] = gateFile.kind === 'invalid' ? [...gateFile.problems] : [];
  // Every default path resolves from the gate file's folder (or, without one, from where it would be).
  const root = gateFile.file ? path.dirname(gateFile.file) : PROJECT_ROOT;
  const fromFile = gateFile.kind === 'loaded';
  // The bundled demo's defaults gate only the demo, in preflight's own repository; anywhere else a gate file is needed.
  const demo = gateFile.kind === 'none' && root === PACKAGE_ROOT;
  if (gateFile.kind === 'none' && !demo) {
    problems.push(
      `no gate configuration file: no ${GATE_FILE_NAMES[0]} in ${root} or the folders above it (up to the repository's root); ` +
        'fix: run npx preflight init there, or write one (docs/gate-your-own-app.md); if it is elsewhere, run the Playwright configuration beside it (-c <path>) or set PREFLIGHT_CONFIG',
    );
  }
  const loaded = gateFile.kind === 'loaded' ? gateFile : demo ? demoGate(root) : undefined;
  const overrides = serviceOverrides(loaded?.gate.services ?? {}, blankAsUnset, problems);
  const parsed = preflightEnvSchema.safeParse(blankAsUnset);
  if (!parsed.success) problems.push(...describeIssues(parsed.error.issues, blankAsUnset));
  // Read even when another variable is invalid, so its problems are reported with the rest.
  const production = loaded && parseProduction(blankAsUnset, productionServices(loaded, overrides, fromFile), problems);
  const productionRequested = blankAsUnset.PREFLIGHT_PRODUCTION_URL !== undefined;
  if (!parsed.success || !loaded) return { ok: false, problems, productionRequested };

  const services = resolveServices(loaded.gate, {
    file: loaded.file,
    fromFile,
    overrides,
    healthPath: parsed.data.PREFLIGHT_HEALTH_PATH,
    defaultTimeoutMs: parsed.data.PREFLIGHT_READY_TIMEOUT_MS,
    reuseExisting: parsed.data.PREFLIGHT_REUSE_EXISTING,
    defaultStop: DEFAULT_STOP,
    problems,
  });
  const drift = driftLocation(parsed.data, loaded.gate.driftRules, fromFile ? path.dirname(loaded.file) : root, root);
  if (drift.named && !fs.existsSync(drift.rulesFile)) {
    const given = parsed.data.PREFLIGHT_DRIFT_RULES !== undefined ? `PREFLIGHT_DRIFT_RULES (relative to ${display(root) || '.'})` : `${display(loaded.file)}: driftRules (relative to the file)`;
    problems.push(`${given}: expected a drift rules file, got ${JSON.stringify(parsed.data.PREFLIGHT_DRIFT_RULES ?? loaded.gate.driftRules)} (${drift.rulesFile} does not exist); fix: correct it, or remove it to run without a drift check (docs/drift.md)`);
  }
  if (problems.length) return { ok: false, problems, productionRequested };
  // Secrets given to a service through env or envFile are hidden like the runner's own.
  for (const service of services) addSecretValues(service.env);
  const nodeEnv = { extraCaCertsFile: env.NODE_EXTRA_CA_CERTS || undefined, nodeOptions: env.NODE_OPTIONS || undefined };
  const baseDir = fromFile ? path.dirname(loaded.file) : root;
  return { ok: true, config: { ...toConfig(parsed.data, services, loaded.gate, baseDir), production, drift, gateFile: fromFile ? loaded.file : undefined, root, ...nodeEnv } };
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
  // Located before .env is read: .env is the project's, so it cannot say where the project is.
  const location = locateProject(env);
  const fromDotenv = loadDotenv(env, location.root);
  let result = parseConfig(env, loadGateFile(env, location));
  if (fromDotenv.includes(GATE_CONFIG_VAR)) {
    const problem = `${GATE_CONFIG_VAR}: set in ${path.join(location.root, '.env')}, where it cannot choose the gate file (that .env is read from the chosen file's folder); fix: set it in the environment, or give the Playwright configuration beside your preflight.config.ts with -c`;
    result = { ok: false, problems: [problem, ...(result.ok ? [] : result.problems)], productionRequested: result.ok ? Boolean(result.config.production) : result.productionRequested };
  }
  loadedOnce.set(env, result);
  return result;
}

/** Every configuration problem as the lines a person reads, with the fix. */
export function describeConfigProblems(problems: string[], what = 'the configuration is invalid'): string {
  const inFile = problems.some((problem) => !problem.startsWith('PREFLIGHT_'));
  // preflight's own docs, where it is (this repository, or node_modules/preflight/docs once installed): a project's own .env.example may not exist.
  const variables = `every variable and its values: ${display(path.join(PACKAGE_ROOT, 'docs', 'configuration.md'))}`;
  const fix = inFile
    ? `  fix: correct these fields in the gate configuration file (reference: ${display(path.join(PACKAGE_ROOT, 'docs', 'gate-config.md'))}) and these variables in the environment or in .env (${variables}).`
    : `  fix: correct these variables in the environment or in .env (${variables}).`;
  return [`preflight: ${what}`, ...problems.map((problem) => `  - ${problem}`), fix].join('\n');
}

function describeIssues(issues: z.core.$ZodIssue[], env: Record<string, string | undefined>): string[] {
  return issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const got = env[variable];
    return `${variable}: ${issue.message}, got ${got === undefined ? 'nothing' : JSON.stringify(got)}`;
  });
}

function toConfig(env: PreflightEnv, services: ServiceConfig[], gate: GateFile, baseDir: string) {
  const browser = services.filter(isServed).find((service) => gate.services[service.name]?.browser === true);
  return {
    services,
    backend: services.filter(isServed).find((service) => service.name === 'backend'),
    frontend: services.filter(isServed).find((service) => service.name === 'frontend'),
    baseURL: gate.baseURL !== undefined ? new URL(gate.baseURL) : browser?.url,
    healthPath: env.PREFLIGHT_HEALTH_PATH,
    readyTimeoutMs: longestChain(services, (service) => service.timeoutMs),
    allowProductionWrites: env.PREFLIGHT_ALLOW_PRODUCTION_WRITES,
    ipv4First: env.PREFLIGHT_IPV4_FIRST,
    strict: env.PREFLIGHT_STRICT,
    allowPartial: env.PREFLIGHT_ALLOW_PARTIAL,
    workers: env.PREFLIGHT_WORKERS,
    chromiumPath: env.PREFLIGHT_CHROMIUM_PATH,
    specsDir: path.resolve(baseDir, gate.specs ?? 'tests'),
  };
}

/** The declared services' names, for the production URLs; the browser's: marked browser: true, or the one whose URL the gate file's baseURL is. */
function productionServices(loaded: Extract<GateFileResult, { kind: 'loaded' }>, overrides: Map<string, ServiceOverride>, fromFile: boolean): ProductionServices {
  const declared = Object.entries(loaded.gate.services);
  const sameUrl = (a: string | undefined, b: string) => URL.canParse(a ?? '') && new URL(a!).href === new URL(b).href;
  const baseURL = loaded.gate.baseURL;
  const browser = declared.find(([, service]) => service.browser === true)?.[0] ?? (baseURL === undefined ? undefined : declared.find(([name, service]) => sameUrl(overrides.get(name)?.url ?? service.url, baseURL))?.[0]);
  return { names: declared.map(([name]) => name), browser, declaredAt: (name) => (fromFile ? `${display(loaded.file)} services.${name}` : `services.${name}`) };
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
 * the rules' own paths are relative to the rules file's directory unless PREFLIGHT_DRIFT_ROOT says otherwise. A file
 * either names must exist; without either, drift.rules.ts beside the gate file is checked if there is one.
 */
function driftLocation(env: PreflightEnv, fromFile: string | undefined, baseDir: string, root: string): PreflightConfig['drift'] {
  const rulesFile = env.PREFLIGHT_DRIFT_RULES ? path.resolve(root, env.PREFLIGHT_DRIFT_RULES) : path.resolve(baseDir, fromFile ?? DEFAULT_DRIFT_RULES);
  const named = env.PREFLIGHT_DRIFT_RULES !== undefined || fromFile !== undefined;
  return { rulesFile, root: path.resolve(root, env.PREFLIGHT_DRIFT_ROOT ?? path.dirname(rulesFile)), named };
}

/** The defaults, for places (like playwright.config.ts) that must load even when the configuration is invalid. */
export function defaultConfig(): PreflightConfig {
  const result = parseConfig({}, { kind: 'none', file: path.join(PACKAGE_ROOT, GATE_CONFIG_FILE) });
  if (!result.ok) throw new Error(`preflight's own defaults are invalid: ${result.problems.join('; ')}`);
  // The specs are still looked for in the user's project.
  return { ...result.config, root: PROJECT_ROOT, specsDir: path.resolve(PROJECT_ROOT, 'tests') };
}


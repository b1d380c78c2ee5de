// The resolved configuration's types, on the config folder's lowest floor: load-config.ts builds them,
// services.ts resolves each service, and the rest of the harness reads them.

export type ServiceName = string;

import type { ReadinessCheck } from './gate-schema.ts';

const variablePart = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** A service's variable in the runner's environment: PREFLIGHT_BACKEND_URL, PREFLIGHT_DATABASE_CMD, ... */
export const serviceVariable = (service: Pick<ServiceConfig, 'name'>, what: 'CMD' | 'URL' | 'TIMEOUT_MS') => `PREFLIGHT_${variablePart(service.name)}_${what}`;

/** The browser's service in production (the production project's baseURL). */
export const PRODUCTION_URL_VAR = 'PREFLIGHT_PRODUCTION_URL';

/** A service's production URL: PREFLIGHT_PRODUCTION_API_URL, PREFLIGHT_PRODUCTION_PAYMENTS_URL, ... (harness/config/production-urls.ts). */
export const productionVariable = (service: Pick<ServiceConfig, 'name'>) => `PREFLIGHT_PRODUCTION_${variablePart(service.name)}_URL`;

/**
 * Before per-service variables, PREFLIGHT_PRODUCTION_API_URL was the production URL of the service named backend; it
 * still is when no service is named api (whose own variable it is).
 */
export const LEGACY_BACKEND_VAR = 'PREFLIGHT_PRODUCTION_API_URL';

/** The variable that gives a service's production URL, and the legacy one it falls back to. */
export function productionVariables(name: string, names: string[]): { own: string; legacy?: string } {
  const own = productionVariable({ name });
  const legacy = name === 'backend' && !names.some((other) => productionVariable({ name: other }) === LEGACY_BACKEND_VAR) ? LEGACY_BACKEND_VAR : undefined;
  return { own, legacy };
}

/** A named group of a service's log readiness pattern, exported to later services and the specs: PREFLIGHT_<NAME>_<GROUP>. */
export const capturedVariable = (service: Pick<ServiceConfig, 'name'>, group: string) => `PREFLIGHT_${variablePart(service.name)}_${variablePart(group)}`;

/** How the gate decides that a service is ready (harness/readiness/service-probe.ts). */
export type Readiness =
  /** `downForMs`: a "down" with the same reason for this long ends the boot (docs/gate-config.md). */
  | { kind: 'contract'; downForMs: number }
  /** `followRedirects`: as webServer does, unless the accepted statuses name a redirect (docs/gate-config.md). */
  | { kind: 'http'; status: { min: number; max: number }; followRedirects: boolean }
  | { kind: 'tcp' }
  | { kind: 'log'; pattern: RegExp }
  | { kind: 'command'; command: string; attemptTimeoutMs: number }
  | { kind: 'function'; check: ReadinessCheck; attemptTimeoutMs: number };

export interface ServiceConfig {
  name: ServiceName;
  command: string;
  /** Absolute directory the command runs in. */
  cwd: string;
  /** Variables from its envFile and env, added to the inherited environment. */
  env: Record<string, string>;
  /** Where it serves; absent only for a service with log readiness that serves nothing on a port (a queue worker). */
  url?: URL;
  /** The URL as written (what PREFLIGHT_<NAME>_URL carries to every service). */
  urlText?: string;
  readiness: Readiness;
  /** What readiness probes: the contract's or the HTTP path's URL; for tcp and log readiness, `url` (if any). */
  healthUrl?: URL;
  /** Probed during the run, when declared. */
  liveness?: { url: URL; intervalMs: number };
  /** Started after these are ready. */
  dependsOn: string[];
  /** Started at once, judged ready only after these are; its timeoutMs counts from then. */
  readyAfter: string[];
  timeoutMs: number;
  /** Teardown: `command` first (with `timeoutMs` to finish), then `signal` to what is left, SIGKILL after `graceMs`. */
  stop: { signal: NodeJS.Signals; graceMs: number; command?: string; timeoutMs: number };
  /** Its command starts a daemon and returns: exit 0 is its start, readiness decides (docs/gate-config.md). */
  detached: boolean;
  /** The variable its dependents get its URL under, besides PREFLIGHT_<NAME>_URL (DATABASE_URL). */
  urlAs?: string;
  probeHeaders: Record<string, string>;
  /** Used, not started, when it already serves (judged by its readiness): its reuseExisting, or PREFLIGHT_REUSE_EXISTING. */
  reuseExisting: boolean;
  /** A local https service's certificate, trusted by the probes and the local browser project (docs/gate-config.md). */
  tls?: ServiceTls;
  /** Where the command, the URL, the readiness timeout and the reuse were set, and the service's own fields (`<file> services.<name>`), for diagnoses. */
  setBy: { command: string; url: string; timeout: string; reuse: string; service: string };
}

/** How the probes trust a local https service: the authority's certificate (PEM text, read from `caFile`), or any. */
export type ServiceTls = { ca: string; caFile: string; insecure?: undefined } | { insecure: true; ca?: undefined; caFile?: undefined };

/** A service that serves on a URL: every kind of readiness but `log` has one, and the specs' frontend and backend must. */
export type ServedService = ServiceConfig & { url: URL; urlText: string; healthUrl: URL };

export const isServed = (service: ServiceConfig): service is ServedService => service.url !== undefined;

export interface PreflightConfig {
  services: ServiceConfig[];
  /** The services named backend and frontend, when declared (the bundled demo's specs use them through target). */
  backend?: ServedService;
  frontend?: ServedService;
  /** The specs' baseURL: the gate file's baseURL, else the URL of the service marked `browser: true`; never chosen by a name. */
  baseURL?: URL;
  /** The readiness contract's default path (PREFLIGHT_HEALTH_PATH). */
  healthPath: string;
  /** The longest a boot may take: the services' timeoutMs summed along the longest dependency chain. */
  readyTimeoutMs: number;
  /** Set when PREFLIGHT_PRODUCTION_URL is: the production project runs (each service's production URL: PREFLIGHT_PRODUCTION_<NAME>_URL). */
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
  /** PREFLIGHT_WORKERS: how many spec files run at once, over gatePlaywrightConfig's `workers` (the command line's --workers over both). */
  workers?: number;
  chromiumPath?: string;
  /**
   * The drift rules file and the directory its file paths are relative to (absolute). `named`: the user named the file
   * (driftRules, PREFLIGHT_DRIFT_RULES), so it must exist; the default drift.rules.ts may be absent (no drift check).
   */
  drift: { rulesFile: string; root: string; named: boolean };
  /** Where the specs live (absolute). */
  specsDir: string;
  /** The gate configuration file read, if any (absolute). */
  gateFile?: string;
  /** The folder every default path resolves from: the gate file's (harness/core/project-root.ts). */
  root: string;
}

export interface ProductionConfig {
  /** PREFLIGHT_PRODUCTION_URL: the browser's service in production, the production project's baseURL. */
  url: URL;
  /** Each service's production URL, by its name in the gate configuration, and the variable that gave it. */
  services: Record<string, { url: URL; variable: string }>;
  /** Every production URL (`url`, then each service's), one per origin: all of them are production (the read-only proxy, TLS, browser evidence). */
  urls: URL[];
  /** PREFLIGHT_ALLOW_INSECURE_PRODUCTION: plain http was allowed. */
  allowInsecure: boolean;
}

export type ConfigResult =
  | { ok: true; config: PreflightConfig }
  /** `productionRequested`: PREFLIGHT_PRODUCTION_URL is set, so `--project=production` must still find a project. */
  | { ok: false; problems: string[]; productionRequested: boolean };

/** What the environment says of one service, over the gate file. */
export interface ServiceOverride {
  command?: string;
  url?: string;
  timeoutMs?: number;
}


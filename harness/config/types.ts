// The resolved configuration's types, on the config folder's lowest floor: load-config.ts builds them,
// services.ts resolves each service, and the rest of the harness reads them.

export type ServiceName = string;

/** A service's variable in the runner's environment: PREFLIGHT_BACKEND_URL, PREFLIGHT_DATABASE_CMD, ... */
export const serviceVariable = (service: Pick<ServiceConfig, 'name'>, what: 'CMD' | 'URL' | 'TIMEOUT_MS') =>
  `PREFLIGHT_${service.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${what}`;

/** How the gate decides that a service is ready (harness/readiness/service-probe.ts). */
export type Readiness =
  | { kind: 'contract' }
  | { kind: 'http'; status: { min: number; max: number } }
  | { kind: 'tcp' }
  | { kind: 'log'; pattern: RegExp };

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
  /** Where the command, the URL, the readiness timeout and the reuse were set, for diagnoses. */
  setBy: { command: string; url: string; timeout: string; reuse: string };
}

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
  /** The production frontend. */
  url: URL;
  /** The production backend. */
  apiUrl: URL;
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


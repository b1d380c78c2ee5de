import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { portOfUrl } from '../core/default-port.ts';
import { DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_DOWN_FOR_MS, DEFAULT_STOP_COMMAND_TIMEOUT_MS } from './defaults.ts';
import type { GateFile } from './gate-schema.ts';
import { display } from './gate-file.ts';
import { capturedVariable, serviceVariable, type Readiness, type ServiceConfig, type ServiceOverride, type ServiceTls } from './types.ts';

export interface ResolveOptions {
  /** The gate file (absolute); cwd and envFile paths are relative to its folder. */
  file: string;
  /** False for the built-in demo defaults: paths are then relative to the project root, messages name variables. */
  fromFile: boolean;
  overrides: Map<string, ServiceOverride>;
  healthPath: string;
  defaultTimeoutMs: number;
  /** PREFLIGHT_REUSE_EXISTING when set: over every service's reuseExisting. */
  reuseExisting?: boolean;
  defaultStop: { signal: NodeJS.Signals; graceMs: number };
  /** Problems found here are added, so that every problem is reported at once. */
  problems: string[];
}

const LIVENESS_INTERVAL_MS = 1_000;

/** The statuses Playwright's webServer counts as ready (isURLAvailable in playwright-core: 200 up to 404). */
const WEBSERVER_STATUS = { min: 200, max: 403 };

/** The declared services, with the environment's overrides, their files read and their URLs made whole. */
export function resolveServices(gate: GateFile, options: ResolveOptions): ServiceConfig[] {
  const baseDir = path.dirname(options.file);
  const field = (name: string, key: string) => `${display(options.file)} services.${name}.${key}`;
  const services: ServiceConfig[] = [];
  for (const [name, declared] of Object.entries(gate.services)) {
    const override = options.overrides.get(name) ?? {};
    // Where a setting came from, for diagnoses: the variable that overrode it, or the field and that variable.
    const setting = (variable: 'CMD' | 'URL', overridden: boolean, fromField: string) => {
      const named = serviceVariable({ name }, variable);
      return !overridden && options.fromFile ? `${field(name, fromField)}, or ${named}` : named;
    };
    const setBy = {
      command: setting('CMD', override.command !== undefined, 'command'),
      url: setting('URL', override.url !== undefined, 'url'),
      timeout: timeoutSetBy(name, { overridden: override.timeoutMs !== undefined, declared: declared.timeoutMs !== undefined, field: options.fromFile ? field(name, 'timeoutMs') : undefined }),
      reuse: options.reuseExisting !== undefined ? 'PREFLIGHT_REUSE_EXISTING' : options.fromFile ? `${field(name, 'reuseExisting')}, or PREFLIGHT_REUSE_EXISTING` : 'PREFLIGHT_REUSE_EXISTING',
      service: options.fromFile ? `${display(options.file)} services.${name}` : `services.${name}`,
    };
    const urlText = override.url ?? declared.url;
    const readinessDeclared: NonNullable<typeof declared.readiness> = declared.readiness ?? { kind: 'contract' };
    const needsHttp = readinessDeclared.kind === 'contract' || readinessDeclared.kind === 'http' || declared.liveness !== undefined;
    // No URL: a service with log readiness that listens on no port (the schema allows nothing else, config/gate-schema.ts).
    const url = urlText === undefined ? undefined : new URL(urlText);
    if (url && needsHttp && url.protocol !== 'http:' && url.protocol !== 'https:') {
      options.problems.push(`${setBy.url}: expected an http:// or https:// URL (its ${declared.liveness && readinessDeclared.kind !== 'contract' && readinessDeclared.kind !== 'http' ? 'liveness' : `${readinessDeclared.kind} readiness`} is probed over HTTP), got ${JSON.stringify(urlText)}`);
      continue;
    }
    if (url && declared.browser && url.protocol !== 'http:' && url.protocol !== 'https:') {
      options.problems.push(`${setBy.url}: expected an http:// or https:// URL (${field(name, 'browser')} makes it the specs' baseURL), got ${JSON.stringify(urlText)}`);
      continue;
    }
    if (url && portOfUrl(url) === undefined) {
      options.problems.push(`${setBy.url}: expected a port in the URL (${url.protocol}// has no default port), got ${JSON.stringify(urlText)}`);
      continue;
    }
    const cwd = path.resolve(baseDir, declared.cwd ?? '.');
    if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) {
      options.problems.push(`${field(name, 'cwd')}: expected an existing directory (relative to ${display(baseDir) || '.'}), got ${JSON.stringify(declared.cwd)} (${cwd} does not exist)`);
      continue;
    }
    const env: Record<string, string> = {};
    if (declared.envFile) {
      const envFile = path.resolve(cwd, declared.envFile);
      if (!fs.existsSync(envFile)) {
        options.problems.push(`${field(name, 'envFile')}: expected a dotenv file (relative to the service's cwd), got ${JSON.stringify(declared.envFile)} (${envFile} does not exist)`);
        continue;
      }
      Object.assign(env, dotenv.parse(fs.readFileSync(envFile)));
    }
    Object.assign(env, declared.env);
    let tls: ServiceTls | undefined;
    if (declared.tls) {
      if (url?.protocol !== 'https:') {
        options.problems.push(`${field(name, 'tls')}: applies to an https:// URL only, got ${JSON.stringify(urlText)} (set by ${setBy.url})`);
        continue;
      }
      if ('ca' in declared.tls) {
        const caFile = path.resolve(cwd, declared.tls.ca);
        if (!fs.existsSync(caFile)) {
          options.problems.push(`${field(name, 'tls.ca')}: expected the authority's certificate, a PEM file (relative to the service's cwd), got ${JSON.stringify(declared.tls.ca)} (${caFile} does not exist)`);
          continue;
        }
        tls = { ca: fs.readFileSync(caFile, 'utf8'), caFile };
      } else tls = { insecure: true };
    }
    let readiness: Readiness;
    try {
      readiness = resolveReadiness(readinessDeclared);
    } catch (error) {
      options.problems.push(`${field(name, 'readiness.pattern')}: expected a regular expression, got ${JSON.stringify((readinessDeclared as { pattern: string }).pattern)} (${(error as Error).message})`);
      continue;
    }
    const shadowed = readiness.kind === 'log' ? shadowedSettings({ name }, readiness.pattern, url !== undefined) : [];
    if (shadowed.length) {
      options.problems.push(`${field(name, 'readiness.pattern')}: expected named groups whose variables preflight does not set itself, got ${shadowed.map((group) => `(?<${group}>) -> ${capturedVariable({ name }, group)}`).join(', ')}; rename the group`);
      continue;
    }
    const healthPath = readinessDeclared.kind === 'contract' || readinessDeclared.kind === 'http' ? (readinessDeclared.path ?? (readinessDeclared.kind === 'contract' ? options.healthPath : '/')) : undefined;
    services.push({
      name,
      command: override.command ?? declared.command,
      cwd,
      env,
      url,
      urlText,
      readiness,
      healthUrl: healthPath && url ? new URL(healthPath, url) : url,
      liveness: declared.liveness && url ? { url: new URL(declared.liveness.path, url), intervalMs: declared.liveness.intervalMs ?? LIVENESS_INTERVAL_MS } : undefined,
      dependsOn: declared.dependsOn ?? [],
      readyAfter: declared.readyAfter ?? [],
      timeoutMs: override.timeoutMs ?? declared.timeoutMs ?? options.defaultTimeoutMs,
      stop: {
        signal: declared.stop?.signal ?? options.defaultStop.signal,
        graceMs: declared.stop?.graceMs ?? options.defaultStop.graceMs,
        command: declared.stop?.command,
        timeoutMs: declared.stop?.timeoutMs ?? DEFAULT_STOP_COMMAND_TIMEOUT_MS,
      },
      detached: declared.detached ?? false,
      urlAs: declared.urlAs,
      probeHeaders: declared.probe?.headers ?? {},
      reuseExisting: options.reuseExisting ?? declared.reuseExisting ?? false,
      tls,
      setBy,
    });
  }
  checkDistinctAddresses(services, options.problems);
  return services;
}

/**
 * Where a service's time to ready was set, naming every way to change it: the gate file's field and the service's own
 * variable, and PREFLIGHT_READY_TIMEOUT_MS when that default is what applies.
 */
function timeoutSetBy(name: string, from: { overridden: boolean; declared: boolean; field?: string }): string {
  const variable = serviceVariable({ name }, 'TIMEOUT_MS');
  if (from.overridden) return from.field ? `${variable}, over ${from.field}` : variable;
  if (from.declared && from.field) return `${from.field}, or ${variable}`;
  return `PREFLIGHT_READY_TIMEOUT_MS, the default; for ${name} alone ${from.field ? `${from.field}, or ` : ''}${variable}`;
}

/** Named groups of a log pattern whose PREFLIGHT_<NAME>_<GROUP> is one of the service's own settings (its URL, when it has one). */
function shadowedSettings(service: { name: string }, pattern: RegExp, hasUrl: boolean): string[] {
  const own = new Set([serviceVariable(service, 'CMD'), serviceVariable(service, 'TIMEOUT_MS'), ...(hasUrl ? [serviceVariable(service, 'URL')] : [])]);
  const groups = [...pattern.source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((match) => match[1]!);
  return groups.filter((group) => own.has(capturedVariable(service, group)));
}

function resolveReadiness(declared: NonNullable<GateFile['services'][string]['readiness']>): Readiness {
  switch (declared.kind) {
    case 'contract':
      return { kind: 'contract', downForMs: declared.downForMs ?? DEFAULT_DOWN_FOR_MS };
    case 'http': {
      // Without a status, what Playwright's webServer accepts: 200-403, redirects followed. A status narrows it; one
      // that names a redirect (301, 300-399) is judged as answered.
      const status = declared.status === undefined ? WEBSERVER_STATUS : typeof declared.status === 'number' ? { min: declared.status, max: declared.status } : declared.status;
      const namesRedirect = declared.status !== undefined && status.min <= 399 && status.max >= 300;
      return { kind: 'http', status, followRedirects: !namesRedirect };
    }
    case 'tcp':
      return { kind: 'tcp' };
    case 'log':
      return { kind: 'log', pattern: typeof declared.pattern === 'string' ? new RegExp(declared.pattern) : declared.pattern };
    case 'command':
      return { kind: 'command', command: declared.command, attemptTimeoutMs: declared.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS };
    case 'function':
      return { kind: 'function', check: declared.check, attemptTimeoutMs: declared.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS };
  }
}

/** Two services on one address: one of them cannot listen, and the other answers for both. */
function checkDistinctAddresses(services: ServiceConfig[], problems: string[]): void {
  const seen = new Map<string, ServiceConfig>();
  for (const service of services) {
    // Port 0: a free port is chosen for each run (harness/services/free-ports.ts), never the same for two services.
    if (!service.url || portOfUrl(service.url) === 0) continue;
    const address = `${service.url.hostname}:${portOfUrl(service.url)}`;
    const other = seen.get(address);
    if (other) {
      problems.push(`${service.setBy.url}: expected another host or port than ${other.setBy.url} (both name ${address}): each service needs its own, got ${JSON.stringify(service.urlText)}`);
    } else seen.set(address, service);
  }
}

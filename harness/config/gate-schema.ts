import { z } from '../core/packages.ts';
import { MAX_MILLISECONDS } from './defaults.ts';

// The gate configuration file (preflight.config.ts), written once with zod: the types of defineGate derive from it.

const path = z.string().regex(/^\/\S*$/, 'expected a path starting with /');
const nonEmpty = z.string().trim().min(1, 'expected a non-empty string');
const httpStatus = z.number().int().min(100, 'expected an HTTP status (100-599)').max(599, 'expected an HTTP status (100-599)');
const atMostAnHour = `expected at most ${MAX_MILLISECONDS} milliseconds (one hour)`;
const milliseconds = z.number({ error: 'expected a whole number of milliseconds' }).int('expected a whole number of milliseconds').positive('expected a positive number of milliseconds').max(MAX_MILLISECONDS, atMostAnHour);
const millisecondsOrZero = z.number({ error: 'expected a whole number of milliseconds' }).int('expected a whole number of milliseconds').nonnegative('expected 0 or more milliseconds').max(MAX_MILLISECONDS, atMostAnHour);
const headers = z.record(z.string(), z.string(), { error: 'expected an object of header names and string values' });

/** How preflight decides that a service is ready. */
export const readinessSchema = z.discriminatedUnion(
  'kind',
  [
    // The readiness contract of docs/design.md at `path` (default PREFLIGHT_HEALTH_PATH, /ops/health/production).
    // `downForMs`: a "down" with the same reason for this long ends the boot (default 15000), instead of the whole timeoutMs.
    z.strictObject({ kind: z.literal('contract'), path: path.optional(), downForMs: milliseconds.optional() }),
    // Plain HTTP: a GET of `path` answered with `status` (a number, or { min, max }); without one, what Playwright's
    // webServer accepts: 200-403, redirects followed.
    z.strictObject({
      kind: z.literal('http'),
      path: path.optional(),
      status: z.union([httpStatus, z.strictObject({ min: httpStatus, max: httpStatus })], { error: 'expected an HTTP status or { min, max }' }).optional(),
    }),
    // A TCP port that accepts connections (a database): only the URL's host and port count.
    z.strictObject({ kind: z.literal('tcp') }),
    // A line of the service's output matching `pattern`; then the URL must accept TCP connections.
    z.strictObject({ kind: z.literal('log'), pattern: z.union([nonEmpty, z.instanceof(RegExp)], { error: 'expected a RegExp or a non-empty string' }) }),
    // A command that decides (pg_isready, redis-cli ping): exit 0 is ready; otherwise its output's last line says why.
    z.strictObject({ kind: z.literal('command'), command: nonEmpty, attemptTimeoutMs: milliseconds.optional() }),
    // A function of the gate file that decides: true or { ready: true } is ready; false or { ready: false, reason } is not.
    z.strictObject({
      kind: z.literal('function'),
      check: z.custom<ReadinessCheck>((value) => typeof value === 'function', { error: 'expected a function: async ({ url, signal }) => boolean | { ready, reason }' }),
      attemptTimeoutMs: milliseconds.optional(),
    }),
  ],
  { error: 'expected { kind: "contract" | "http" | "tcp" | "log" | "command" | "function", ... }' },
);

/** What a readiness function answers: ready or not, and why not. */
export type ReadinessCheckResult = boolean | { ready: boolean; reason?: string };

/**
 * A readiness function (kind "function"): called until it says ready, each attempt given `attemptTimeoutMs` and a
 * signal that aborts when that time is up. `url` is the service's, when it has one.
 */
export type ReadinessCheck = (context: { url: URL | undefined; signal: AbortSignal; name: string }) => ReadinessCheckResult | Promise<ReadinessCheckResult>;

const signal = z.enum(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGKILL'], { error: 'expected a signal name such as "SIGTERM" or "SIGINT"' });

/** One service: how to start it, where it serves, when it is ready. */
export const serviceSchema = z.strictObject({
  /** Shell command that starts it (PREFLIGHT_<NAME>_CMD overrides it). */
  command: nonEmpty,
  /** Directory the command runs in, relative to the config file. Default: the config file's folder. */
  cwd: nonEmpty.optional(),
  /** Variables added to the inherited environment (after envFile). */
  env: z.record(z.string(), z.string(), { error: 'expected an object of variable names and string values' }).optional(),
  /** A dotenv file, relative to cwd, loaded into the service's environment. */
  envFile: nonEmpty.optional(),
  /**
   * Where it serves (PREFLIGHT_<NAME>_URL overrides it). For tcp readiness any scheme will do: only host and port count.
   * Only a service with log readiness may leave it out (a queue worker that listens on no port).
   */
  url: z
    .string({ error: 'expected a URL such as http://127.0.0.1:3001 or tcp://127.0.0.1:5432' })
    .regex(/^[a-z][a-z0-9+.-]*:\/\/[^/\s]/i, 'expected a URL such as http://127.0.0.1:3001 or tcp://127.0.0.1:5432')
    .pipe(z.url({ error: 'expected a URL such as http://127.0.0.1:3001 or tcp://127.0.0.1:5432' })).optional(),
  readiness: readinessSchema.optional(),
  /** A path probed during the run: a service that stops answering it "died during the run". */
  liveness: z.strictObject({ path, intervalMs: milliseconds.optional() }).optional(),
  /** Services that must be ready before this one starts (it cannot start without them: it runs migrations, it exits). */
  dependsOn: z.array(nonEmpty, { error: 'expected an array of service names' }).optional(),
  /**
   * Services this one starts together with, but is judged ready only after (a frontend that starts on its own and
   * serves only once its backend does). Its timeoutMs counts from when they are ready; if one fails, it is named.
   */
  readyAfter: z.array(nonEmpty, { error: 'expected an array of service names' }).optional(),
  /** Time to ready, from its start, or from when its readyAfter services are ready (default PREFLIGHT_READY_TIMEOUT_MS, 60000). */
  timeoutMs: milliseconds.optional(),
  /**
   * Teardown: `command` first, if given (the way a daemon is stopped: `pg_ctl stop -D data`, `docker compose down`),
   * with `timeoutMs` to finish; then the signal sent to what is left of its process tree, and the grace period before SIGKILL.
   */
  stop: z
    .strictObject({
      signal: signal.optional(),
      graceMs: millisecondsOrZero.optional(),
      command: nonEmpty.optional(),
      timeoutMs: milliseconds.optional(),
    })
    .optional(),
  /**
   * The command starts a daemon and returns (`pg_ctl start`, `docker compose up -d`): its exit 0 is the start, not the
   * end of the service; a non-zero exit is a failed start. Needs stop.command, the only sure way to reach the daemon.
   */
  detached: z.boolean({ error: 'expected true or false' }).optional(),
  /**
   * A variable the services that depend on this one (dependsOn, readyAfter) get its URL under, besides
   * PREFLIGHT_<NAME>_URL: DATABASE_URL for a database. It wins over their own env and envFile.
   */
  urlAs: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name such as DATABASE_URL').optional(),
  /**
   * A local https service's certificate (opt-in): `ca` trusts the authority in that PEM file (relative to cwd, e.g.
   * mkcert's rootCA.pem), `insecure: true` accepts any certificate (a dev server's self-signed one). The probes trust
   * it, and the local browser project ignores certificate errors; the production project never does.
   */
  tls: z
    .union([z.strictObject({ ca: nonEmpty }), z.strictObject({ insecure: z.literal(true) })], { error: 'expected { ca: "<the authority\'s PEM file>" } or { insecure: true }' })
    .optional(),
  /** Extra request headers on every probe, e.g. one the app's rate limiter exempts. */
  probe: z.strictObject({ headers: headers.optional() }).optional(),
  /** The browser's service: the specs' baseURL is its URL (page.goto('/') opens it). At most one service says so. */
  browser: z.boolean({ error: 'expected true or false' }).optional(),
  /**
   * Use this service when it already serves (judged by its readiness) instead of starting it; started otherwise.
   * Playwright's webServer habit: `reuseExisting: !process.env.CI`. PREFLIGHT_REUSE_EXISTING overrides it for every service.
   */
  reuseExisting: z.boolean({ error: 'expected true or false' }).optional(),
});

/** A service's name becomes part of variable names (PREFLIGHT_<NAME>_URL) and of file names (reports/logs/<name>.log). */
const serviceName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'expected a service name of letters, digits, - and _, starting with a letter');

/** The readiness kinds that probe the service's URL, and so need one. */
const PROBES_URL: string[] = ['contract', 'http', 'tcp'];

export const gateFileSchema = z
  .strictObject({
    /** Where the specs live, relative to the config file (may be outside it, '../e2e'). Default: tests. */
    specs: nonEmpty.optional(),
    /** The drift rules file, relative to the config file; it must exist. Default: drift.rules.ts if there is one (else no drift check). */
    driftRules: nonEmpty.optional(),
    /** The specs' baseURL (page.goto('/') opens it), when it is not one service's URL (else mark that service `browser: true`). */
    baseURL: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL such as http://127.0.0.1:3000' }).optional(),
    services: z.record(serviceName, serviceSchema),
  })
  .superRefine((gate, ctx) => {
    if (Object.keys(gate.services).length === 0) ctx.addIssue({ code: 'custom', path: ['services'], message: 'expected at least one service', input: gate.services });
    // One baseURL: the file's, or one service's.
    const browsers = Object.entries(gate.services).filter(([, service]) => service.browser === true).map(([name]) => name);
    for (const name of browsers.slice(1)) {
      ctx.addIssue({ code: 'custom', path: ['services', name, 'browser'], message: `expected browser: true on one service only (${browsers.join(', ')} all say so): its URL is the specs' baseURL`, input: true });
    }
    if (gate.baseURL !== undefined && browsers.length) {
      ctx.addIssue({ code: 'custom', path: ['services', browsers[0]!, 'browser'], message: 'expected either baseURL or a service with browser: true, not both: each sets the specs\' baseURL', input: true });
    }
    for (const [name, service] of Object.entries(gate.services)) {
      if (service.url !== undefined) continue;
      const kind = service.readiness?.kind ?? 'contract';
      // Only a service judged by its output, a command or a function may serve nothing on a port; the others probe it.
      const why = service.liveness ? 'its liveness is probed over HTTP' : !PROBES_URL.includes(kind) ? undefined : `its ${kind} readiness probes it; only a service with log, command or function readiness may leave it out`;
      if (why) ctx.addIssue({ code: 'custom', path: ['services', name, 'url'], message: `expected a URL such as http://127.0.0.1:3001 or tcp://127.0.0.1:5432 (${why})`, input: undefined });
      else if (service.browser) ctx.addIssue({ code: 'custom', path: ['services', name, 'url'], message: 'expected an http:// or https:// URL (browser: true makes it the specs\' baseURL)', input: undefined });
    }
    for (const [name, service] of Object.entries(gate.services)) {
      // Its daemon outlives the command: without a stop command, teardown reaches it only if it kept preflight's marks.
      if (service.detached && !service.stop?.command) {
        ctx.addIssue({ code: 'custom', path: ['services', name, 'stop', 'command'], message: "expected the command that stops its daemon (detached: true), such as 'pg_ctl stop -D data' or 'docker compose down'", input: undefined });
      }
      if (service.urlAs !== undefined && service.url === undefined) {
        ctx.addIssue({ code: 'custom', path: ['services', name, 'urlAs'], message: 'expected a url to pass on: a service without one has nothing to give its dependents', input: service.urlAs });
      }
    }
  });

export interface DependencyProblem {
  path: (string | number)[];
  message: string;
  input: unknown;
}

/** The two ways a service waits for another (docs/gate-config.md): both form the dependency graph. */
export const DEPENDENCY_FIELDS = ['dependsOn', 'readyAfter'] as const;

/**
 * Unknown names and cycles in dependsOn and readyAfter, read from the raw file: checked beside the schema (not inside
 * it), so they are reported together with every other mistake of the file.
 */
export function dependencyProblems(raw: unknown): DependencyProblem[] {
  const services = (raw as { services?: unknown } | undefined)?.services;
  if (!services || typeof services !== 'object') return [];
  const declared = services as Record<string, Partial<Record<(typeof DEPENDENCY_FIELDS)[number], unknown>> | undefined>;
  const names = Object.keys(declared);
  const graph: Record<string, { dependsOn: string[] }> = {};
  // Which field declared each edge, to name it when the edge closes a cycle.
  const declaredIn = new Map<string, (typeof DEPENDENCY_FIELDS)[number]>();
  const problems: DependencyProblem[] = [];
  for (const name of names) {
    graph[name] = { dependsOn: [] };
    for (const field of DEPENDENCY_FIELDS) {
      const listed = declared[name]?.[field];
      if (!Array.isArray(listed)) continue;
      for (const [index, dependency] of listed.entries()) {
        if (typeof dependency !== 'string') continue;
        if (dependency === name) problems.push({ path: ['services', name, field, index], message: 'a service cannot wait for itself', input: dependency });
        else if (!names.includes(dependency)) problems.push({ path: ['services', name, field, index], message: `expected the name of a declared service (${names.join(', ')})`, input: dependency });
        else {
          graph[name]!.dependsOn.push(dependency);
          declaredIn.set(`${name} -> ${dependency}`, field);
        }
      }
    }
  }
  const cycle = findCycle(graph);
  if (cycle) {
    const field = declaredIn.get(`${cycle[0]} -> ${cycle[1]}`)!;
    problems.push({ path: ['services', cycle[0]!, field], message: `dependencies form a cycle: ${cycle.join(' -> ')}; nothing in it could ever be ready`, input: declared[cycle[0]!]?.[field] });
  }
  return problems;
}

/** A dependency cycle as the names along it (first name repeated at the end), or undefined. */
export function findCycle(services: Record<string, { dependsOn?: string[] }>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): string[] | undefined => {
    if (state.get(name) === 'done' || !services[name]) return undefined;
    if (state.get(name) === 'visiting') return [...trail.slice(trail.indexOf(name)), name];
    state.set(name, 'visiting');
    for (const dependency of services[name]!.dependsOn ?? []) {
      if (dependency === name) continue;
      const cycle = visit(dependency, [...trail, name]);
      if (cycle) return cycle;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(services)) {
    const cycle = visit(name, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** What a gate configuration file declares (the input of defineGate). */
export type GateDefinition = z.input<typeof gateFileSchema>;
export type ServiceDefinition = z.input<typeof serviceSchema>;
export type ReadinessDefinition = z.input<typeof readinessSchema>;
export type GateFile = z.output<typeof gateFileSchema>;

import type { APIRequest, Browser, BrowserContext, Route } from '@playwright/test';
import type { ProductionConfig } from '../config/types.ts';
import { redact } from '../secrets/redact.ts';

/** Annotation of a production spec whose write the guard blocked: the gate counts it as a critical failure. */
export const WRITE_BLOCKED_ANNOTATION = 'preflight-production-write-blocked';

/** Reads: what the production project may send to production unless PREFLIGHT_ALLOW_PRODUCTION_WRITES=true. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Production is read-only at the network layer: every request of the production project to a production origin
 * with another method is stopped before it leaves the machine, and remembered so the spec fails naming it.
 * One per worker (a worker runs one project); docs/safety.md lists the paths it covers.
 */
export class ProductionWriteGuard {
  private readonly origins: Set<string>;
  private blocked: string[] = [];

  constructor(private readonly production: Pick<ProductionConfig, 'url' | 'apiUrl'>) {
    this.origins = new Set([production.url.origin, production.apiUrl.origin]);
  }

  /** "POST https://…" when this request is a write to production (and is now blocked); undefined when it may go. */
  check(method: string | undefined, url: string | URL | undefined): string | undefined {
    const verb = (method ?? 'GET').toUpperCase();
    if (READ_METHODS.has(verb) || url === undefined) return undefined;
    let target: URL;
    try {
      // A relative URL resolves against the project's baseURL, which is production's.
      target = new URL(String(url), this.production.url);
    } catch {
      return undefined;
    }
    if (!this.origins.has(target.origin)) return undefined;
    const what = `${verb} ${redact(target.href)}`;
    this.blocked.push(what);
    return what;
  }

  /** The writes blocked since the last call. */
  takeBlocked(): string[] {
    const blocked = this.blocked;
    this.blocked = [];
    return blocked;
  }
}

/** The message of a blocked write: what, why, and the setting that allows it. */
export const blockedWriteMessage = (blocked: string[]) =>
  `preflight: blocked ${blocked.length === 1 ? 'a write' : `${blocked.length} writes`} to production: ${blocked.join('; ')}: ` +
  'the production project only reads (GET, HEAD, OPTIONS); set PREFLIGHT_ALLOW_PRODUCTION_WRITES=true to allow writes, marked as test data';

// The guard of this worker: the patched request paths below consult it. Unset outside the production project.
let active: ProductionWriteGuard | undefined;
const patched = Symbol.for('preflight.production-write-guard');

type Patchable = Record<string | symbol, unknown>;

function patchOnce(target: object, method: string, wrap: (original: (...args: any[]) => any) => (...args: any[]) => any): void {
  const holder = target as Patchable;
  const original = holder[method];
  if (typeof original !== 'function') throw new Error(`preflight: cannot guard production writes: ${method} is missing in this Playwright version (harness/production/write-guard.ts)`);
  if ((original as unknown as Patchable)[patched]) return;
  const wrapper = wrap(original as (...args: any[]) => any) as unknown as Patchable;
  wrapper[patched] = true;
  holder[method] = wrapper;
}

const BLOCKED_BINDING = '__preflightBlockedWrite';

/** Runs in every page of a guarded context: sendBeacon and keepalive fetch refuse writes to production. */
function refuseKeepaliveWrites({ origins, binding }: { origins: string[]; binding: string }): void {
  const reads = ['GET', 'HEAD', 'OPTIONS'];
  const report = (globalThis as unknown as Record<string, (method: string, url: string) => void>)[binding];
  const refused = (method: string, url: string | URL): boolean => {
    let target: URL;
    try {
      target = new URL(String(url), location.href);
    } catch {
      return false;
    }
    if (reads.includes(method.toUpperCase()) || !origins.includes(target.origin)) return false;
    report?.(method.toUpperCase(), target.href);
    return true;
  };
  const beacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, data) => (refused('POST', url) ? false : beacon(url, data));
  const pageFetch = globalThis.fetch;
  globalThis.fetch = function (input: RequestInfo | URL, init?: RequestInit) {
    const request = input instanceof Request ? input : undefined;
    if ((init?.keepalive ?? request?.keepalive) && refused(init?.method ?? request?.method ?? 'GET', request?.url ?? String(input))) {
      return Promise.reject(new TypeError('preflight: blocked a write to production'));
    }
    return pageFetch.call(this, input, init);
  };
}

const blockedError = (what: string) => Object.assign(new Error(blockedWriteMessage([what])), { name: 'PreflightError' });

/**
 * Installs the guard in this worker: Playwright's API requests (`request`, `page.request`, `route.fetch`), Node's
 * fetch, and every browser context (pages, forms, fetch, sendBeacon, a route's continue). Returns the guard.
 */
export async function guardProductionWrites(browser: Browser, request: APIRequest, production: Pick<ProductionConfig, 'url' | 'apiUrl'>): Promise<ProductionWriteGuard> {
  const guard = new ProductionWriteGuard(production);
  active = guard;

  // Every APIRequestContext method (get, post, put, delete, fetch; route.fetch) ends in _innerFetch.
  const probe = await request.newContext();
  const apiPrototype = Object.getPrototypeOf(probe) as object;
  await probe.dispose();
  patchOnce(apiPrototype, '_innerFetch', (original) =>
    async function (this: unknown, options: { url?: string; method?: string; request?: { method(): string; url(): string } } = {}) {
      const blocked = active?.check(options.method ?? options.request?.method(), options.url ?? options.request?.url());
      if (blocked) throw blockedError(blocked);
      return original.call(this, options);
    },
  );

  patchOnce(globalThis, 'fetch', (original) =>
    async function (input: string | URL | Request, init?: RequestInit) {
      const blocked = active?.check(init?.method ?? (input instanceof Request ? input.method : undefined), input instanceof Request ? input.url : input);
      if (blocked) throw blockedError(blocked);
      return original(input, init);
    },
  );

  const newContext = browser.newContext.bind(browser);
  const routeGuard = async (context: BrowserContext) => {
    await context.route('**/*', (route) => (active?.check(route.request().method(), route.request().url()) ? route.abort('blockedbyclient') : route.fallback()));
    // A keepalive request (sendBeacon, fetch keepalive) may outlive its page, and a request still held by a route
    // when the page closes goes on unchecked: those writes are refused in the page, before any request exists.
    await context.exposeBinding(BLOCKED_BINDING, (_source, method: string, url: string) => void active?.check(method, url));
    await context.addInitScript(refuseKeepaliveWrites, { origins: [production.url.origin, production.apiUrl.origin], binding: BLOCKED_BINDING });
    return context;
  };
  // A spec's own page.route runs before the context's: its continue() is checked too (the Route class, found once).
  const scratch = await routeGuard(await newContext());
  const page = await scratch.newPage();
  let routePrototype: object | undefined;
  await page.route('**/*', async (route) => {
    routePrototype = Object.getPrototypeOf(route) as object;
    await route.abort();
  });
  await page.goto('http://preflight-write-guard.invalid/').catch(() => undefined);
  await scratch.close();
  if (!routePrototype) throw new Error('preflight: cannot guard production writes: no route was seen (harness/production/write-guard.ts)');
  patchOnce(routePrototype, 'continue', (original) =>
    async function (this: Route, options: { method?: string; url?: string } = {}) {
      if (active?.check(options.method ?? this.request().method(), options.url ?? this.request().url())) return this.abort('blockedbyclient');
      return original.call(this, options);
    },
  );
  // Every context of this worker, the `context` fixture's and those a spec makes (browser.newPage makes one too).
  browser.newContext = async (options) => routeGuard(await newContext(options));
  return guard;
}

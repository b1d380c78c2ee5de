import type { Agent } from 'undici';
import type { ServiceTls } from '../config/types.ts';
import { interpretReadiness, type ReadinessVerdict } from './contract.ts';

export type ProbeOutcome =
  | { kind: 'answered'; verdict: ReadinessVerdict; latencyMs: number; /** Retry-After of a 429 or 503, in ms. */ retryAfterMs?: number }
  | { kind: 'unreachable'; code: string; message: string; latencyMs: number }
  /** It accepted the connection but sent no answer in time. */
  | { kind: 'timeout'; timeoutMs: number; latencyMs: number };

export interface ProbeOptions {
  timeoutMs?: number;
  /** Extra request headers (a service's probe.headers, e.g. one its rate limiter exempts). */
  headers?: Record<string, string>;
  /** Redirects to follow, as Playwright's webServer does (plain http readiness); 0, the contract's rule, follows none. */
  redirects?: number;
  /** A 404 at / is asked again at /index.html, as webServer does. */
  indexFallback?: boolean;
  accept?: string;
  /** A local https service's certificate, as its tls setting trusts it (harness/config/types.ts). */
  tls?: ServiceTls;
}

// One connection per probe: a probe must prove the service accepts connections now, not reuse an old socket.
let probeAgent: Agent | undefined;
// The agents of services whose certificate their tls setting trusts, one per setting.
const tlsAgents = new WeakMap<ServiceTls, Agent>();

/**
 * undici, loaded by the first probe rather than with this module: the Playwright config loads this module before
 * the first service starts, and every module on that path delays the start (docs/benchmark.md). The first probe
 * runs while the service itself is still starting.
 */
let undici: Promise<typeof import('undici')> | undefined;
export const loadUndici = () => (undici ??= import('undici'));

/**
 * One GET, answered within `timeoutMs`; `interpret` turns the answer into a verdict. Redirects are followed only when
 * `redirects` allows, and only to the same host or to loopback: a redirect elsewhere (an external sign-in page) is the
 * answer itself, so a probe never reaches a host outside the app.
 */
export async function probeHttp(
  url: URL | string,
  interpret: (status: number, body: string, contentType: string, location?: string) => ReadinessVerdict,
  options: ProbeOptions = {},
): Promise<ProbeOutcome> {
  // Whole milliseconds: the time left before a deadline is fractional, and AbortSignal.timeout takes only integers.
  const timeoutMs = Math.ceil(options.timeoutMs ?? 2_000);
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  const { request, Agent } = await loadUndici();
  probeAgent ??= new Agent({ pipelining: 0, connect: { timeout: 2_000 } });
  const { tls } = options;
  let agent = tls ? tlsAgents.get(tls) : probeAgent;
  if (!agent && tls) {
    agent = new Agent({ pipelining: 0, connect: { timeout: 2_000, ...(tls.insecure ? { rejectUnauthorized: false } : { ca: tls.ca }) } });
    tlsAgents.set(tls, agent);
  }
  const first = new URL(url);
  let target = first;
  // How the probe got from `url` to what answered last, for the reason.
  const hops: string[] = [];
  let redirects = 0;
  // One deadline for the whole probe, redirects included; after the headers timeout, so that a connected service
  // which never answers reads as a timeout, not an abort.
  const signal = AbortSignal.timeout(timeoutMs + 500);
  try {
    for (;;) {
      const response = await request(target, {
        method: 'GET',
        dispatcher: agent,
        headers: { accept: options.accept ?? 'application/json', 'user-agent': 'preflight-readiness-probe', ...options.headers },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal,
      });
      const body = await response.body.text();
      const location = response.headers.location === undefined ? undefined : String(response.headers.location);
      const next = location && response.statusCode >= 300 && response.statusCode < 400 ? new URL(location, target) : undefined;
      if (next && options.redirects && followable(first, next)) {
        if (redirects === options.redirects) {
          const verdict: ReadinessVerdict = { state: 'violation', reason: `answered ${options.redirects} redirects in a row from ${first.pathname} (a redirect loop?), last to ${next.href}`, httpStatus: response.statusCode };
          return { kind: 'answered', verdict, latencyMs: latency() };
        }
        hops.push(`${target.pathname} redirected with HTTP ${response.statusCode}`);
        redirects++;
        target = next;
        continue;
      }
      if (options.indexFallback && response.statusCode === 404 && target.pathname === '/' && !hops.length) {
        hops.push('/ answered HTTP 404');
        target = new URL('/index.html', target);
        continue;
      }
      const contentType = String(response.headers['content-type'] ?? '');
      const retryAfterMs = response.statusCode === 429 || response.statusCode === 503 ? parseRetryAfter(response.headers['retry-after']) : undefined;
      const verdict = interpret(response.statusCode, body, contentType, location);
      if (hops.length) verdict.reason += ` at ${target.href} (${hops.join(', then ')})`;
      return { kind: 'answered', verdict, latencyMs: latency(), retryAfterMs };
    }
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { name?: string };
    if (err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT' || err.name === 'TimeoutError') {
      return { kind: 'timeout', timeoutMs, latencyMs: latency() };
    }
    const cause = (err as { cause?: NodeJS.ErrnoException }).cause;
    const code = err.code ?? cause?.code ?? err.name ?? 'ERROR';
    return { kind: 'unreachable', code, message: cause?.message ?? err.message, latencyMs: latency() };
  }
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/i;

/** A redirect the probe follows: to the same host, or to loopback (another local service), over http or https. */
function followable(from: URL, to: URL): boolean {
  return (to.protocol === 'http:' || to.protocol === 'https:') && (to.hostname === from.hostname || LOOPBACK.test(to.hostname));
}

/** One GET of the readiness contract, without redirects, answered within `timeoutMs`. */
export function probeReadiness(url: URL | string, timeoutMs = 2_000, headers?: Record<string, string>): Promise<ProbeOutcome> {
  return probeHttp(url, interpretReadiness, { timeoutMs, headers });
}

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** One line a person can read for a probe outcome. */
export function describeProbe(outcome: ProbeOutcome, url: URL | string): string {
  switch (outcome.kind) {
    case 'answered':
      return `${url} ${outcome.verdict.reason}`;
    case 'timeout':
      return `${url} accepted the connection but sent no answer within ${outcome.timeoutMs} ms`;
    case 'unreachable':
      if (outcome.code === 'LOG_PENDING') return outcome.message;
      return outcome.code === 'ECONNREFUSED'
        ? `${url} refused the connection (nothing listens there)`
        : `${url} unreachable: ${outcome.code} ${outcome.message}`;
  }
}

import net from 'node:net';
import { stripVTControlCharacters } from 'node:util';
import type { ServiceConfig } from '../config/types.ts';
import { portOfUrl } from '../core/default-port.ts';
import type { ReadinessVerdict } from './contract.ts';
import { interpretReadiness } from './contract.ts';
import { COMMAND_NOT_RUNNABLE, probeCommand, probeFunction } from './custom-check.ts';
import { probeHttp, type ProbeOutcome } from './probe.ts';

/** Redirects plain http readiness follows, like a browser's limit, lower: a loop ends the probe, not the boot. */
const MAX_REDIRECTS = 10;

/** One readiness probe of a service, by its readiness kind. */
export type ServiceProbe = (timeoutMs: number) => Promise<ProbeOutcome>;

/**
 * `output` gives the service's recent output lines (log readiness); `env` is what a readiness command runs with, the
 * service's own environment (its env, the PREFLIGHT_<NAME>_URL of every service).
 */
export function serviceProbe(service: ServiceConfig, output: () => string[] = () => [], env: NodeJS.ProcessEnv = service.env): ServiceProbe {
  const { probeHeaders: headers, tls } = service;
  const readiness = service.readiness;
  // Only log, command and function readiness may come without a URL (harness/config/gate-schema.ts); the others always have one.
  const { url, healthUrl } = service as ServiceConfig & { url: URL; healthUrl: URL };
  switch (readiness.kind) {
    case 'contract':
      return (timeoutMs) => probeHttp(healthUrl, interpretReadiness, { timeoutMs, headers, tls });
    case 'http':
      return (timeoutMs) =>
        probeHttp(healthUrl, (status) => interpretStatus(status, readiness.status), {
          timeoutMs,
          headers,
          tls,
          accept: '*/*',
          redirects: readiness.followRedirects ? MAX_REDIRECTS : 0,
          indexFallback: readiness.followRedirects,
        });
    case 'tcp':
      return (timeoutMs) => probeTcp(url, timeoutMs);
    case 'log': {
      // The first line that matched: its named groups are what the service exports (docs/gate-config.md).
      let matched: RegExpExecArray | undefined;
      return async (timeoutMs) => {
        matched ??= firstMatch(readiness.pattern, output());
        if (!matched) return { kind: 'unreachable', code: 'LOG_PENDING', message: `no line of its output matched ${readiness.pattern} yet`, latencyMs: 0 };
        const captured = matched.groups ? Object.fromEntries(Object.entries(matched.groups).filter((entry): entry is [string, string] => entry[1] !== undefined)) : undefined;
        // Without a URL (a worker that listens on no port) the line is the whole readiness; with one, the port must accept too.
        if (!service.url) return { kind: 'answered', verdict: { state: 'ready', reason: `ready: a line of its output matched ${readiness.pattern}`, httpStatus: 0, captured }, latencyMs: 0 };
        const outcome = await probeTcp(url, timeoutMs);
        if (outcome.kind === 'answered') outcome.verdict.captured = captured;
        return outcome;
      };
    }
    case 'command':
      return (timeoutMs) => probeCommand(readiness.command, { cwd: service.cwd, env, timeoutMs });
    case 'function':
      return (timeoutMs) => probeFunction(readiness.check, { url: service.url, name: service.name, timeoutMs });
  }
}

/** The time one probe may take: a command or a function has its own (readiness.attemptTimeoutMs). */
export function attemptTimeoutMs(service: ServiceConfig): number | undefined {
  return service.readiness.kind === 'command' || service.readiness.kind === 'function' ? service.readiness.attemptTimeoutMs : undefined;
}

/** An answer after which waiting is pointless: the contract's 200 with a broken body, a readiness command that cannot run. */
export function failsAtOnce(service: ServiceConfig): ((outcome: ProbeOutcome & { kind: 'answered' }) => boolean) | undefined {
  switch (service.readiness.kind) {
    case 'contract':
      return (answer) => answer.verdict.state === 'violation' && answer.verdict.httpStatus === 200;
    case 'command':
      return (answer) => answer.verdict.exitCode !== undefined && COMMAND_NOT_RUNNABLE.has(answer.verdict.exitCode);
    default:
      return undefined;
  }
}

function firstMatch(pattern: RegExp, lines: string[]): RegExpExecArray | undefined {
  for (const line of lines) {
    // A /g or /y pattern keeps its place between calls: each line is matched from its start.
    pattern.lastIndex = 0;
    // Colours out, as webServer's wait does: a dev server's "Local: http://localhost:5173/" is coloured.
    const match = pattern.exec(stripVTControlCharacters(line));
    if (match) return match;
  }
  return undefined;
}

/** Plain HTTP readiness: an accepted status is ready; any other answer is not (yet). */
export function interpretStatus(status: number, accepted: { min: number; max: number }): ReadinessVerdict {
  const expected = accepted.min === accepted.max ? `HTTP ${accepted.min}` : `HTTP ${accepted.min}-${accepted.max}`;
  if (status >= accepted.min && status <= accepted.max) return { state: 'ready', reason: `ready: answered HTTP ${status}`, httpStatus: status };
  return { state: 'violation', reason: `answered HTTP ${status}, expected ${expected}`, httpStatus: status };
}

/** True readiness of a port: something accepts a TCP connection there now. */
export function probeTcp(url: URL, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = portOfUrl(url)!;
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => finish({ kind: 'unreachable', code: 'ETIMEDOUT', message: `no TCP connection within ${timeoutMs} ms`, latencyMs: latency() }), timeoutMs);
    const finish = (outcome: ProbeOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    socket.once('connect', () => finish({ kind: 'answered', verdict: { state: 'ready', reason: `ready: accepts TCP connections on ${host}:${port}`, httpStatus: 0 }, latencyMs: latency() }));
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ kind: 'unreachable', code: error.code ?? 'ERROR', message: error.message, latencyMs: latency() }));
  });
}

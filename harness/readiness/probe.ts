import { request, Agent } from 'undici';
import { interpretReadiness, type ReadinessVerdict } from './contract.ts';

export type ProbeOutcome =
  | { kind: 'answered'; verdict: ReadinessVerdict; latencyMs: number }
  | { kind: 'unreachable'; code: string; message: string; latencyMs: number }
  | { kind: 'timeout'; timeoutMs: number; latencyMs: number };

// One connection per probe: a probe must prove the service accepts connections now, not reuse an old socket.
const probeAgent = new Agent({ pipelining: 0, connect: { timeout: 2_000 } });

/** One GET of the readiness contract, without redirects, answered within `timeoutMs`. */
export async function probeReadiness(url: URL | string, timeoutMs = 2_000): Promise<ProbeOutcome> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const response = await request(url, {
      method: 'GET',
      dispatcher: probeAgent,
      headers: { accept: 'application/json', 'user-agent': 'preflight-readiness-probe' },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.body.text();
    const contentType = String(response.headers['content-type'] ?? '');
    const location = response.headers.location === undefined ? undefined : String(response.headers.location);
    return { kind: 'answered', verdict: interpretReadiness(response.statusCode, body, contentType, location), latencyMs: latency() };
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { name?: string };
    if (err.name === 'TimeoutError' || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') {
      return { kind: 'timeout', timeoutMs, latencyMs: latency() };
    }
    const cause = (err as { cause?: NodeJS.ErrnoException }).cause;
    const code = err.code ?? cause?.code ?? err.name ?? 'ERROR';
    return { kind: 'unreachable', code, message: cause?.message ?? err.message, latencyMs: latency() };
  }
}

/** One line a person can read for a probe outcome. */
export function describeProbe(outcome: ProbeOutcome, url: URL | string): string {
  switch (outcome.kind) {
    case 'answered':
      return `${url} ${outcome.verdict.reason}`;
    case 'timeout':
      return `${url} did not answer within ${outcome.timeoutMs} ms`;
    case 'unreachable':
      return outcome.code === 'ECONNREFUSED'
        ? `${url} refused the connection (nothing listens there)`
        : `${url} unreachable: ${outcome.code} ${outcome.message}`;
  }
}

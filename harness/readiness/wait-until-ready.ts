import { setTimeout as delay } from 'node:timers/promises';
import { probeReadiness, type ProbeOutcome } from './probe.ts';
import type { ReadinessVerdict } from './contract.ts';
import type { ExitInfo } from '../core/exit-info.ts';

export type ReadinessOutcome =
  | { ok: true; verdict: ReadinessVerdict; readyAt: number }
  | { ok: false; reason: 'exited'; exit: ExitInfo; lastProbe?: ProbeOutcome }
  | { ok: false; reason: 'timeout'; timeoutMs: number; lastProbe?: ProbeOutcome }
  | { ok: false; reason: 'violation'; lastProbe: ProbeOutcome & { kind: 'answered' } }
  | { ok: false; reason: 'aborted'; lastProbe?: ProbeOutcome };

export interface WaitUntilReadyOptions {
  url: URL;
  timeoutMs: number;
  /** Settles when the service process exits: readiness then fails at once, not at the deadline. */
  exited?: Promise<ExitInfo>;
  /** Pause between probes; small, so readiness is seen within tens of milliseconds. */
  intervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Probes the readiness contract until it says ready (or ready-degraded), racing the process's exit and a deadline.
 * A 200 answer that breaks the contract fails at once: the service answers, and waiting will not fix its body.
 */
export async function waitUntilReady(options: WaitUntilReadyOptions): Promise<ReadinessOutcome> {
  const { url, timeoutMs, intervalMs = 5 } = options;
  const deadline = performance.now() + timeoutMs;
  const stop = new AbortController();
  if (options.signal?.aborted) stop.abort();
  else options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  let lastProbe: ProbeOutcome | undefined;

  const polling = (async (): Promise<ReadinessOutcome> => {
    while (!stop.signal.aborted) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      lastProbe = await probeReadiness(url, Math.min(2_000, Math.max(50, remaining)));
      if (lastProbe.kind === 'answered') {
        const { verdict } = lastProbe;
        if (verdict.state === 'ready' || verdict.state === 'degraded') {
          return { ok: true, verdict, readyAt: Date.now() };
        }
        if (verdict.state === 'violation' && verdict.httpStatus === 200) {
          return { ok: false, reason: 'violation', lastProbe };
        }
      }
      await delay(Math.min(intervalMs, Math.max(0, deadline - performance.now())), undefined, { signal: stop.signal }).catch(() => {});
    }
    if (options.signal?.aborted) return { ok: false, reason: 'aborted', lastProbe };
    return { ok: false, reason: 'timeout', timeoutMs, lastProbe };
  })();

  const exiting = options.exited?.then((exit): ReadinessOutcome => ({ ok: false, reason: 'exited', exit, lastProbe }));
  try {
    return await Promise.race(exiting ? [polling, exiting] : [polling]);
  } finally {
    stop.abort();
  }
}

import { setTimeout as delay } from 'node:timers/promises';
import { probeReadiness, type ProbeOutcome } from './probe.ts';
import type { ReadinessVerdict } from './contract.ts';
import type { ExitInfo } from '../core/exit-info.ts';
import { certificateProblem } from './certificate.ts';

export type ReadinessOutcome =
  | { ok: true; verdict: ReadinessVerdict; readyAt: number; probes: number }
  | { ok: false; reason: 'exited'; exit: ExitInfo; lastProbe?: ProbeOutcome; probes: number }
  /**
   * `early`: given up before the deadline, because `hopeless` said waiting could not help. `down`: when it answered
   * "down", in ms of its time to ready (its first and its last "down" answer), if it did.
   */
  | { ok: false; reason: 'timeout'; timeoutMs: number; lastProbe?: ProbeOutcome; probes: number; early?: boolean; down?: DownSpan }
  | { ok: false; reason: 'violation'; lastProbe: ProbeOutcome & { kind: 'answered' }; probes: number }
  /** Its certificate was refused (self-signed, expired, another host's): waiting cannot change that. */
  | { ok: false; reason: 'certificate'; lastProbe: ProbeOutcome & { kind: 'unreachable' }; probes: number }
  /** It answered "down" with the same reason for `downForMs`: given up before the deadline. */
  | { ok: false; reason: 'down'; lastProbe: ProbeOutcome & { kind: 'answered' }; downForMs: number; timeoutMs: number; probes: number }
  | { ok: false; reason: 'aborted'; lastProbe?: ProbeOutcome; probes: number };

/** When a service answered "down": its first and its last such answer, in ms since its time to ready began counting. */
export interface DownSpan {
  firstMs: number;
  lastMs: number;
}

export interface WaitUntilReadyOptions {
  /** The readiness contract's URL, probed when no `probe` is given. */
  url?: URL;
  /** One readiness probe (harness/readiness/service-probe.ts), given the time it may take. */
  probe?: (timeoutMs: number) => Promise<ProbeOutcome>;
  timeoutMs: number;
  /** Settles when the service process exits: readiness then fails at once, not at the deadline. */
  exited?: Promise<ExitInfo>;
  /** The longest one probe may take (default 2000 ms; a readiness command or function has its own). */
  attemptTimeoutMs?: number;
  /** Pause between probes while nothing answers; small, so readiness is seen within tens of milliseconds. */
  intervalMs?: number;
  /** An answer that ends the wait at once (the contract's 200 with a broken body: waiting will not fix it). */
  failsAtOnce?(outcome: ProbeOutcome & { kind: 'answered' }): boolean;
  /**
   * A "down" with the same reason for this long ends the wait (a database that is not there stays not there); a down
   * with another reason starts the count again. Counted only once what it is judged ready after is ready.
   */
  downForMs?: number;
  /** Checked between probes: true ends the wait at once (an app crashed under a file watcher that waits for changes). */
  hopeless?(): boolean;
  signal?: AbortSignal;
  /**
   * Settles true once the services this one is judged ready after are ready, false if one of them failed (readyAfter,
   * docs/gate-config.md). Until then no answer counts as ready and the deadline does not run; then the service is
   * probed at once and has its whole timeoutMs. False ends the wait as `aborted`.
   */
  after?: Promise<boolean>;
}

/**
 * Once a service answers "not ready", the probes back off as Playwright's webServer does: a real app's rate
 * limiter counts them, and a 60 s boot then sees fewer than 100 probes. A 429's Retry-After is honoured.
 */
export const BACKOFF_MS = [100, 250, 500, 1_000] as const;

/** How much an outcome tells a person: a contract's own body (a "down" and its message) most, a refused connection least. */
function informativeness(outcome: ProbeOutcome): number {
  if (outcome.kind === 'answered') return outcome.verdict.body ? 3 : 2;
  return outcome.kind === 'timeout' ? 1 : 0;
}

const contractFailsAtOnce = (outcome: ProbeOutcome & { kind: 'answered' }) => outcome.verdict.state === 'violation' && outcome.verdict.httpStatus === 200;

/**
 * Probes until the service is ready (or ready-degraded), racing the process's exit and a deadline. The outcome
 * carries the most informative answer seen: a "down" with its message is never replaced by a later 429 or error page.
 */
export async function waitUntilReady(options: WaitUntilReadyOptions): Promise<ReadinessOutcome> {
  const { timeoutMs, intervalMs = 5 } = options;
  const probe = options.probe ?? ((ms: number) => probeReadiness(options.url!, ms));
  const failsAtOnce = options.failsAtOnce ?? (options.probe ? () => false : contractFailsAtOnce);
  const began = performance.now();
  let deadline = options.after ? Infinity : performance.now() + timeoutMs;
  let after = (options.after ? 'waiting' : 'ready') as 'waiting' | 'ready' | 'failed';
  const stop = new AbortController();
  if (options.signal?.aborted) stop.abort();
  else options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  let telling: ProbeOutcome | undefined;
  // The reason of the "down" answered now, and since when it has not changed.
  let down: { reason: string; since: number } | undefined;
  // Its first and last "down" answers (performance.now()), and when its time to ready began counting.
  let downAnswers: { first: number; last: number } | undefined;
  let clockFrom = began;
  let probes = 0;
  let answers = 0;
  const afterSettled = options.after?.then((ready) => {
    after = ready ? 'ready' : 'failed';
    // What it waited for is ready now: its own deadline starts, and it is probed at once, without the backoff so far.
    if (ready) [deadline, answers, clockFrom] = [performance.now() + timeoutMs, 0, performance.now()];
  });
  const downSpan = (): DownSpan | undefined =>
    downAnswers && { firstMs: Math.max(0, Math.round(downAnswers.first - clockFrom)), lastMs: Math.max(0, Math.round(downAnswers.last - clockFrom)) };

  const polling = (async (): Promise<ReadinessOutcome> => {
    while (!stop.signal.aborted && after !== 'failed') {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      if (options.hopeless?.()) return { ok: false, reason: 'timeout', timeoutMs: Math.round(performance.now() - began), lastProbe: telling, probes, early: true, down: downSpan() };
      const outcome = await probe(Math.min(options.attemptTimeoutMs ?? 2_000, Math.max(50, remaining)));
      // Only what reached the service counts: a refused connection is nothing its rate limiter could see.
      if (outcome.kind !== 'unreachable') probes++;
      if (!telling || informativeness(outcome) >= informativeness(telling)) telling = outcome;
      let pause = intervalMs;
      if (outcome.kind === 'answered') {
        const { verdict } = outcome;
        const ready = verdict.state === 'ready' || verdict.state === 'degraded';
        if (ready && after === 'ready') return { ok: true, verdict, readyAt: Date.now(), probes };
        if (failsAtOnce(outcome)) return { ok: false, reason: 'violation', lastProbe: outcome, probes };
        if (verdict.state === 'down') downAnswers = { first: downAnswers?.first ?? performance.now(), last: performance.now() };
        if (verdict.state === 'down' && after === 'ready' && options.downForMs !== undefined) {
          if (down?.reason !== verdict.reason) down = { reason: verdict.reason, since: performance.now() };
          else if (performance.now() - down.since >= options.downForMs) return { ok: false, reason: 'down', lastProbe: outcome, downForMs: options.downForMs, timeoutMs, probes };
        }
        pause = outcome.retryAfterMs ?? BACKOFF_MS[Math.min(answers, BACKOFF_MS.length - 1)]!;
        answers++;
      } else if (outcome.kind === 'unreachable' && certificateProblem(outcome.code)) {
        return { ok: false, reason: 'certificate', lastProbe: outcome, probes };
      } else if (outcome.kind === 'timeout') {
        pause = BACKOFF_MS[Math.min(answers++, BACKOFF_MS.length - 1)]!;
      }
      const pausing = delay(Math.min(pause, Math.max(0, deadline - performance.now())), undefined, { signal: stop.signal }).catch(() => {});
      await (after === 'waiting' ? Promise.race([pausing, afterSettled]) : pausing);
    }
    if (options.signal?.aborted || after === 'failed') return { ok: false, reason: 'aborted', lastProbe: telling, probes };
    return { ok: false, reason: 'timeout', timeoutMs, lastProbe: telling, probes, down: downSpan() };
  })();

  const exiting = options.exited?.then((exit): ReadinessOutcome => ({ ok: false, reason: 'exited', exit, lastProbe: telling, probes }));
  try {
    return await Promise.race(exiting ? [polling, exiting] : [polling]);
  } finally {
    stop.abort();
  }
}

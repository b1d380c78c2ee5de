import { setTimeout as delay } from 'node:timers/promises';
import type { ServiceRecord } from '../core/service-record.ts';
import { probeHttp, type ProbeOutcome } from '../readiness/probe.ts';
import { interpretStatus } from '../readiness/service-probe.ts';
import { diagnoseStoppedServing } from './diagnosis.ts';
import type { RunningService } from './launch.ts';

/** Failed liveness probes in a row before a service counts as dead: one slow answer under load is not a death. */
const FAILURES_TO_DIE = 3;

/**
 * Probes a ready service's liveness route during the run: a service that stays alive but stops serving is
 * reported with the same "died during the run" verdict as one that exits. Returns the function that stops it.
 */
export function watchLiveness(
  handle: RunningService,
  liveness: { url: URL; intervalMs: number },
  died: (record: NonNullable<ServiceRecord['diedDuringRun']>) => void,
): () => void {
  const stop = new AbortController();
  void (async () => {
    const failures: ProbeOutcome[] = [];
    let firstFailureAt = 0;
    while (!stop.signal.aborted && handle.exit === undefined) {
      await delay(liveness.intervalMs, undefined, { signal: stop.signal, ref: false }).catch(() => {});
      if (stop.signal.aborted || handle.exit !== undefined) return;
      const outcome = await probeHttp(liveness.url, (status) => interpretStatus(status, { min: 200, max: 299 }), { timeoutMs: 2_000, headers: handle.service.probeHeaders, tls: handle.service.tls });
      if (stop.signal.aborted || handle.exit !== undefined) return;
      if (outcome.kind === 'answered' && outcome.verdict.state === 'ready') {
        failures.length = 0;
        continue;
      }
      if (failures.length === 0) firstFailureAt = Date.now();
      failures.push(outcome);
      if (failures.length >= FAILURES_TO_DIE) {
        died({ exitCode: null, signal: null, at: new Date(firstFailureAt).toISOString(), diagnosis: diagnoseStoppedServing(handle, liveness.url, failures, firstFailureAt) });
        return;
      }
    }
  })();
  return () => stop.abort();
}

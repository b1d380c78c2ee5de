import type { DriftFinding } from '../core/findings.ts';
import type { ServiceRecord, SetupProblem } from '../core/service-record.ts';

export interface RunState {
  startedAt: string;
  services: Map<string, ServiceRecord>;
  setupProblems: SetupProblem[];
  /** Configuration drift found before boot (harness/drift): critical and warning findings. */
  drift: DriftFinding[];
  /** Set when the harness itself ended the run early (a service failed to boot): why. Not a Ctrl+C. */
  stoppedEarly?: string;
  /** The exit code the gate reporter decided; unset until it has (see exit-guard.ts). */
  verdictExitCode?: number;
}

const key = Symbol.for('preflight.run-state');

/**
 * The runner process's shared record of the run. Global setup and the gate reporter live in the same process
 * (the Playwright runner), so both see this one object.
 */
export function currentRun(): RunState {
  const holder = globalThis as { [key]?: RunState };
  holder[key] ??= { startedAt: new Date().toISOString(), services: new Map(), setupProblems: [], drift: [] };
  return holder[key];
}

/**
 * Ends the Playwright run at once, the way Ctrl+C does (Playwright's runner listens for SIGINT, stops the
 * workers, runs global teardown and the reporters), and records that the harness did it, so the verdict
 * reports the cause instead of an interruption. Waiting for the specs to fail one by one would only repeat it.
 */
export function stopRunEarly(reason: string): void {
  const run = currentRun();
  if (run.stoppedEarly) return;
  run.stoppedEarly = reason;
  process.kill(process.pid, 'SIGINT');
}

/** Playwright's run status as the verdict must see it: an early stop by the harness is a failure, not an interruption. */
export function effectiveRunStatus<T extends string>(status: T): T | 'failed' {
  return status === 'interrupted' && currentRun().stoppedEarly ? 'failed' : status;
}

export type { ServiceRecord, SetupProblem };

import type { DriftFinding } from '../drift/compare.ts';
import type { ReadinessState } from '../readiness/contract.ts';

/** What the run learned about one service: written to reports/verdict.json and read by the verdict. */
export interface ServiceRecord {
  name: string;
  url: string;
  healthUrl: string;
  logFile?: string;
  reused: boolean;
  pid?: number;
  spawnedAt?: string;
  readyAt?: string;
  msToReady?: number;
  contract?: ReadinessState;
  contractReason?: string;
  version?: string;
  releaseId?: string;
  /** Set when the service never became ready: one line, then the full diagnosis. */
  failure?: { summary: string; diagnosis: string };
  /** Set when the service exited after it was ready and before teardown. */
  diedDuringRun?: { exitCode: number | null; signal: string | null; at: string; diagnosis: string };
}

/** A problem found before any test could run (invalid configuration, a setup that could not proceed). */
export interface SetupProblem {
  what: string;
  diagnosis: string;
}

export interface RunState {
  startedAt: string;
  services: Map<string, ServiceRecord>;
  setupProblems: SetupProblem[];
  /** Configuration drift found before boot (harness/drift): critical and warning findings. */
  drift: DriftFinding[];
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

/** What a run records about its services: shared by boot, the verdict, the reports and the workers. */

/** What a readiness answer means: ready, ready-degraded, down, or a broken contract (harness/readiness/contract.ts). */
export type ReadinessState = 'ready' | 'degraded' | 'down' | 'violation';

/** What the run learned about one service: written to reports/verdict.json and read by the verdict. */
export interface ServiceRecord {
  name: string;
  /** Absent for a service without a URL (log readiness, no port). */
  url?: string;
  healthUrl?: string;
  logFile?: string;
  reused: boolean;
  pid?: number;
  spawnedAt?: string;
  readyAt?: string;
  msToReady?: number;
  /** When the process exited before it was ready. */
  exitedAt?: string;
  contract?: ReadinessState;
  contractReason?: string;
  version?: string;
  releaseId?: string;
  /** What its log readiness pattern's named groups captured, as PREFLIGHT_<NAME>_<GROUP>: given to later services and the specs. */
  exports?: Record<string, string>;
  /** Readiness probes it answered (or accepted and left unanswered) before it was ready or the wait ended. */
  probes?: number;
  /** Set when it was not started because these services it depends on did not become ready. */
  notStartedBecause?: string[];
  /** Set when the service never became ready: one line, then the full diagnosis. */
  failure?: { summary: string; diagnosis: string };
  /** Set when the service exited, or stopped answering its liveness route, after it was ready and before teardown. */
  diedDuringRun?: { exitCode: number | null; signal: string | null; at: string; diagnosis: string };
}

/** A problem found before any test could run (invalid configuration, a setup that could not proceed). */
export interface SetupProblem {
  what: string;
  diagnosis: string;
}

// What a gate run left alive: every process of a run (runner, workers, browser, services and all they
// started) inherits the run's mark, so any process still carrying it is a leftover.
import { processesWithEnv, readProcess } from '../../harness/services/process-table.ts';
import { GATE_MARK_VAR, type GateRun } from './run-gate.ts';

export function leftoverProcesses(run: GateRun): string[] {
  return processesWithEnv(GATE_MARK_VAR, run.mark).map((pid) => `pid ${pid}: ${readProcess(pid)?.command ?? '(gone)'}`);
}

import type { ServiceRecord } from '../run/run-state.ts';
import type { RunStatus, SpecResult, Verdict } from '../verdict/verdict.ts';

/** The machine-readable verdict, reports/verdict.json. Its fields are documented in the README. */
export function buildVerdictReport(input: {
  verdict: Verdict;
  specs: SpecResult[];
  services: ServiceRecord[];
  startedAt: string;
  runStatus: RunStatus;
  /** When the first spec began and the last one ended (ISO), for time-to-first-test and teardown figures. */
  timing: { firstTestStartedAt?: string; lastTestEndedAt?: string };
}) {
  const count = (outcome: SpecResult['outcome']) => input.specs.filter((spec) => spec.outcome === outcome).length;
  return {
    exitCode: input.verdict.exitCode,
    verdict: input.verdict.verdict,
    strict: input.verdict.strict,
    runStatus: input.runStatus,
    startedAt: input.startedAt,
    endedAt: new Date().toISOString(),
    timing: input.timing,
    criticalFailures: input.verdict.criticalFailures,
    warnings: input.verdict.warnings,
    specs: {
      total: input.specs.length,
      passed: count('expected'),
      failed: count('unexpected'),
      flaky: count('flaky'),
      skipped: count('skipped'),
    },
    services: input.services.map(({ failure, diedDuringRun, ...service }) => ({
      ...service,
      failure: failure?.summary,
      diedDuringRun: diedDuringRun && { exitCode: diedDuringRun.exitCode, signal: diedDuringRun.signal, at: diedDuringRun.at },
    })),
  };
}

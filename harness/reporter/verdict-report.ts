import type { ServiceRecord } from '../core/service-record.ts';
import type { RunStatus, SpecResult, Verdict } from '../verdict/verdict.ts';

/** The sentence every report opens with when the run was partial. */
export function partialNotice(verdict: Verdict): string | undefined {
  if (!verdict.partial) return undefined;
  const specs = verdict.notRun.filter((finding) => finding.kind === 'spec').length;
  const what = specs > 0 ? `${specs} @critical spec${specs === 1 ? '' : 's'} did not run` : 'not every @critical spec ran';
  return `PARTIAL RUN, NOT A GATE: ${what} (PREFLIGHT_ALLOW_PARTIAL=true); the exit code reflects only what ran.`;
}

/** The machine-readable verdict, reports/verdict.json. Its fields are documented in the README. */
export function buildVerdictReport(input: {
  verdict: Verdict;
  specs: SpecResult[];
  services: ServiceRecord[];
  startedAt: string;
  endedAt: string;
  runStatus: RunStatus;
  /** The shards this report covers ("1/2", ...), empty for an unsharded run. */
  shards: string[];
  /** When the first spec began and the last one ended (ISO), for time-to-first-test and teardown figures. */
  timing?: { firstTestStartedAt?: string; lastTestEndedAt?: string };
  /** Why configuration drift was not checked (no rules file), if it was not. */
  driftNotChecked?: string;
}) {
  const count = (outcome: SpecResult['outcome']) => input.specs.filter((spec) => spec.outcome === outcome).length;
  return {
    // First, so that a partial run says so at the top.
    partial: input.verdict.partial,
    ...(input.verdict.partial ? { notice: partialNotice(input.verdict) } : {}),
    exitCode: input.verdict.exitCode,
    verdict: input.verdict.verdict,
    strict: input.verdict.strict,
    runStatus: input.runStatus,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    shards: input.shards,
    timing: input.timing,
    criticalFailures: input.verdict.criticalFailures,
    warnings: input.verdict.warnings,
    notRun: input.verdict.notRun,
    safetySkipped: input.verdict.safetySkipped,
    // Present only when drift was not checked: a pass without a drift check says so.
    ...(input.driftNotChecked ? { driftNotChecked: input.driftNotChecked } : {}),
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

export type VerdictReport = ReturnType<typeof buildVerdictReport>;

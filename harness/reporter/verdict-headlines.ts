import type { VerdictName } from '../core/findings.ts';

/** One headline per verdict, shared by the console and reports/summary.md. */
export const HEADLINES: Record<VerdictName, string> = {
  pass: 'PASS: every spec passed, nothing degraded',
  warnings: 'WARNINGS: no critical failure, but see the warnings below',
  strict: 'WARNINGS IN STRICT MODE: PREFLIGHT_STRICT=true turns warnings into a failed gate',
  critical: 'CRITICAL: deployment blocked',
  interrupted: 'INTERRUPTED: the run was stopped before it finished',
};

/** The one line a person reads last: the verdict and the exit code. */
export function verdictLine(verdict: { verdict: VerdictName; exitCode: number; partial: boolean }): string {
  const partial = verdict.partial ? ' (partial run: not a gate)' : '';
  return `preflight verdict: ${verdict.verdict}, exit code ${verdict.exitCode}${partial}`;
}

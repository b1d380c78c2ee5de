import path from 'node:path';
import type { ServiceRecord, SetupProblem } from '../run/run-state.ts';
import type { ReportPaths } from '../run/report-paths.ts';
import type { Finding, Verdict } from '../verdict/verdict.ts';

const HEADLINES: Record<Verdict['verdict'], string> = {
  pass: 'PASS: every spec passed, nothing degraded',
  warnings: 'WARNINGS: no critical failure, but see the warnings below',
  strict: 'WARNINGS IN STRICT MODE: PREFLIGHT_STRICT=true turns warnings into a failed gate',
  critical: 'CRITICAL: deployment blocked',
  interrupted: 'INTERRUPTED: the run was stopped before it finished',
};

function describe(finding: Finding): string {
  const where = finding.file ? ` (${finding.project ? `${finding.project}, ` : ''}${finding.file}:${finding.line})` : '';
  return `  - ${finding.title}${where}: ${finding.reason}`;
}

/** The last lines of every run: the findings, the diagnoses, what to run next, and the verdict in one line. */
export function formatConsoleVerdict(verdict: Verdict, services: ServiceRecord[], setupProblems: SetupProblem[], paths: ReportPaths): string {
  const lines = ['', `preflight: ${HEADLINES[verdict.verdict]}`];
  if (verdict.criticalFailures.length) lines.push('Critical failures:', ...verdict.criticalFailures.map(describe));
  if (verdict.warnings.length) lines.push('Warnings:', ...verdict.warnings.map(describe));
  if (verdict.safetySkips.length) lines.push('Skipped for safety (not counted as missing):', ...verdict.safetySkips.map(describe));

  const diagnoses = [
    ...setupProblems.map((problem) => problem.diagnosis),
    ...services.flatMap((service) => [service.failure?.diagnosis, service.diedDuringRun?.diagnosis]).filter((text): text is string => Boolean(text)),
  ];
  if (diagnoses.length) lines.push('', 'Diagnosis:', ...diagnoses.map((text) => text.replace(/^/gm, '  ')));

  if (verdict.exitCode !== 0) {
    const relative = (file: string) => path.relative(process.cwd(), file) || '.';
    lines.push('', `Next: npx playwright show-report ${relative(paths.html)}   (services' logs: ${relative(paths.logs)}/)`);
  }
  lines.push(`preflight verdict: ${verdict.verdict}, exit code ${verdict.exitCode}`, '');
  return lines.join('\n');
}

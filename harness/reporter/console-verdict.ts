import path from 'node:path';
import type { ServiceRecord, SetupProblem } from '../core/service-record.ts';
import type { ReportPaths } from '../core/report-paths.ts';
import type { Finding } from '../core/findings.ts';
import type { Verdict } from '../verdict/verdict.ts';
import { HEADLINES, verdictLine } from './verdict-headlines.ts';
import { partialNotice } from './verdict-report.ts';
import { shellQuote } from '../core/shell-quote.ts';

const relative = (file: string) => path.relative(process.cwd(), file) || '.';

/** What to run next: only commands that can help with what failed. */
function nextSteps(verdict: Verdict, setupProblems: SetupProblem[], paths: ReportPaths, logsWritten: boolean): string[] {
  if (setupProblems.length > 0) return ['Next: fix what the diagnosis above names, then run `npx playwright test` again.'];
  const steps: string[] = [];
  if (verdict.criticalFailures.some((finding) => /^a @critical spec (did not run|was skipped)/.test(finding.reason))) {
    steps.push('Next: run the whole suite (drop the filter), or set PREFLIGHT_ALLOW_PARTIAL=true for a deliberate partial run, which is not a gate.');
  }
  const logs = logsWritten ? `   (services' logs: ${shellQuote(`${relative(paths.logs)}/`)})` : '';
  steps.push(`Next: npx playwright show-report ${shellQuote(relative(paths.html))}${logs}`);
  return steps;
}

function describe(finding: Finding): string {
  const where = finding.file ? ` (${finding.project ? `${finding.project}, ` : ''}${finding.file}:${finding.line})` : '';
  return `  - ${finding.title}${where}: ${finding.reason}`;
}

/** The last lines of every run: the findings, the diagnoses, what to run next, and the verdict in one line. */
export function formatConsoleVerdict(
  verdict: Verdict,
  services: ServiceRecord[],
  setupProblems: SetupProblem[],
  paths: ReportPaths,
  /** Whether the services' logs folder exists, to point at it. */
  logsWritten: boolean,
  /** Why configuration drift was not checked, if it was not. */
  driftNotChecked?: string,
): string {
  const lines = [''];
  const notice = partialNotice(verdict);
  if (notice) lines.push(`preflight: ${notice}`);
  lines.push(`preflight: ${HEADLINES[verdict.verdict]}`);
  if (verdict.criticalFailures.length) lines.push('Critical failures:', ...verdict.criticalFailures.map(describe));
  if (verdict.warnings.length) lines.push('Warnings:', ...verdict.warnings.map(describe));
  if (verdict.notRun.length) lines.push('Not run (partial run):', ...verdict.notRun.map(describe));
  if (verdict.safetySkipped.length) lines.push('Skipped by the harness for safety:', ...verdict.safetySkipped.map(describe));
  if (driftNotChecked) lines.push(`preflight: ${driftNotChecked}`);

  const diagnoses = [
    ...setupProblems.map((problem) => problem.diagnosis),
    ...services.flatMap((service) => [service.failure?.diagnosis, service.diedDuringRun?.diagnosis]).filter((text): text is string => Boolean(text)),
  ];
  if (diagnoses.length) lines.push('', 'Diagnosis:', ...diagnoses.map((text) => text.replace(/^/gm, '  ')));

  if (verdict.exitCode !== 0 && verdict.exitCode !== 130) lines.push('', ...nextSteps(verdict, setupProblems, paths, logsWritten));
  lines.push(verdictLine(verdict), '');
  return lines.join('\n');
}

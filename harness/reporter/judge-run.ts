import { decideVerdict, type CriticalCompleteness, type RunStatus, type SpecResult, type Verdict } from '../verdict/verdict.ts';
import { formatConsoleVerdict } from './console-verdict.ts';
import type { ReportPaths } from '../core/report-paths.ts';
import { formatSummaryMarkdown } from './summary-markdown.ts';
import type { GateFacts } from './verdict-inputs.ts';
import { buildVerdictReport, type VerdictReport } from './verdict-report.ts';

/** Everything a finished run (or merge) knows, gathered by the gate reporter. */
export interface RunRecord {
  specs: SpecResult[];
  /** Playwright's status as the verdict sees it (an early stop by the harness is 'failed'). */
  runStatus: RunStatus;
  facts: GateFacts;
  completeness: CriticalCompleteness;
  /** Errors outside any spec, first lines. */
  runErrors: string[];
  startedAt: string;
  endedAt: string;
  timing: { firstTestStartedAt?: string; lastTestEndedAt?: string };
  paths: ReportPaths;
  /** Whether reports/logs/ exists, so the console can point at it. */
  logsWritten: boolean;
}

/** What the gate reporter writes and prints, and the exit code it ends with. */
export interface RunJudgement {
  verdict: Verdict;
  /** reports/verdict.json's body, redacted. */
  report: VerdictReport;
  /** reports/summary.md (and the GitHub job summary), from the redacted report. */
  summary: string;
  /** The last lines of the run on the console. */
  consoleText: string;
  exitCode: Verdict['exitCode'];
}

/**
 * Stage 6 of harness/gate/pipeline.ts: the run's facts in, the reports, the console text and the exit code out.
 * Pure: it reads no file, environment or clock; `redact` hides secrets (harness/secrets) before anything is written.
 */
export function judgeRun(record: RunRecord, redact: <T>(value: T) => T): RunJudgement {
  const { facts } = record;
  const verdict = decideVerdict({
    specs: record.specs,
    services: facts.services,
    setupProblems: facts.setupProblems,
    drift: facts.drift,
    stoppedEarly: facts.stoppedEarly,
    runErrors: record.runErrors,
    runStatus: record.runStatus,
    strict: facts.strict,
    allowPartial: facts.allowPartial,
    completeness: record.completeness,
  });
  // Redacted once, here: verdict.json, summary.md and the step summary are all written from it.
  const report = redact(
    buildVerdictReport({
      verdict,
      specs: record.specs,
      services: facts.services,
      startedAt: facts.startedAt ?? record.startedAt,
      endedAt: record.endedAt,
      runStatus: record.runStatus,
      shards: facts.shards,
      timing: record.timing,
      driftNotChecked: facts.driftNotChecked,
    }),
  );
  return {
    verdict,
    report,
    summary: formatSummaryMarkdown(report),
    consoleText: formatConsoleVerdict(verdict, facts.services, facts.setupProblems, record.paths, record.logsWritten, facts.driftNotChecked),
    exitCode: verdict.exitCode,
  };
}

/** The judgement of a run whose gate reporter itself failed: never green. */
export function judgeBrokenReporter(error: Error): Pick<RunJudgement, 'consoleText' | 'exitCode'> {
  return {
    consoleText: `\npreflight: the gate reporter failed, so the verdict is unknown: ${error.stack}\npreflight verdict: critical, exit code 3\n`,
    exitCode: 3,
  };
}

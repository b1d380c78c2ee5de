import fs from 'node:fs';
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError } from '@playwright/test/reporter';
import { loadConfig } from '../config/load-config.ts';
import { reportPaths, type ReportPaths } from '../run/report-paths.ts';
import { redactDeep } from '../run/redact.ts';
import { currentRun, effectiveRunStatus } from '../run/run-state.ts';
import { decideVerdict, SAFETY_SKIP_ANNOTATION, type SpecResult, type Verdict } from '../verdict/verdict.ts';
import { formatConsoleVerdict } from './console-verdict.ts';
import { buildVerdictReport } from './verdict-report.ts';

/**
 * Feeds the run's results to the verdict, writes reports/verdict.json, prints the verdict, and makes
 * `npx playwright test` exit with the verdict's code. Must be the last reporter: it ends the process.
 */
export default class GateReporter implements Reporter {
  private suite?: Suite;
  private readonly paths: ReportPaths = reportPaths();
  private readonly runErrors: string[] = [];
  private verdict?: Verdict;

  printsToStdio(): boolean {
    return true;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.suite = suite;
  }

  onError(error: TestError): void {
    // Problems the harness already diagnosed (setup) are reported from the run state, not twice.
    if (error.message?.startsWith('preflight:')) return;
    this.runErrors.push(firstLine(error.message ?? error.value ?? 'unknown error'));
  }

  async onEnd(result: FullResult): Promise<void> {
    try {
      this.decide(result);
    } catch (error) {
      // A fault in the gate itself must never let the run look green.
      this.verdict = { exitCode: 3, verdict: 'critical', strict: false, warnings: [], criticalFailures: [] };
      process.stdout.write(`\npreflight: the gate reporter failed, so the verdict is unknown: ${(error as Error).stack}\npreflight verdict: critical, exit code 3\n`);
    }
  }

  private decide(result: FullResult): void {
    const run = currentRun();
    const specs = (this.suite?.allTests() ?? []).map(toSpecResult);
    const services = [...run.services.values()];
    const runStatus = effectiveRunStatus(result.status);
    this.verdict = decideVerdict({
      specs,
      services,
      setupProblems: run.setupProblems,
      drift: run.drift,
      runErrors: this.runErrors,
      runStatus,
      strict: strictMode(),
    });
    const report = buildVerdictReport({ verdict: this.verdict, specs, services, startedAt: run.startedAt, runStatus });
    fs.mkdirSync(this.paths.dir, { recursive: true });
    fs.writeFileSync(this.paths.verdict, `${JSON.stringify(redactDeep(report), null, 2)}\n`);
    process.stdout.write(formatConsoleVerdict(this.verdict, services, run.setupProblems, this.paths));
  }

  async onExit(): Promise<void> {
    if (this.verdict) process.exit(this.verdict.exitCode);
  }
}

/** Strict mode from the validated configuration; an invalid configuration is critical anyway. */
function strictMode(): boolean {
  const loaded = loadConfig();
  return loaded.ok && loaded.config.strict;
}

function toSpecResult(test: TestCase): SpecResult {
  const last = test.results.at(-1);
  const error = last?.errors[0]?.message ?? last?.error?.message;
  return {
    title: test.titlePath().slice(3).join(' › ') || test.title,
    file: path.relative(process.cwd(), test.location.file),
    line: test.location.line,
    project: test.parent.project()?.name ?? '',
    tags: test.tags,
    outcome: test.outcome(),
    error: error ? firstLine(stripAnsi(error)) : undefined,
    safetySkip: test.annotations.find((annotation) => annotation.type === SAFETY_SKIP_ANNOTATION)?.description,
  };
}

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const firstLine = (text: string) => stripAnsi(text).split('\n').find((line) => line.trim())?.trim() ?? '';

import fs from 'node:fs';
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { loadConfig } from '../config/load-config.ts';
import { reportPaths, type ReportPaths } from '../run/report-paths.ts';
import { currentRun } from '../run/run-state.ts';
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
  private firstTestStartedAt?: Date;
  private lastTestEndedAt?: Date;

  printsToStdio(): boolean {
    return true;
  }

  onBegin(_config: FullConfig, suite: Suite): void {
    this.suite = suite;
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    const bodyStarted = specBodyStartedAt(result);
    if (!this.firstTestStartedAt || bodyStarted < this.firstTestStartedAt) this.firstTestStartedAt = bodyStarted;
    const ended = new Date(result.startTime.getTime() + result.duration);
    if (!this.lastTestEndedAt || ended > this.lastTestEndedAt) this.lastTestEndedAt = ended;
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
    this.verdict = decideVerdict({
      specs,
      services,
      setupProblems: run.setupProblems,
      runErrors: this.runErrors,
      runStatus: result.status,
      strict: strictMode(),
    });
    const report = buildVerdictReport({
      verdict: this.verdict,
      specs,
      services,
      startedAt: run.startedAt,
      runStatus: result.status,
      timing: { firstTestStartedAt: this.firstTestStartedAt?.toISOString(), lastTestEndedAt: this.lastTestEndedAt?.toISOString() },
    });
    fs.mkdirSync(this.paths.dir, { recursive: true });
    fs.writeFileSync(this.paths.verdict, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(formatConsoleVerdict(this.verdict, services, run.setupProblems, this.paths));
  }

  async onExit(): Promise<void> {
    if (this.verdict) process.exit(this.verdict.exitCode);
  }
}

/** When the spec's own body began: after its fixtures (the boot wait among them) were set up. */
export function specBodyStartedAt(result: TestResult): Date {
  const hooks = result.steps.find((step) => step.category === 'hook' && step.title === 'Before Hooks');
  return hooks ? new Date(hooks.startTime.getTime() + hooks.duration) : result.startTime;
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

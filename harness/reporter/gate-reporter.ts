import fs from 'node:fs';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { ciEnvironment } from '../config/ci-environment.ts';
import { PRODUCTION_PROJECT } from '../production/production-project.ts';
import { reportPaths, type ReportPaths } from './report-paths.ts';
import { installConsoleRedaction, redactDeep } from '../secrets/redact.ts';
import { redactArtifacts } from '../secrets/redact-artifacts.ts';
import { currentRun, effectiveRunStatus } from '../gate/run-state.ts';
import { findMissingCriticalSpecs, type SpecRef } from '../verdict/completeness.ts';
import { CRITICAL_TAG, SAFETY_SKIP_ANNOTATION } from '../core/findings.ts';
import { WRITE_BLOCKED_ANNOTATION } from '../production/write-guard.ts';
import { decideVerdict, type CriticalCompleteness, type SpecResult, type Verdict } from '../verdict/verdict.ts';
import { commandLineMayFilter, projectsFromArgv } from './command-line.ts';
import { formatConsoleVerdict } from './console-verdict.ts';
import { gateSettings, mergedFacts, runFacts } from './verdict-inputs.ts';
import { publishRecord, readRecords } from './shard-record.ts';
import { specRef } from './spec-identity.ts';
import { selectionIsTheSuite, startSpecListing, type SpecListing } from './spec-listing.ts';
import { formatSummaryMarkdown } from './summary-markdown.ts';
import { buildVerdictReport } from './verdict-report.ts';

/** `test`: a run (or one shard); `merge`: `npx playwright merge-reports`; `list`: `--list`, where there is no verdict. */
type Mode = 'test' | 'merge' | 'list';

const LISTING_TIMEOUT_MS = 60_000;

/**
 * Feeds the run's results to the verdict, writes reports/verdict.json and reports/summary.md, prints the verdict,
 * and makes `npx playwright test` (and `npx playwright merge-reports`) exit with the verdict's code.
 * Must be the last reporter: it ends the process.
 */
export default class GateReporter implements Reporter {
  private readonly mode: Mode;
  private readonly paths: ReportPaths = reportPaths();
  private readonly runErrors: string[] = [];
  private config?: FullConfig;
  private suite?: Suite;
  /** The specs Playwright selected before sharding: what the command line's filters left. */
  private selected?: SpecRef[];
  private listing?: SpecListing;
  private verdict?: Verdict;
  private consoleText = '';
  private firstTestStartedAt?: Date;
  private lastTestEndedAt?: Date;

  constructor(options: { _mode?: string } = {}) {
    // Playwright tells reporters how they run through this option; merge-reports has no global setup.
    this.mode = options._mode === 'merge' ? 'merge' : options._mode === 'list' ? 'list' : 'test';
    // merge-reports has no global setup: its console is redacted here.
    if (this.mode === 'merge') installConsoleRedaction();
  }

  printsToStdio(): boolean {
    return this.mode !== 'list';
  }

  async preprocess({ config, suite }: { config: FullConfig; suite: Suite }): Promise<void> {
    if (this.mode !== 'test') return;
    this.config = config;
    this.selected = suite.allTests().map(specRef);
    const projects = projectsFromArgv(process.argv);
    // Without filters on the command line the run's selection is the whole suite: no separate listing to wait for.
    this.listing =
      config.shard || commandLineMayFilter(process.argv)
        ? startSpecListing({ configFile: config.configFile, projects })
        : selectionIsTheSuite(this.selected);
    // Only a shard needs its record in the report's metadata (for merge-reports); the HTML report embeds it too.
    if (!config.shard) return;
    const run = currentRun();
    publishRecord(config.metadata, config.shard, () =>
      redactDeep({
        shard: config.shard,
        ...gateSettings(),
        projects,
        startedAt: run.startedAt,
        services: [...run.services.values()],
        setupProblems: run.setupProblems,
        drift: run.drift,
      }),
    );
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.suite = suite;
    if (this.mode !== 'merge') return;
    const projects = [...new Set(readRecords(config.metadata).flatMap((record) => record.projects))];
    this.listing = startSpecListing({ configFile: config.configFile, projects });
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    const bodyStarted = specBodyStartedAt(result);
    if (!this.firstTestStartedAt || bodyStarted < this.firstTestStartedAt) this.firstTestStartedAt = bodyStarted;
    const ended = new Date(result.startTime.getTime() + result.duration);
    if (!this.lastTestEndedAt || ended > this.lastTestEndedAt) this.lastTestEndedAt = ended;
  }

  onError(error: TestError): void {
    // Problems the harness already diagnosed (setup) are reported from the run state, not twice.
    if (/^(PreflightError: )?preflight:/.test(error.message ?? '')) return;
    // Playwright's own "No tests found" is the verdict's "no specs ran" (allowed in a partial run), not a run error.
    if (/^(Error: )?No tests found/.test(error.message ?? '')) return;
    this.runErrors.push(firstLine(error.message ?? error.value ?? 'unknown error'));
  }

  async onEnd(result: FullResult): Promise<void> {
    if (this.mode === 'list') return;
    // Every reporter before this one has written its files: traces, junit.xml and the HTML report's data lose their secrets here.
    for (const file of redactArtifacts([this.paths.html, this.paths.testResults, this.paths.blob, this.paths.junit])) {
      process.stderr.write(`preflight: deleted ${file}: it could not be redacted (docs/safety.md)\n`);
    }
    try {
      await this.decide(result);
    } catch (error) {
      // A fault in the gate itself must never let the run look green.
      this.verdict = { exitCode: 3, verdict: 'critical', strict: false, partial: false, warnings: [], criticalFailures: [], notRun: [], safetySkipped: [] };
      this.consoleText = `\npreflight: the gate reporter failed, so the verdict is unknown: ${(error as Error).stack}\npreflight verdict: critical, exit code 3\n`;
    } finally {
      this.listing?.cancel();
    }
  }

  private async decide(result: FullResult): Promise<void> {
    const specs = (this.suite?.allTests() ?? []).map(toSpecResult);
    const runStatus = effectiveRunStatus(result.status);
    const facts = this.mode === 'merge' ? mergedFacts(this.config?.metadata ?? {}) : runFacts(this.config?.shard ?? null);
    const completeness: CriticalCompleteness = { missing: [], problems: facts.problems };
    // Completeness only matters for a run that went its way: an invalid setup or Ctrl+C is decided without it.
    if (runStatus !== 'interrupted' && facts.setupProblems.length === 0 && this.listing) {
      const listed = await this.listing.result(LISTING_TIMEOUT_MS);
      if (listed.ok) {
        completeness.missing = findMissingCriticalSpecs({
          listed: listed.specs,
          ran: specs,
          selected: this.selected,
          shard: this.config?.shard ?? undefined,
          merged: this.mode === 'merge',
        });
      } else completeness.problems.push(listed.problem);
    }
    this.verdict = decideVerdict({
      specs,
      services: facts.services,
      setupProblems: facts.setupProblems,
      drift: facts.drift,
      stoppedEarly: facts.stoppedEarly,
      runErrors: this.runErrors,
      runStatus,
      strict: facts.strict,
      allowPartial: facts.allowPartial,
      completeness,
    });
    // Redacted once, here: verdict.json, summary.md and the step summary are all written from it.
    const report = redactDeep(buildVerdictReport({
      verdict: this.verdict,
      specs,
      services: facts.services,
      startedAt: facts.startedAt ?? result.startTime.toISOString(),
      endedAt: new Date(result.startTime.getTime() + result.duration).toISOString(),
      runStatus,
      shards: facts.shards,
      timing: { firstTestStartedAt: this.firstTestStartedAt?.toISOString(), lastTestEndedAt: this.lastTestEndedAt?.toISOString() },
    }));
    fs.mkdirSync(this.paths.dir, { recursive: true });
    fs.writeFileSync(this.paths.verdict, `${JSON.stringify(report, null, 2)}\n`);
    const summary = formatSummaryMarkdown(report);
    fs.writeFileSync(this.paths.summary, summary);
    const { githubStepSummary } = ciEnvironment();
    if (githubStepSummary) fs.appendFileSync(githubStepSummary, `${summary}\n`);
    this.consoleText = formatConsoleVerdict(this.verdict, facts.services, facts.setupProblems, this.paths);
  }

  async onExit(): Promise<void> {
    if (this.mode === 'list' || !this.verdict) return;
    // Printed here, after every other reporter has finished, so the verdict is the last line of the run.
    process.stdout.write(this.consoleText);
    currentRun().verdictExitCode = this.verdict.exitCode;
    process.exit(this.verdict.exitCode);
  }
}

/** When the spec's own body began: after its fixtures (the boot wait among them) were set up. */
export function specBodyStartedAt(result: TestResult): Date {
  const hooks = result.steps.find((step) => step.category === 'hook' && step.title === 'Before Hooks');
  return hooks ? new Date(hooks.startTime.getTime() + hooks.duration) : result.startTime;
}

function toSpecResult(test: TestCase): SpecResult {
  const last = test.results.at(-1);
  const error = last?.errors[0]?.message ?? last?.error?.message;
  const { tags, ...where } = specRef(test);
  // A write to production the guard blocked is critical whatever the spec's tags, and its finding names the request.
  const blockedWrite = where.project === PRODUCTION_PROJECT ? last?.annotations.find((annotation) => annotation.type === WRITE_BLOCKED_ANNOTATION)?.description : undefined;
  return {
    ...where,
    tags: blockedWrite ? [...new Set([...tags, CRITICAL_TAG])] : tags,
    outcome: test.outcome(),
    error: blockedWrite ?? (error ? firstLine(stripAnsi(error)) : undefined),
    // Declared annotations live on the test, those added while it ran (a runtime skip) on its result. The harness
    // makes a safety skip only on the production project: anywhere else the annotation cannot excuse a critical skip.
    safetySkip:
      where.project === PRODUCTION_PROJECT
        ? [...test.annotations, ...(last?.annotations ?? [])].find((annotation) => annotation.type === SAFETY_SKIP_ANNOTATION)?.description
        : undefined,
  };
}

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const firstLine = (text: string) => stripAnsi(text).split('\n').find((line) => line.trim())?.trim() ?? '';

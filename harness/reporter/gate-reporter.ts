import fs from 'node:fs';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { ciEnvironment } from '../config/ci-environment.ts';
import { redactArtifacts } from '../secrets/redact-artifacts.ts';
import { CRITICAL_TAG, SAFETY_SKIP_ANNOTATION } from '../core/findings.ts';
import { attributeBlockedWrites, blockedWriteMessage, type AttributedWrite } from '../production/blocked-writes.ts';
import type { GateRun } from '../gate/gate-run.ts';
import {
  commandLineMayFilter,
  isNoTestsFound,
  projectsFromArgv,
  reporterMode,
  specBodyStartedAt,
  specEndedAt,
  type ReporterMode,
} from '../gate/playwright-private.ts';
import { runOfThisProcess, specsHaveBegun } from '../gate/runner-process.ts';
import { PRODUCTION_PROJECT } from '../production/production-project.ts';
import { installConsoleRedaction, redactDeep } from '../secrets/redact.ts';
import { findMissingCriticalSpecs, type SpecRef } from '../verdict/completeness.ts';
import type { CriticalCompleteness, SpecResult } from '../verdict/verdict.ts';
import { judgeBrokenReporter, judgeRun, type RunJudgement } from './judge-run.ts';
import { reportPaths, type ReportPaths } from '../core/report-paths.ts';
import { writeReportFile } from '../core/report-files.ts';
import { publishRecord, readRecords } from './shard-record.ts';
import { specKey, specRef } from './spec-identity.ts';
import { selectionIsTheSuite, startSpecListing, type SpecListing } from './spec-listing.ts';
import { gateSettings, mergedFacts, runFacts, statusForVerdict } from './verdict-inputs.ts';
import { htmlReportFolder, writeHtmlVerdict } from './html-verdict.ts';
import { evidenceFromAttachments } from '../browser-evidence/evidence.ts';
import { recordRun } from '../history/history-file.ts';
import { buildHistoryRecord } from '../history/history-record.ts';

const LISTING_TIMEOUT_MS = 60_000;

/**
 * Stages 6 and 7 of harness/gate/pipeline.ts for Playwright: gathers the run's results, has judgeRun
 * (./judge-run.ts) turn them into the reports, the console text and the exit code, writes them, and makes
 * `npx playwright test` (and `npx playwright merge-reports`) exit with the verdict's code.
 * Must be the last reporter: it ends the process.
 */
export default class GateReporter implements Reporter {
  private readonly mode: ReporterMode;
  /** The run of this process; none in `--list`, which has no verdict. */
  private readonly run?: GateRun;
  private readonly paths: ReportPaths = reportPaths();
  private readonly runErrors: string[] = [];
  private config?: FullConfig;
  private suite?: Suite;
  /** The specs Playwright selected before sharding: what the command line's filters left. */
  private selected?: SpecRef[];
  private listing?: SpecListing;
  private judgement?: Pick<RunJudgement, 'consoleText' | 'exitCode'>;
  private firstTestStartedAt?: Date;
  private lastTestEndedAt?: Date;

  constructor(options: { _mode?: string } = {}) {
    this.mode = reporterMode(options);
    if (this.mode === 'list') return;
    // The run arms the exit guard: a merge that fails before its verdict exits 3 too.
    this.run = runOfThisProcess();
    // merge-reports has no global setup: its console is redacted here.
    if (this.mode === 'merge') installConsoleRedaction();
  }

  printsToStdio(): boolean {
    return this.mode !== 'list';
  }

  async preprocess({ config, suite }: { config: FullConfig; suite: Suite }): Promise<void> {
    if (this.mode !== 'test' || !this.run) return;
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
    const run = this.run;
    publishRecord(config.metadata, config.shard, () =>
      redactDeep({
        shard: config.shard,
        ...gateSettings(),
        projects,
        startedAt: run.startedAt,
        services: run.serviceList(),
        setupProblems: run.setupProblems,
        drift: run.drift,
        stoppedEarly: run.stoppedEarly,
        productionWrites: attributeWrites(suite, run),
        driftNotChecked: run.driftNotChecked,
      }),
    );
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.suite = suite;
    // After Playwright's "Running N tests" line: the boot's progress lines may print from now on.
    if (this.mode === 'test') this.run?.progress.begin();
    if (this.mode !== 'merge') return;
    const projects = [...new Set(readRecords(config.metadata).flatMap((record) => record.projects))];
    this.listing = startSpecListing({ configFile: config.configFile, projects });
  }

  onTestBegin(): void {
    if (this.mode === 'test' && this.run) specsHaveBegun(this.run);
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    const bodyStarted = specBodyStartedAt(result);
    if (!this.firstTestStartedAt || bodyStarted < this.firstTestStartedAt) this.firstTestStartedAt = bodyStarted;
    const ended = specEndedAt(result);
    if (!this.lastTestEndedAt || ended > this.lastTestEndedAt) this.lastTestEndedAt = ended;
  }

  onError(error: TestError): void {
    // Problems the harness already diagnosed (setup) are reported from the run, not twice.
    if (/^(PreflightError: )?preflight:/.test(error.message ?? '')) return;
    if (isNoTestsFound(error.message ?? '')) return;
    this.runErrors.push(firstLine(error.message ?? error.value ?? 'unknown error'));
  }

  async onEnd(result: FullResult): Promise<void> {
    if (!this.run) return;
    this.run.progress.stop();
    // Every reporter before this one has written its files: traces, junit.xml and the HTML report's data lose their secrets here.
    for (const file of redactArtifacts([this.paths.html, this.paths.testResults, this.paths.blob, this.paths.junit])) {
      process.stderr.write(`preflight: deleted ${file}: it could not be redacted (docs/safety.md)\n`);
    }
    try {
      const judgement = judgeRun(await this.gather(this.run, result), redactDeep);
      const notes = this.write(judgement, result.startTime);
      this.judgement = { exitCode: judgement.exitCode, consoleText: notes + judgement.consoleText };
    } catch (error) {
      // A fault in the gate itself must never let the run look green.
      this.judgement = judgeBrokenReporter(error as Error);
    } finally {
      this.listing?.cancel();
    }
  }

  async onExit(): Promise<void> {
    if (!this.run || !this.judgement) return;
    // Printed here, after every other reporter has finished, so the verdict is the last line of the run.
    process.stdout.write(this.judgement.consoleText);
    this.run.verdictExitCode = this.judgement.exitCode;
    process.exit(this.judgement.exitCode);
  }

  /** The run's facts: the specs' results, the gate's own record (or the shards'), and whether every @critical spec ran. */
  private async gather(run: GateRun, result: FullResult) {
    const facts = this.mode === 'merge' ? mergedFacts(this.config?.metadata ?? {}) : runFacts(run, this.config?.shard ?? null, attributeWrites(this.suite, run));
    const writesBySpec = new Map<string, string[]>();
    for (const write of facts.blockedWrites ?? []) if (write.spec) writesBySpec.set(write.spec, [...(writesBySpec.get(write.spec) ?? []), write.request]);
    const specs = (this.suite?.allTests() ?? []).map((test) => toSpecResult(test, writesBySpec.get(specKey(specRef(test)))));
    // A write no spec had begun in its worker (a worker's setup) fails the gate all the same.
    const outside = (facts.blockedWrites ?? []).filter((write) => !write.spec).map((write) => write.request);
    const runErrors = outside.length ? [...this.runErrors, `${blockedWriteMessage(outside)} (sent while no spec ran in its worker)`] : this.runErrors;
    const runStatus = statusForVerdict(result.status, facts);
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
    return {
      specs,
      runStatus,
      facts,
      completeness,
      runErrors,
      startedAt: result.startTime.toISOString(),
      endedAt: new Date(result.startTime.getTime() + result.duration).toISOString(),
      timing: { firstTestStartedAt: this.firstTestStartedAt?.toISOString(), lastTestEndedAt: this.lastTestEndedAt?.toISOString() },
      paths: this.paths,
      logsWritten: fs.existsSync(this.paths.logs),
    };
  }

  private write(judgement: RunJudgement, startTime: Date): string {
    fs.mkdirSync(this.paths.dir, { recursive: true });
    writeReportFile(this.paths.verdict, `${JSON.stringify(judgement.report, null, 2)}\n`);
    writeReportFile(this.paths.summary, judgement.summary);
    const { githubStepSummary } = ciEnvironment();
    if (githubStepSummary) fs.appendFileSync(githubStepSummary, `${judgement.summary}\n`);
    // Extras around the verdict (docs/html-report.md): each returns a problem to print and never changes the verdict.
    const notes = [
      writeHtmlVerdict(this.config && htmlReportFolder(this.config), judgement.report, startTime),
      // One record per whole run: a shard's part is recorded by the merge.
      this.config?.shard ? undefined : recordRun(() => buildHistoryRecord(judgement.report, this.suite?.allTests() ?? [])),
    ].filter(Boolean);
    return notes.map((note) => `\n${note}`).join('');
  }
}

/** The blocked writes of the run (this run's, as a shard records them too), each with the spec its worker ran then. */
function attributeWrites(suite: Suite | undefined, run: GateRun): AttributedWrite[] {
  return attributeBlockedWrites(suite?.allTests() ?? [], run.productionWrites, (test) => specKey(specRef(test)));
}

function toSpecResult(test: TestCase, blockedWrites: string[] | undefined): SpecResult {
  const last = test.results.at(-1);
  const error = last?.errors[0]?.message ?? last?.error?.message;
  const { tags, ...where } = specRef(test);
  // A write the read-only proxy refused fails its spec, critical whatever its tags and outcome, naming the request.
  const blocked = blockedWrites?.length ? blockedWriteMessage(blockedWrites) : undefined;
  return {
    ...where,
    tags: blocked ? [...new Set([...tags, CRITICAL_TAG])] : tags,
    outcome: blocked ? 'unexpected' : test.outcome(),
    error: blocked ?? (error ? firstLine(stripAnsi(error)) : undefined),
    // Declared annotations live on the test, those added while it ran (a runtime skip) on its result. The harness
    // makes a safety skip only on the production project: anywhere else the annotation cannot excuse a critical skip.
    safetySkip:
      where.project === PRODUCTION_PROJECT
        ? [...test.annotations, ...(last?.annotations ?? [])].find((annotation) => annotation.type === SAFETY_SKIP_ANNOTATION)?.description
        : undefined,
    browserEvidence: last && evidenceFromAttachments(last.attachments),
  };
}

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const firstLine = (text: string) => stripAnsi(text).split('\n').find((line) => line.trim())?.trim() ?? '';

import { CRITICAL_TAG, type Finding, type VerdictName } from '../core/findings.ts';
import type { DriftFinding } from '../core/findings.ts';
import type { ServiceRecord, SetupProblem } from '../core/service-record.ts';
import { evidenceReason, type BrowserEvidence } from '../browser-evidence/evidence.ts';


export type SpecOutcome = 'expected' | 'unexpected' | 'flaky' | 'skipped';

/** One spec as the gate sees it, after its retries. */
export interface SpecResult {
  title: string;
  file: string;
  line: number;
  project: string;
  tags: string[];
  outcome: SpecOutcome;
  /** First line of the last error, when it failed. */
  error?: string;
  /** Why the harness skipped it for safety (SAFETY_SKIP_ANNOTATION), if it did. */
  safetySkip?: string;
  /** What its browser saw (harness/browser-evidence), if anything. */
  browserEvidence?: BrowserEvidence;
}

export type RunStatus = 'passed' | 'failed' | 'timedout' | 'interrupted';

/** A @critical spec that should have run and did not (found by ./completeness.ts). */
export interface MissingCriticalSpec {
  title: string;
  file: string;
  line: number;
  project: string;
  /** Why it did not run, e.g. "filtered out of this run by the command line". */
  why: string;
}

/** Whether every @critical spec ran: what is missing, and why the check itself may be incomplete. */
export interface CriticalCompleteness {
  missing: MissingCriticalSpec[];
  /** Reasons the full set of @critical specs is unknown or incomplete (listing failed, a shard's report is missing). */
  problems: string[];
}

export interface VerdictInput {
  specs: SpecResult[];
  services: ServiceRecord[];
  setupProblems: SetupProblem[];
  /** Errors outside any spec: a global setup that threw, a worker that crashed. */
  runErrors: string[];
  runStatus: RunStatus;
  strict: boolean;
  /** Configuration drift found before boot: each finding is critical or a warning, as its rule says. */
  drift?: DriftFinding[];
  /** PREFLIGHT_ALLOW_PARTIAL: critical specs that did not run are listed as not run; the run is not a gate. */
  allowPartial?: boolean;
  completeness?: CriticalCompleteness;
  /** Why the harness stopped the run before the specs ran (a service never became ready), if it did. */
  stoppedEarly?: string;
}


export interface Verdict {
  exitCode: 0 | 1 | 2 | 3 | 130;
  verdict: VerdictName;
  strict: boolean;
  /** A partial run (PREFLIGHT_ALLOW_PARTIAL=true and something critical did not run): its exit code is not a gate. */
  partial: boolean;
  criticalFailures: Finding[];
  warnings: Finding[];
  /** With PREFLIGHT_ALLOW_PARTIAL=true: the @critical specs that did not run (otherwise they are critical failures). */
  notRun: Finding[];
  /** @critical specs the harness skipped for safety (SAFETY_SKIP_ANNOTATION): listed, not missing. */
  safetySkipped: Finding[];
}

const specFinding = (spec: SpecResult, reason: string): Finding => ({
  kind: 'spec',
  title: spec.title,
  reason,
  file: spec.file,
  line: spec.line,
  project: spec.project,
});

/** A spec the fixtures refused to run because the services were not there: the harness's finding, not the spec's. */
const notRunByHarness = (spec: SpecResult) => spec.outcome === 'unexpected' && /^(PreflightError: )?preflight: not run\b/.test(spec.error ?? '');


export const isCritical = (spec: SpecResult) => spec.tags.includes(CRITICAL_TAG);

/** The exit-code table of docs/design.md as a pure function of what the run found. */
export function decideVerdict(input: VerdictInput): Verdict {
  const critical: Finding[] = [];
  const warnings: Finding[] = [];

  // The full diagnosis is printed on its own; the finding carries its first line.
  for (const problem of input.setupProblems) {
    critical.push({ kind: 'setup', title: problem.what, reason: problem.diagnosis.split('\n')[0].replace(/^preflight: /, '') });
  }
  for (const service of input.services) {
    if (service.failure) critical.push({ kind: 'service', title: service.name, reason: service.failure.summary });
    else if (service.contract === 'down' || service.contract === 'violation') {
      critical.push({ kind: 'service', title: service.name, reason: service.contractReason ?? service.contract });
    } else if (service.contract === 'degraded') {
      warnings.push({ kind: 'service', title: service.name, reason: `readiness contract said ${service.contractReason ?? 'ready-degraded'}` });
    }
    if (service.diedDuringRun) critical.push({ kind: 'service', title: service.name, reason: service.diedDuringRun.diagnosis.split('\n')[0] });
  }
  for (const drift of input.drift ?? []) (drift.severity === 'critical' ? critical : warnings).push({ kind: 'drift', title: drift.fact, reason: drift.reason });
  for (const error of input.runErrors) critical.push({ kind: 'run', title: 'error outside the specs', reason: error });
  if (input.runStatus === 'timedout') critical.push({ kind: 'run', title: 'global timeout', reason: 'the run hit its global timeout before every spec finished' });

  const notRun: Finding[] = [];
  const safetySkipped: Finding[] = [];
  // A critical spec that did not run fails the gate, unless the user asked for a partial run.
  const didNotRun = (finding: Finding) => (input.allowPartial ? notRun : critical).push(finding);

  // Specs a stopped run never reached are one finding (the cause is already one), not one per spec.
  let stoppedBeforeRunning = 0;
  for (const spec of input.specs) {
    const failed = spec.error ? `failed: ${spec.error}` : 'failed';
    if (isCritical(spec)) {
      if (spec.outcome === 'unexpected' && !(input.stoppedEarly && notRunByHarness(spec))) critical.push(specFinding(spec, failed));
      else if (spec.outcome === 'skipped' && spec.safetySkip !== undefined) safetySkipped.push(specFinding(spec, `skipped by the harness for safety: ${spec.safetySkip}`));
      else if (input.stoppedEarly && (spec.outcome === 'skipped' || notRunByHarness(spec))) stoppedBeforeRunning++;
      else if (spec.outcome === 'skipped') didNotRun(specFinding(spec, 'a @critical spec was skipped (test.skip, test.fixme, a condition, or the run stopped early); critical specs cannot be skipped'));
      else if (spec.outcome === 'flaky') warnings.push(specFinding(spec, 'flaky: passed only on retry'));
    } else if (spec.outcome === 'unexpected') {
      warnings.push(specFinding(spec, `non-critical spec ${failed}`));
    } else if (spec.outcome === 'flaky') {
      warnings.push(specFinding(spec, 'flaky: passed only on retry'));
    }
    // A failed spec already fails; one that passed while its browser saw errors is a warning, or critical if it says so.
    const seen = spec.browserEvidence;
    if (seen && seen.severity !== 'ignore' && (spec.outcome === 'expected' || spec.outcome === 'flaky')) {
      (seen.severity === 'critical' ? critical : warnings).push(specFinding(spec, evidenceReason(seen)));
    }
  }

  if (stoppedBeforeRunning > 0 || (input.stoppedEarly && input.specs.length === 0)) {
    const count = stoppedBeforeRunning > 0 ? `${stoppedBeforeRunning} @critical spec(s) did not run` : 'no spec ran';
    critical.push({ kind: 'run', title: 'critical specs not run', reason: `${count}: the harness stopped the run because ${input.stoppedEarly}` });
  }
  // A run the harness itself stopped before the specs (setup, critical drift, a service) says why once, above.
  const stoppedByHarness =
    input.setupProblems.length > 0 || input.stoppedEarly !== undefined || (input.drift ?? []).some((drift) => drift.severity === 'critical');

  const interrupted = input.runStatus === 'interrupted';
  if (!interrupted) {
    for (const missing of input.completeness?.missing ?? []) {
      const { why, ...where } = missing;
      didNotRun({ kind: 'spec', ...where, reason: `a @critical spec did not run: ${why}` });
    }
    for (const problem of input.completeness?.problems ?? []) didNotRun({ kind: 'run', title: 'completeness check', reason: problem });
    if (input.specs.length === 0 && !stoppedByHarness) didNotRun({ kind: 'run', title: 'no specs ran', reason: 'the run executed no test at all, so it proves nothing' });
  }

  const partial = Boolean(input.allowPartial) && notRun.length > 0;
  const base = { strict: input.strict, partial, criticalFailures: critical, warnings, notRun, safetySkipped };
  if (interrupted) return { ...base, exitCode: 130, verdict: 'interrupted' };
  if (critical.length > 0) return { ...base, exitCode: 3, verdict: 'critical' };
  if (warnings.length > 0) return input.strict ? { ...base, exitCode: 2, verdict: 'strict' } : { ...base, exitCode: 1, verdict: 'warnings' };
  return { ...base, exitCode: 0, verdict: 'pass' };
}

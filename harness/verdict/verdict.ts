import type { DriftFinding } from '../drift/compare.ts';
import type { ServiceRecord, SetupProblem } from '../run/run-state.ts';

export const CRITICAL_TAG = '@critical';

/**
 * Annotation type of a skip the harness makes for safety (e.g. no writes to production): such a skipped
 * @critical spec is listed, not counted as a missing critical spec.
 */
export const SAFETY_SKIP_ANNOTATION = 'preflight-safety-skip';

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
}

export type RunStatus = 'passed' | 'failed' | 'timedout' | 'interrupted';

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
}

export interface Finding {
  kind: 'spec' | 'service' | 'setup' | 'run' | 'drift';
  /** Spec title or service name or what failed. */
  title: string;
  reason: string;
  file?: string;
  line?: number;
  project?: string;
}

export type VerdictName = 'pass' | 'warnings' | 'strict' | 'critical' | 'interrupted';

export interface Verdict {
  exitCode: 0 | 1 | 2 | 3 | 130;
  verdict: VerdictName;
  strict: boolean;
  criticalFailures: Finding[];
  warnings: Finding[];
  /** @critical specs the harness skipped for safety (SAFETY_SKIP_ANNOTATION), with the reason: listed, not counted. */
  safetySkips: Finding[];
}

const specFinding = (spec: SpecResult, reason: string): Finding => ({
  kind: 'spec',
  title: spec.title,
  reason,
  file: spec.file,
  line: spec.line,
  project: spec.project,
});

export const isCritical = (spec: SpecResult) => spec.tags.includes(CRITICAL_TAG);

/** The exit-code table of DESIGN.md as a pure function of what the run found. */
export function decideVerdict(input: VerdictInput): Verdict {
  const critical: Finding[] = [];
  const warnings: Finding[] = [];
  const safetySkips: Finding[] = [];

  for (const problem of input.setupProblems) critical.push({ kind: 'setup', title: problem.what, reason: problem.diagnosis });
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

  for (const spec of input.specs) {
    const failed = spec.error ? `failed: ${spec.error}` : 'failed';
    if (isCritical(spec)) {
      if (spec.outcome === 'unexpected') critical.push(specFinding(spec, failed));
      else if (spec.outcome === 'skipped' && spec.safetySkip !== undefined) safetySkips.push(specFinding(spec, spec.safetySkip));
      else if (spec.outcome === 'skipped') critical.push(specFinding(spec, 'a @critical spec was skipped; critical specs cannot be skipped'));
      else if (spec.outcome === 'flaky') warnings.push(specFinding(spec, 'flaky: passed only on retry'));
    } else if (spec.outcome === 'unexpected') {
      warnings.push(specFinding(spec, `non-critical spec ${failed}`));
    } else if (spec.outcome === 'flaky') {
      warnings.push(specFinding(spec, 'flaky: passed only on retry'));
    }
  }
  if (input.specs.length === 0 && input.runStatus !== 'interrupted') {
    critical.push({ kind: 'run', title: 'no specs ran', reason: 'the run executed no test at all, so it proves nothing' });
  }

  const base = { strict: input.strict, criticalFailures: critical, warnings, safetySkips };
  if (input.runStatus === 'interrupted') return { ...base, exitCode: 130, verdict: 'interrupted' };
  if (critical.length > 0) return { ...base, exitCode: 3, verdict: 'critical' };
  if (warnings.length > 0) return input.strict ? { ...base, exitCode: 2, verdict: 'strict' } : { ...base, exitCode: 1, verdict: 'warnings' };
  return { ...base, exitCode: 0, verdict: 'pass' };
}

/**
 * The shared words of a verdict, on the bottom floor: every folder may import them, and this file imports nothing.
 * The exit-code table itself is in docs/design.md "Exit codes".
 */

/** The tag of a spec that must run and pass for the gate to pass. */
export const CRITICAL_TAG = '@critical';

/**
 * Annotation type of a skip the harness makes for safety (e.g. no writes to production): such a skipped
 * @critical spec is listed, not counted as a missing critical spec.
 */
export const SAFETY_SKIP_ANNOTATION = 'preflight-safety-skip';

/** How much a finding weighs: critical fails the gate (exit 3), a warning exits 1 (2 in strict mode). */
export type Severity = 'critical' | 'warning';

/** A configuration drift rule that does not hold (harness/drift). */
export interface DriftFinding {
  fact: string;
  severity: Severity;
  reason: string;
  file?: string;
  line?: number;
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

export type ExitCode = 0 | 1 | 2 | 3 | 130;

/** The exit code of the table for findings counted so far: 3 critical, 1 warnings (2 strict), 0 nothing. */
export function exitCodeFor(counts: { critical: number; warnings: number }, strict: boolean): 0 | 1 | 2 | 3 {
  if (counts.critical > 0) return 3;
  if (counts.warnings > 0) return strict ? 2 : 1;
  return 0;
}

import { checkRule, type DriftFinding, type RuleOutcome } from './compare.ts';
import { docsRules } from './docs-rules.ts';
import { loadDriftRules } from './load-rules.ts';
import type { DriftRules } from './rules.ts';
import { exitCodeFor } from '../core/findings.ts';

/** Which rules, and the directory their file paths are relative to. */
export interface DriftLocation {
  rulesFile: string;
  root: string;
}

/** Every rule checked: the table's rows and the findings, split by severity. */
export interface DriftCheck extends DriftLocation {
  outcomes: RuleOutcome[];
  critical: DriftFinding[];
  warnings: DriftFinding[];
  /** What was not checked, for a person (lines of the listed docs that name no one service). */
  notes: string[];
}

export function checkDriftRules(rules: DriftRules, location: DriftLocation): DriftCheck {
  const docs = docsRules(rules, location.root);
  const outcomes = [...rules.rules, ...docs.rules].map((rule) => checkRule(rule, location.root));
  const findings = outcomes.flatMap((outcome) => outcome.findings);
  return {
    ...location,
    outcomes,
    critical: findings.filter((finding) => finding.severity === 'critical'),
    warnings: findings.filter((finding) => finding.severity === 'warning'),
    notes: docs.notes,
  };
}

/** Loads the rules file and checks every rule; throws DriftRulesError when the rules themselves are broken. */
export async function checkDrift(location: DriftLocation): Promise<DriftCheck> {
  return checkDriftRules(await loadDriftRules(location.rulesFile), location);
}

/** docs/design.md's exit codes for drift: 3 critical, 2 warnings in strict mode, 1 warnings, 0 none. */
export function driftExitCode(check: DriftCheck, strict: boolean): 0 | 1 | 2 | 3 {
  return exitCodeFor({ critical: check.critical.length, warnings: check.warnings.length }, strict);
}

import fs from 'node:fs';
import path from 'node:path';
import type { PreflightConfig } from '../config/types.ts';
import type { ReportPaths } from '../core/report-paths.ts';
import type { DriftFinding } from '../core/findings.ts';
import type { SetupProblem } from '../core/service-record.ts';
import { PreflightError } from '../core/preflight-error.ts';
import { checkDrift } from './check-drift.ts';
import { writeDriftReport } from './drift-report.ts';
import { formatDriftTable } from './drift-table.ts';
import { DriftRulesError } from './load-rules.ts';

/** Why drift is not checked (no rules file, and none was named), or undefined when it is. */
export function driftNotChecked(config: Pick<PreflightConfig, 'drift'>): string | undefined {
  if (config.drift.named || fs.existsSync(config.drift.rulesFile)) return undefined;
  return `configuration drift not checked: there is no drift rules file (no ${path.basename(config.drift.rulesFile)} in ${path.dirname(config.drift.rulesFile)}); add one to compare the files that state the same ports and hosts (docs/drift.md)`;
}

/**
 * The gate's drift check, before anything boots: every finding goes to the run state (the verdict reads it),
 * the table to reports/drift.md; critical drift (or broken rules) stops the run with the table as its diagnosis.
 */
export async function checkDriftBeforeBoot(
  config: PreflightConfig,
  paths: ReportPaths,
  run: { setupProblems: SetupProblem[]; drift: DriftFinding[]; driftNotChecked?: string },
): Promise<void> {
  // Drift is optional: without a rules file nobody named, there is nothing to check, and the verdict says so.
  const unchecked = driftNotChecked(config);
  if (unchecked) {
    run.driftNotChecked = unchecked;
    return;
  }
  let check;
  try {
    check = await checkDrift(config.drift);
  } catch (error) {
    if (!(error instanceof DriftRulesError)) throw error;
    const diagnosis = `preflight: the configuration drift rules cannot be checked; nothing was started.\n  ${error.message}`;
    run.setupProblems.push({ what: 'drift rules', diagnosis });
    throw new PreflightError(diagnosis);
  }
  writeDriftReport(check, paths);
  run.drift.push(...check.critical, ...check.warnings);
  const table = formatDriftTable(check);
  if (check.critical.length) {
    throw new PreflightError(
      `preflight: critical configuration drift; nothing was started.\n${table}` +
        `  fix: make the files agree: npx preflight drift --fix shows the changes, --fix --write applies them. Table: ${paths.driftTable}`,
    );
  }
  if (check.warnings.length) process.stdout.write(`preflight: configuration drift (warnings):\n${table}`);
}

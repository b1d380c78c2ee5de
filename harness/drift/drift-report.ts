import fs from 'node:fs';
import type { ReportPaths } from '../core/report-paths.ts';
import { writeReportFile } from '../core/report-files.ts';
import { where } from './compare.ts';
import type { DriftCheck } from './check-drift.ts';
import { formatDriftMarkdown } from './drift-table.ts';
import { shown } from './statements.ts';

/** Writes reports/drift.md (the table) and reports/drift.json (the findings and every row). */
export function writeDriftReport(check: DriftCheck, paths: Pick<ReportPaths, 'dir' | 'driftTable' | 'driftJson'>): void {
  fs.mkdirSync(paths.dir, { recursive: true });
  writeReportFile(paths.driftTable, formatDriftMarkdown(check));
  const json = {
    rulesFile: check.rulesFile,
    root: check.root,
    critical: check.critical,
    warnings: check.warnings,
    rows: check.outcomes.flatMap((outcome) =>
      outcome.rows.map((row) => ({
        fact: row.fact,
        severity: outcome.rule.severity,
        source: where(row.statement),
        file: row.statement.file,
        line: row.statement.line,
        value: shown(row.statement),
        status: row.status,
        note: row.note,
      })),
    ),
  };
  writeReportFile(paths.driftJson, `${JSON.stringify(json, null, 2)}\n`);
}

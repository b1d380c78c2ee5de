import path from 'node:path';
import { where, type DriftRow } from './compare.ts';
import type { DriftCheck } from './check-drift.ts';
import { shown } from './statements.ts';

const STATUS: Record<DriftRow['status'], (row: DriftRow) => string> = {
  truth: (row) => `${row.note}`,
  agree: () => 'agrees',
  differs: (row) => `DIFFERS: ${row.note}`,
  holds: () => 'holds',
  violates: (row) => `VIOLATES: ${row.note}`,
  condition: (row) => `${row.note}`,
  problem: (row) => `${row.statement.problem?.kind === 'missing-file' ? 'MISSING FILE' : 'NOT FOUND'}: ${row.note}`,
  'n/a': (row) => `n/a: ${row.note}`,
};

export interface TableRow {
  fact: string;
  source: string;
  value: string;
  status: string;
  ok: boolean;
}

export function tableRows(check: DriftCheck): TableRow[] {
  return check.outcomes.flatMap((outcome) =>
    outcome.rows.map((row) => ({
      fact: `${row.fact}${outcome.rule.severity === 'warning' ? ' (warning)' : ''}`,
      source: where(row.statement),
      value: shown(row.statement) ?? '-',
      status: STATUS[row.status](row),
      ok: !['differs', 'violates', 'problem'].includes(row.status),
    })),
  );
}

function summary(check: DriftCheck): string {
  if (!check.critical.length && !check.warnings.length) return 'no drift: every source agrees and every invariant holds';
  return `${check.critical.length} critical, ${check.warnings.length} warning(s)`;
}

/** The console table: fact, each source as file:line, its value, agree or not. */
export function formatDriftTable(check: DriftCheck): string {
  const rows = tableRows(check);
  const header: TableRow = { fact: 'fact', source: 'source', value: 'value', status: 'status', ok: true };
  const width = (key: keyof Omit<TableRow, 'ok'>) => Math.max(...[header, ...rows].map((row) => row[key].length));
  const widths = { fact: width('fact'), source: width('source'), value: width('value') };
  const line = (row: TableRow) =>
    `${row.ok ? '  ' : '✗ '}${row.fact.padEnd(widths.fact)}  ${row.source.padEnd(widths.source)}  ${row.value.padEnd(widths.value)}  ${row.status}`;
  const relative = (file: string) => path.relative(process.cwd(), file) || '.';
  return [
    `preflight drift: ${check.outcomes.length} rule(s) from ${relative(check.rulesFile)}, files under ${relative(check.root)}`,
    line(header),
    ...rows.map(line),
    ...check.notes,
    `drift: ${summary(check)}`,
    '',
  ].join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** reports/drift.md: the same table in Markdown. */
export function formatDriftMarkdown(check: DriftCheck): string {
  return [
    '# Configuration drift',
    '',
    `Rules: \`${check.rulesFile}\`, files under \`${check.root}\`. Result: ${summary(check)}.`,
    '',
    '| | fact | source | value | status |',
    '| --- | --- | --- | --- | --- |',
    ...tableRows(check).map((row) => `| ${row.ok ? '' : '✗'} | ${cell(row.fact)} | \`${cell(row.source)}\` | \`${cell(row.value)}\` | ${cell(row.status)} |`),
    ...(check.notes.length ? ['', ...check.notes.map((note) => `- ${note}`)] : []),
    '',
  ].join('\n');
}

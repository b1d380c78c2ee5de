import type { Finding } from '../core/findings.ts';
import { HEADLINES, verdictLine } from './verdict-headlines.ts';
import type { VerdictReport } from './verdict-report.ts';
import { duringTheRun } from './service-during-run.ts';

const cell = (text: string | number | undefined) => String(text ?? '').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function row(severity: string, finding: Finding): string {
  const where = finding.file ? `${finding.file}:${finding.line}` : '';
  return `| ${severity} | ${cell(finding.title)} | ${cell(where)} | ${cell(finding.project)} | ${cell(finding.reason)} |`;
}

/** reports/summary.md: the verdict in a few lines and a table of what failed (also the GitHub job summary). */
export function formatSummaryMarkdown(report: VerdictReport): string {
  const lines: string[] = [];
  if (report.notice) lines.push(`> **${report.notice}**`, '');
  lines.push(`## preflight: ${HEADLINES[report.verdict]}`, '');
  lines.push(`**${verdictLine(report)}**`, '');
  const { specs } = report;
  const shards = report.shards.length ? ` · shards: ${report.shards.join(', ')}` : '';
  lines.push(
    `${specs.total} specs: ${specs.passed} passed, ${specs.failed} failed, ${specs.flaky} flaky, ${specs.skipped} skipped · ` +
      `strict mode ${report.strict ? 'on' : 'off'}${shards} · ${report.startedAt} to ${report.endedAt}`,
    '',
  );

  const rows = [
    ...report.criticalFailures.map((finding) => row('critical', finding)),
    ...report.warnings.map((finding) => row('warning', finding)),
    ...report.notRun.map((finding) => row('not run', finding)),
    ...report.safetySkipped.map((finding) => row('skipped for safety', finding)),
  ];
  if (rows.length) lines.push('| severity | what | where | project | reason |', '| --- | --- | --- | --- | --- |', ...rows, '');
  if (report.driftNotChecked) lines.push(`Note: ${report.driftNotChecked}`, '');

  if (report.services.length) {
    lines.push('| service | url | ready in | contract | during the run |', '| --- | --- | --- | --- | --- |');
    for (const service of report.services) {
      const ready = service.msToReady === undefined ? '' : `${service.msToReady} ms${service.reused ? ' (reused)' : ''}`;
      const contract = service.failure ?? service.contractReason ?? service.contract ?? '';
      lines.push(`| ${cell(service.name)} | ${cell(service.url)} | ${ready} | ${cell(contract)} | ${cell(duringTheRun(service))} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

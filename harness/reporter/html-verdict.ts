import fs from 'node:fs';
import path from 'node:path';
import type { FullConfig } from '@playwright/test/reporter';
import type { Finding } from '../core/findings.ts';
import type { VerdictReport } from './verdict-report.ts';
import { duringTheRun } from './service-during-run.ts';
import { writeReportFile } from '../core/report-files.ts';

/** The panel's element id: the report's own app renders into #root beside it and never touches it. */
export const HTML_VERDICT_ID = 'preflight-verdict';

const HEADLINE: Record<VerdictReport['verdict'], { text: string; color: string }> = {
  pass: { text: 'deployment may proceed', color: '#1a7f37' },
  warnings: { text: 'passed with warnings: read them before you deploy', color: '#9a6700' },
  strict: { text: 'deployment blocked: warnings in strict mode', color: '#cf222e' },
  critical: { text: 'deployment blocked', color: '#cf222e' },
  interrupted: { text: 'interrupted: no verdict on the app', color: '#57606a' },
};

const escape = (text: unknown) =>
  String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function findingList(title: string, findings: Finding[], testId: string): string {
  if (findings.length === 0) return '';
  const items = findings
    .map((f) => `<li><b>${escape(f.title)}</b>${f.file ? ` <span style="opacity:.7">(${escape(f.file)}:${f.line})</span>` : ''}: ${escape(f.reason)}</li>`)
    .join('');
  return `<h3 style="margin:12px 0 4px;font-size:15px">${escape(title)} (${findings.length})</h3><ul data-testid="${testId}" style="margin:0;padding-left:20px">${items}</ul>`;
}

function servicesTable(report: VerdictReport): string {
  if (report.services.length === 0) return '<p data-testid="preflight-services">No service was started (the run stopped before boot).</p>';
  const cell = 'style="border:1px solid #d0d7de;padding:4px 8px;text-align:left"';
  const rows = report.services
    .map((s) => {
      const ready = s.msToReady !== undefined ? `${s.msToReady} ms` : s.failure ? `not ready: ${escape(s.failure)}` : '-';
      // The reason names the state itself ("ready: accepts TCP connections", "down: ..."): printed once.
      const contract = s.contractReason ?? s.contract ?? '-';
      return `<tr><td ${cell}>${escape(s.name)}</td><td ${cell}>${escape(s.url ?? '-')}</td><td ${cell}>${ready}</td><td ${cell}>${escape(contract)}</td><td ${cell}>${escape(duringTheRun(s))}</td></tr>`;
    })
    .join('');
  return `<h3 style="margin:12px 0 4px;font-size:15px">Services</h3><table data-testid="preflight-services" style="border-collapse:collapse;font-size:13px"><tr><th ${cell}>service</th><th ${cell}>url</th><th ${cell}>ready in</th><th ${cell}>contract</th><th ${cell}>during the run</th></tr>${rows}</table>`;
}

/** The verdict as an HTML section: what a person opening the report must read first. */
export function renderHtmlVerdict(report: VerdictReport): string {
  const headline = HEADLINE[report.verdict];
  const drift = [...report.criticalFailures, ...report.warnings].filter((f) => f.kind === 'drift');
  const banner = report.partial
    ? `<div data-testid="preflight-partial" style="background:#fff8c5;color:#4d2d00;border:2px solid #d4a72c;padding:8px 12px;margin-bottom:10px;font-weight:bold">${escape(report.notice)}</div>`
    : '';
  return [
    `<section id="${HTML_VERDICT_ID}" data-testid="${HTML_VERDICT_ID}" style="font-family:system-ui,sans-serif;background:#fff;color:#1f2328;border-bottom:4px solid ${headline.color};padding:16px 24px;font-size:14px;line-height:1.4">`,
    banner,
    `<h2 data-testid="preflight-headline" style="margin:0;color:${headline.color};font-size:22px">preflight verdict: ${escape(report.verdict)}, exit code ${report.exitCode}: ${escape(headline.text)}</h2>`,
    `<p style="margin:4px 0 0;opacity:.8">specs: ${report.specs.passed} passed, ${report.specs.failed} failed, ${report.specs.flaky} flaky, ${report.specs.skipped} skipped; run ${escape(report.startedAt)} to ${escape(report.endedAt)}${report.strict ? '; strict mode' : ''}. The spec results follow below; reports/verdict.json holds the same verdict.</p>`,
    findingList('Critical failures', report.criticalFailures, 'preflight-critical'),
    findingList('Warnings', report.warnings, 'preflight-warnings'),
    findingList('Critical specs not run (partial run)', report.notRun, 'preflight-not-run'),
    findingList('Skipped by the harness for safety', report.safetySkipped, 'preflight-safety-skipped'),
    servicesTable(report),
    drift.length
      ? findingList('Configuration drift', drift, 'preflight-drift')
      : `<p data-testid="preflight-drift" style="margin:8px 0 0">${report.driftNotChecked ? escape(report.driftNotChecked.charAt(0).toUpperCase() + report.driftNotChecked.slice(1)) : 'Configuration drift: none found.'}</p>`,
    '</section>',
  ].join('');
}

/** Where the html reporter of this run wrote its report, or undefined when the run has no html reporter. */
export function htmlReportFolder(config: FullConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const entry = config.reporter.find(([name]) => name === 'html');
  if (!entry) return undefined;
  const fromEnv = env.PLAYWRIGHT_HTML_OUTPUT_DIR || env.PLAYWRIGHT_HTML_REPORT;
  if (fromEnv) return path.resolve(fromEnv);
  const base = config.configFile ? path.dirname(config.configFile) : config.rootDir;
  return path.resolve(base, (entry[1] as { outputFolder?: string } | undefined)?.outputFolder ?? 'playwright-report');
}

/**
 * Puts the verdict at the top of the report the html reporter just wrote. Playwright calls the reporters' onEnd in
 * their order and the gate reporter is last, so the report exists and the verdict is only decided now (docs/html-report.md).
 * Returns a problem to print, never throws: the verdict stands whatever happens to the report.
 */
export function writeHtmlVerdict(folder: string | undefined, report: VerdictReport, runStartedAt: Date): string | undefined {
  if (!folder) return undefined;
  const index = path.join(folder, 'index.html');
  try {
    // A report older than this run (html reporter replaced by --reporter) must not show this run's verdict.
    // lstat: a link in the report's place is not this run's report (nor read, nor written through).
    if (!fs.existsSync(index) || !fs.lstatSync(index).isFile() || fs.lstatSync(index).mtimeMs < runStartedAt.getTime() - 1_000) return undefined;
    const html = fs.readFileSync(index, 'utf8');
    const data = html.indexOf('<template id="playwrightReportBase64">');
    const root = html.lastIndexOf("<div id='root'></div>", data === -1 ? undefined : data);
    if (root === -1) return `preflight: the HTML report in ${folder} has no root element where the verdict could go; open reports/summary.md instead.`;
    writeReportFile(index, html.slice(0, root) + renderHtmlVerdict(report) + html.slice(root));
    return undefined;
  } catch (error) {
    return `preflight: could not add the verdict to the HTML report ${index}: ${(error as Error).message}. The verdict is unchanged; reports/summary.md holds it.`;
  }
}

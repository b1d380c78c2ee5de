import fs from 'node:fs';
import path from 'node:path';
import { historyFile, readHistory } from '../history/history-file.ts';
import { renderHistoryPage } from '../history/history-page.ts';
import type { HistoryRecord } from '../history/history-record.ts';
import { DEFAULT_SETTINGS, findRegressions, WINDOW } from '../history/regressions.ts';
import { reportPaths } from '../core/report-paths.ts';
import { writeReportFile } from '../core/report-files.ts';
import { usageError, type CommandLine, type CommandSpec } from './command-line.ts';

export const command: CommandSpec = {
  name: 'history',
  summary: 'Show the last gate runs, what got slower or flaky, and write the page with the plots.',
  options: {
    last: { type: 'string', value: '<n>', description: 'how many runs to print (default 10)' },
    threshold: { type: 'string', value: '<percent>', description: `how much slower than the median of the ${WINDOW} runs before counts as a regression (default ${DEFAULT_SETTINGS.threshold * 100})` },
    out: { type: 'string', value: '<file>', description: 'the HTML page with the plots (default reports/history.html)' },
  },
  notes: ['the history file: PREFLIGHT_HISTORY_FILE, default .preflight/history.jsonl (docs/history.md)'],
  exitCodes: `0 nothing regressed, 1 a regression or a spec flaky in 2 of the last ${WINDOW} runs, 3 a file that is no history`,
};

interface Options {
  last: number;
  threshold: number;
  out: string;
}

function readOptions({ values }: CommandLine): Options | { problem: string } {
  const { last, threshold, out } = values as { last?: string; threshold?: string; out?: string };
  if (last !== undefined && !(/^\d+$/.test(last) && Number(last) > 0)) return { problem: `--last expects a number of runs above 0, got ${JSON.stringify(last)}` };
  if (threshold !== undefined && !/^\d+(\.\d+)?%?$/.test(threshold)) return { problem: `--threshold expects a percentage such as 20 or 20%, got ${JSON.stringify(threshold)}` };
  return {
    last: last === undefined ? 10 : Number(last),
    threshold: threshold === undefined ? DEFAULT_SETTINGS.threshold : Number(threshold.replace('%', '')) / 100,
    out: out === undefined ? path.join(reportPaths().dir, 'history.html') : path.resolve(out),
  };
}

const pad = (text: string, width: number) => text.padEnd(width);
const secs = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

function table(records: HistoryRecord[]): string {
  const services = [...new Set(records.flatMap((run) => run.services.map((s) => s.name)))];
  const header = ['ended (UTC)', 'verdict', 'exit', 'duration', ...services.map((s) => `${s} ready`), 'flaky', 'commit'];
  const rows = records.map((run) => [
    run.endedAt.replace('T', ' ').slice(0, 19),
    run.verdict + (run.partial ? ' (partial)' : ''),
    String(run.exitCode),
    secs(run.durationMs),
    ...services.map((name) => {
      const service = run.services.find((s) => s.name === name);
      return service ? (service.ready ? secs(service.msToReady) : 'not ready') : '-';
    }),
    String(run.flaky.length),
    run.commit?.slice(0, 7) ?? '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => pad(cell, widths[i])).join('  ').trimEnd()).join('\n');
}

/** `npx preflight history`: the last runs, regressions against the median of the runs before, and the HTML page. */
export async function run(line: CommandLine): Promise<number> {
  const options = readOptions(line);
  if ('problem' in options) return usageError(command, options.problem);
  const file = historyFile();
  const history = readHistory(file);
  if (history.unusable) {
    console.error(`preflight history: ${history.unusable}`);
    return 3;
  }
  for (const problem of history.problems) console.error(`preflight history: warning: ${problem}`);
  const { records } = history;
  if (records.length === 0) {
    console.log(`preflight history: no run recorded yet in ${file}. Every gate run (npx playwright test) adds one.`);
    return 0;
  }
  const warnings = findRegressions(records, { ...DEFAULT_SETTINGS, threshold: options.threshold });
  const shown = records.slice(-options.last);
  console.log(`preflight history: ${records.length} run${records.length === 1 ? '' : 's'} in ${path.relative(process.cwd(), file) || file} (the last ${shown.length}):`);
  console.log(table(shown));
  try {
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    writeReportFile(options.out, renderHistoryPage(records, warnings, history.problems));
    console.log(`plots: ${path.relative(process.cwd(), options.out) || options.out}`);
  } catch (error) {
    console.error(
      `preflight history: could not write the HTML page ${options.out}: ${(error as Error).message}. ` +
        'Make the reports folder writable, or pass --out <file> (or PREFLIGHT_REPORTS_DIR) to write it elsewhere.',
    );
  }
  if (warnings.length === 0) {
    console.log('preflight history: nothing regressed, exit code 0');
    return 0;
  }
  console.log(`Warnings:\n${warnings.map((w) => `  - ${w}`).join('\n')}`);
  console.log('preflight history: warnings, exit code 1');
  return 1;
}

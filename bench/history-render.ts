// `npm run bench:history [runs]`: how long `npx preflight history` takes on a long history (default 1,000 runs),
// against the same command on 10 runs (the baseline: node, tsx and the CLI's own start), in one script.
// Also times the in-process part (read, compare, render the page) on its own. docs/history.md quotes the figures.
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { readHistory } from '../harness/history/history-file.ts';
import { renderHistoryPage } from '../harness/history/history-page.ts';
import { HISTORY_FORMAT, type HistoryRecord } from '../harness/history/history-record.ts';
import { findRegressions } from '../harness/history/regressions.ts';
import { repoRoot } from '../selftest/support/demo-process.ts';

const runs = Number(process.argv[2] ?? 1000);
const ROUNDS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A plausible run: two services, the demo's four critical specs, a failure or a flaky spec now and then. */
function record(i: number): HistoryRecord {
  const specs = ['backend starts', 'frontend starts', 'Tell Your Story page', 'integration'].map((title, k) => ({
    title,
    project: 'local',
    file: `tests/spec-${k}.spec.ts`,
    critical: true,
    outcome: i % 97 === 0 && k === 3 ? 'unexpected' : i % 41 === 0 && k === 2 ? 'flaky' : 'expected',
    durationMs: 400 + k * 500 + (i % 7) * 20,
  }));
  return {
    format: HISTORY_FORMAT,
    startedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
    endedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000 + 11_000).toISOString(),
    verdict: i % 97 === 0 ? 'critical' : i % 41 === 0 ? 'warnings' : 'pass',
    exitCode: i % 97 === 0 ? 3 : i % 41 === 0 ? 1 : 0,
    partial: false,
    durationMs: 10_000 + (i % 13) * 150,
    commit: (i * 2654435761).toString(16).padStart(40, '0').slice(-40),
    services: [
      { name: 'backend', msToReady: 1200 + (i % 11) * 30, ready: true },
      { name: 'frontend', msToReady: 1400 + (i % 5) * 25, ready: true },
    ],
    specs,
    flaky: specs.filter((s) => s.outcome === 'flaky').map((s) => s.title),
  };
}

function historyOf(count: number): string {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'preflight-bench-history-'));
  const file = path.join(dir, 'history.jsonl');
  fs.writeFileSync(file, Array.from({ length: count }, (_, i) => `${JSON.stringify(record(i))}\n`).join(''));
  return file;
}

async function cliMs(file: string): Promise<number> {
  const started = performance.now();
  const result = await execa('node', ['bin/preflight.js', 'history'], {
    cwd: repoRoot,
    env: { PREFLIGHT_HISTORY_FILE: file, PREFLIGHT_REPORTS_DIR: path.join(path.dirname(file), 'reports') },
    reject: false,
  });
  if (result.exitCode !== 0 && result.exitCode !== 1) throw new Error(`preflight history failed: ${result.stderr}`);
  return performance.now() - started;
}

const long = historyOf(runs);
const short = historyOf(10);
const times = { long: [] as number[], short: [] as number[], inProcess: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  times.short.push(await cliMs(short));
  times.long.push(await cliMs(long));
  const started = performance.now();
  const { records, problems } = readHistory(long);
  renderHistoryPage(records, findRegressions(records), problems);
  times.inProcess.push(performance.now() - started);
}
const page = fs.statSync(path.join(path.dirname(long), 'reports', 'history.html')).size;
console.log(`preflight history, ${ROUNDS} rounds, medians:`);
console.log(`  npx preflight history on 10 runs (baseline):  ${median(times.short).toFixed(0)} ms`);
console.log(`  npx preflight history on ${runs} runs:         ${median(times.long).toFixed(0)} ms (ratio ${(median(times.long) / median(times.short)).toFixed(2)}; page ${(page / 1024).toFixed(0)} KiB)`);
console.log(`  read + compare + render ${runs} runs in process: ${median(times.inProcess).toFixed(1)} ms (budget 1000 ms)`);

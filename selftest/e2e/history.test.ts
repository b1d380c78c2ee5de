// Runs over time: a real gate run appends its record; `npx preflight history` reads the file as a person would use it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { HISTORY_FORMAT, type HistoryRecord } from '../../harness/history/history-record.ts';
import { repoRoot } from '../support/demo-process.ts';
import { explain, runGate } from '../support/run-gate.ts';

const SPEC = 'integration: a recorded story becomes a profile with its transcript and QR code';

/** A run as the gate records it: steady numbers unless a test changes them. */
function record(index: number, change: Partial<HistoryRecord> & { backendMs?: number; specMs?: number } = {}): HistoryRecord {
  const { backendMs = 1200 + (index % 3) * 40, specMs = 2000 + (index % 4) * 30, ...rest } = change;
  return {
    format: HISTORY_FORMAT,
    startedAt: new Date(Date.UTC(2026, 10, 1, 8, index)).toISOString(),
    endedAt: new Date(Date.UTC(2026, 10, 1, 8, index, 12)).toISOString(),
    verdict: 'pass',
    exitCode: 0,
    partial: false,
    durationMs: 12_000,
    commit: 'abcdef1234567890',
    services: [{ name: 'backend', msToReady: backendMs, ready: true }, { name: 'frontend', msToReady: 1400, ready: true }],
    specs: [{ title: SPEC, project: 'local', file: 'tests/integration.spec.ts', critical: true, outcome: 'expected', durationMs: specMs }],
    flaky: [],
    ...rest,
  };
}

function historyDir(lines: string[]): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'preflight-history-'));
  const file = path.join(dir, 'history.jsonl');
  fs.writeFileSync(file, lines.join(''));
  return { dir, file };
}
const asLines = (records: HistoryRecord[]) => records.map((r) => `${JSON.stringify(r)}\n`);

async function history(file: string, env: Record<string, string> = {}, args: string[] = []) {
  const dir = path.dirname(file);
  const result = await execa('node', ['bin/preflight.js', 'history', ...args], {
    cwd: repoRoot,
    env: { PREFLIGHT_HISTORY_FILE: file, PREFLIGHT_REPORTS_DIR: path.join(dir, 'reports'), ...env },
    reject: false,
    all: true,
  });
  return { exitCode: result.exitCode, output: result.all ?? '', page: path.join(dir, 'reports', 'history.html') };
}

describe('runs over time', () => {
  it('a gate run appends its record, after a line a killed run left cut short', async () => {
    const cut = JSON.stringify(record(0)).slice(0, 80);
    const { file } = historyDir([...asLines([record(1)]), cut]);
    const run = await runGate({ env: { PREFLIGHT_HISTORY_FILE: file } });
    assert.equal(run.exitCode, 0, explain(run));
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines[1], cut, 'the cut line is left as it was');
    const recorded = JSON.parse(lines[2]) as HistoryRecord;
    assert.equal(lines[3], '', 'one record, one line');
    assert.equal(recorded.verdict, 'pass');
    assert.equal(recorded.exitCode, 0);
    assert.equal(recorded.commit, execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot }).toString().trim());
    for (const service of run.verdict.services) {
      assert.deepEqual(recorded.services.find((s) => s.name === service.name), { name: service.name, msToReady: service.msToReady, ready: true });
    }
    assert.equal(recorded.specs.length, 4);
    assert.ok(recorded.specs.every((spec) => spec.critical && spec.outcome === 'expected' && spec.durationMs > 0));
    assert.ok(recorded.durationMs > 0);

    const shown = await history(file);
    assert.equal(shown.exitCode, 0, shown.output);
    assert.match(shown.output, /warning: .*history\.jsonl: line 2 is not a run record \(damaged\); skipped\./);
    assert.match(shown.output, /2 runs in /);
  });

  it('a history that cannot be written leaves the verdict unchanged and says what to do', async () => {
    // A file where the history's folder should be: unwritable even for root, who ignores file modes.
    const blocker = path.join(fs.mkdtempSync(path.join(tmpdir(), 'preflight-history-')), 'not-a-folder');
    fs.writeFileSync(blocker, '');
    const run = await runGate({ env: { PREFLIGHT_HISTORY_FILE: path.join(blocker, 'history.jsonl') } });
    assert.equal(run.exitCode, 0, explain(run));
    assert.match(run.output, /preflight: this run was not recorded in the history .*not-a-folder\/history\.jsonl: .*The verdict is unchanged\. .*PREFLIGHT_HISTORY_FILE/);
    assert.equal(run.output.trim().split('\n').at(-1), 'preflight verdict: pass, exit code 0');
  });

  it('steady runs: the last runs printed, the plots written, exit 0', async () => {
    const { file } = historyDir(asLines(Array.from({ length: 14 }, (_, i) => record(i))));
    const shown = await history(file);
    assert.equal(shown.exitCode, 0, shown.output);
    assert.match(shown.output, /14 runs in .* \(the last 10\):\nended \(UTC\)\s+verdict\s+exit\s+duration\s+backend ready\s+frontend ready\s+flaky\s+commit\n/);
    assert.equal(shown.output.split('\n').filter((line) => /^2026-11-01 08:\d\d:12\s+pass\s+0\s+12\.0 s\s+1\.\d s\s+1\.4 s\s+0\s+abcdef1$/.test(line)).length, 10);
    assert.match(shown.output, /nothing regressed, exit code 0/);
    const page = fs.readFileSync(shown.page, 'utf8');
    for (const plot of ['history-verdicts', 'history-duration', 'history-ready-backend', 'history-ready-frontend']) assert.match(page, new RegExp(`data-testid="${plot}"><figcaption>[^<]+</figcaption><svg `));
    assert.equal((page.match(/<rect /g) ?? []).length, 14, 'one square per run');
  });

  it('a service that got slower to ready, a critical spec that got slower, a spec flaky twice: exit 1, each named', async () => {
    const runs = Array.from({ length: 12 }, (_, i) => record(i, i === 4 || i === 9 ? { flaky: [SPEC] } : {}));
    runs.push(record(12, { backendMs: 4100, specMs: 6500 }));
    const { file } = historyDir(asLines(runs));
    const shown = await history(file);
    assert.equal(shown.exitCode, 1, shown.output);
    assert.match(shown.output, /backend: time to ready regressed: 4100 ms in the last run against a median of 1240 ms over the 10 runs before it \(\+231 %, threshold \+50 %\)/);
    assert.match(shown.output, new RegExp(`@critical spec "${SPEC}" \\(local\\): duration regressed: 6500 ms`));
    assert.match(shown.output, new RegExp(`spec "${SPEC}" was flaky \\(passed only on retry\\) in 2 of the last 10 runs`));
    assert.doesNotMatch(shown.output, /frontend: time to ready regressed/);
    assert.match(shown.output, /warnings, exit code 1$/);
    // A generous threshold lets the same slowdown pass; the flaky spec still warns.
    const lenient = await history(file, {}, ['--threshold', '300']);
    assert.doesNotMatch(lenient.output, /regressed/);
    assert.equal(lenient.exitCode, 1);
  });

  it('bad input: a file that is no history -> 3; older records and a cut last line are skipped, each said once', async () => {
    const notHistory = historyDir(['{"tests": [1, 2, 3]}\n', 'not json at all\n']);
    const refused = await history(notHistory.file);
    assert.equal(refused.exitCode, 3, refused.output);
    assert.match(refused.output, /is not a preflight history \(line 1 is not a run record\)\. Move it away, or set PREFLIGHT_HISTORY_FILE/);
    assert.doesNotMatch(refused.output, /\n\s+at /, 'no stack trace');

    const older = { ...record(0), format: HISTORY_FORMAT - 1 };
    const mixed = historyDir([`${JSON.stringify(older)}\n`, ...asLines([record(1), record(2)]), JSON.stringify(record(3)).slice(0, 50)]);
    const read = await history(mixed.file);
    assert.equal(read.exitCode, 0, read.output);
    assert.match(read.output, /1 run recorded by an older preflight \(format 0, this one reads format 1\); they stay in the file and are not compared/);
    assert.match(read.output, /the last line \(4\) is cut short, as a run that was killed while writing leaves it; skipped\./);
    assert.match(read.output, /2 runs in /);
  });

  it('an unwritable reports folder: the runs are still printed, the page\'s problem is said, the exit code is the history\'s', async () => {
    const { dir, file } = historyDir(asLines([record(0), record(1)]));
    fs.writeFileSync(path.join(dir, 'reports'), 'a file where the reports folder should be');
    const shown = await history(file);
    assert.equal(shown.exitCode, 0, shown.output);
    assert.match(shown.output, /could not write the HTML page .*history\.html: .*Make the reports folder writable, or pass --out <file>/);
    assert.match(shown.output, /2 runs in /);
  });
});

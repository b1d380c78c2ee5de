import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandLineMayFilter, isShardedRun, projectsFromArgv } from '../../harness/gate/playwright-private.ts';
import { LISTING_MARKER } from '../../harness/reporter/critical-spec-lister.ts';
import { parseListing } from '../../harness/reporter/spec-listing.ts';
import { readRecords, publishRecord, type ShardRecord } from '../../harness/reporter/shard-record.ts';
import { formatSummaryMarkdown } from '../../harness/reporter/summary-markdown.ts';
import { renderHtmlVerdict } from '../../harness/reporter/html-verdict.ts';
import type { ServiceRecord } from '../../harness/core/service-record.ts';
import { buildVerdictReport } from '../../harness/reporter/verdict-report.ts';
import { decideVerdict } from '../../harness/verdict/verdict.ts';

const report = (extra: Parameters<typeof decideVerdict>[0] extends infer T ? Partial<T> : never) => {
  const verdict = decideVerdict({ specs: [], services: [], setupProblems: [], runErrors: [], runStatus: 'passed', strict: false, ...extra });
  return buildVerdictReport({ verdict, specs: extra.specs ?? [], services: [], startedAt: 'start', endedAt: 'end', runStatus: 'passed', shards: [] });
};
const failed = { title: 'integration | story', file: 'tests/i.spec.ts', line: 3, project: 'local', tags: ['@critical'], outcome: 'unexpected' as const, error: 'Error: HTTP 500' };

describe('reports/summary.md', () => {
  it('states the verdict, then a table of what failed (pipes escaped)', () => {
    const text = formatSummaryMarkdown(report({ specs: [failed] }));
    assert.match(text, /^## preflight: CRITICAL: deployment blocked\n\n\*\*preflight verdict: critical, exit code 3\*\*/);
    assert.match(text, /\| critical \| integration \\\| story \| tests\/i\.spec\.ts:3 \| local \| failed: Error: HTTP 500 \|/);
  });

  it('says at its top that a partial run is not a gate', () => {
    const text = formatSummaryMarkdown(report({ allowPartial: true, specs: [] }));
    assert.match(text.split('\n')[0]!, /^> \*\*PARTIAL RUN, NOT A GATE/);
    assert.match(text, /\| not run \| no specs ran \|/);
  });
});

describe('the services table of summary.md and the HTML report', () => {
  it('says a service that was never ready did not serve, however its boot ended', () => {
    const verdict = decideVerdict({ specs: [], services: [], setupProblems: [], runErrors: [], runStatus: 'failed', strict: false });
    const services: ServiceRecord[] = [
      { name: 'database', url: 'tcp://127.0.0.1:5433', healthUrl: 'tcp://127.0.0.1:5433', reused: false, readyAt: '2026-01-01T00:00:01Z', msToReady: 900 },
      { name: 'backend', url: 'http://127.0.0.1:3001', healthUrl: 'http://127.0.0.1:3001/ops/health/production', reused: false, failure: { summary: 'backend answered "down" for 4.0 s', diagnosis: 'backend answered "down" for 4.0 s' } },
      { name: 'frontend', url: 'http://127.0.0.1:3000', healthUrl: 'http://127.0.0.1:3000/ops/health/production', reused: false, contractReason: 'not waited for: it is judged ready after backend, which did not become ready' },
    ];
    const built = buildVerdictReport({ verdict, specs: [], services, startedAt: 'start', endedAt: 'end', runStatus: 'failed', shards: [] });
    const summary = formatSummaryMarkdown(built);
    const html = renderHtmlVerdict(built);
    assert.match(summary, /\| database \| tcp:\/\/127\.0\.0\.1:5433 \| 900 ms \| [^|]* \| served until teardown \|/);
    assert.match(summary, /\| backend \|[^\n]*\| never ready \|/);
    assert.match(summary, /\| frontend \|[^\n]*not waited for[^\n]*\| never ready: stopped with the boot \|/);
    assert.doesNotMatch(summary + html, /frontend.*served (until|to the end)/);
    assert.match(html, /never ready: stopped with the boot/);
  });
});

describe('the gate reporter\'s helpers', () => {
  it('reads --project choices and --shard from the command line', () => {
    assert.deepEqual(projectsFromArgv(['node', 'cli.js', 'test', '--project', 'local', '--project=production', '--grep', 'x']), ['local', 'production']);
    assert.equal(isShardedRun(['test', '--shard=1/2']), true);
    assert.equal(isShardedRun(['test', '--shard', '1/2']), true);
    assert.equal(isShardedRun(['test', '--grep', 'shard']), false);
  });

  it('knows when the command line cannot have filtered the specs, and errs towards listing them', () => {
    const run = (...args: string[]) => commandLineMayFilter(['node', 'cli.js', 'test', ...args]);
    assert.equal(run(), false);
    assert.equal(run('--project', 'local', '--retries=1', '--workers', '2', '--reporter=dot,./harness/reporter/gate-reporter.ts', '--headed'), false);
    assert.equal(run('--grep', '@critical'), true);
    assert.equal(run('--grep-invert=@critical'), true);
    assert.equal(run('tests/integration.spec.ts'), true, 'a file argument');
    assert.equal(run('--last-failed'), true);
    assert.equal(run('--only-changed'), true);
    assert.equal(run('--shard=1/2'), true);
    assert.equal(run('--some-new-option'), true, 'an unknown option');
    assert.equal(run('--project', 'local', 'tests/'), true, 'a positional after an option value');
  });

  it('parses the listing, and says why when it failed', () => {
    const specs = [{ title: 'a', file: 'tests/a.spec.ts', line: 1, project: 'local', tags: ['@critical'] }];
    assert.deepEqual(parseListing(`noise\n${LISTING_MARKER}${JSON.stringify({ specs, errors: [] })}\n`, 0), { ok: true, specs });
    const broken = parseListing(`${LISTING_MARKER}${JSON.stringify({ specs: [], errors: ['SyntaxError: x'] })}`, 1);
    assert.deepEqual(broken, { ok: false, problem: 'listing the specs (playwright test --list) found errors: SyntaxError: x' });
    assert.match((parseListing('Error: config broke', 1) as { problem: string }).problem, /failed with exit code 1: Error: config broke/);
  });

  it('publishes a record that serialises to its final state, one key per shard, read back in shard order', () => {
    const metadata: Record<string, unknown> = { gitCommit: 'abc' };
    const record = (current: number): ShardRecord => ({ shard: { current, total: 2 }, strict: false, allowPartial: false, projects: [], startedAt: 's', services: [], setupProblems: [] });
    let state = record(2);
    publishRecord(metadata, { current: 2, total: 2 }, () => state);
    publishRecord(metadata, { current: 1, total: 2 }, () => record(1));
    state = { ...state, strict: true };
    const merged = JSON.parse(JSON.stringify(metadata));
    assert.deepEqual(readRecords(merged).map((r) => [r.shard?.current, r.strict]), [[1, false], [2, true]]);
  });
});

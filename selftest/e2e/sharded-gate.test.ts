// Sharded gates: two shards plus `merge-reports` give the verdict and exit code of one unsharded run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectBlobReports, mergeReports } from '../support/merge-reports.ts';
import { explain, runGate, type GateRun } from '../support/run-gate.ts';

const shardsOf = (env: Record<string, string> = {}) => Promise.all([1, 2].map((i) => runGate({ env, args: [`--shard=${i}/2`] })));
const findings = (run: GateRun) => ({
  exitCode: run.verdict.exitCode,
  verdict: run.verdict.verdict,
  criticalFailures: run.verdict.criticalFailures.map((f: any) => [f.title, f.file, f.reason]),
  warnings: run.verdict.warnings.map((f: any) => [f.title, f.reason]),
});

describe('sharded gates', () => {
  let passingShards: GateRun[] = [];

  it('passing demo app: two shards and their merge exit 0, like the unsharded run', async () => {
    passingShards = await shardsOf();
    for (const shard of passingShards) assert.equal(shard.exitCode, 0, explain(shard));
    assert.deepEqual(passingShards.map((shard) => shard.verdict.specs.total).sort(), [2, 2], 'each shard ran its half');
    const merged = await mergeReports(await collectBlobReports(passingShards));
    assert.equal(merged.exitCode, 0, explain(merged));
    assert.equal(merged.verdict.specs.passed, 4);
    assert.deepEqual(merged.verdict.shards, ['shard 1/2', 'shard 2/2']);
    assert.deepEqual(
      merged.verdict.services.map((s: any) => s.name).sort(),
      ['backend (shard 1/2)', 'backend (shard 2/2)', 'database (shard 1/2)', 'database (shard 2/2)', 'frontend (shard 1/2)', 'frontend (shard 2/2)'],
      'the services\' readiness records survived into the merge',
    );
    for (const service of merged.verdict.services) assert.ok(service.readyAt, `${service.name} was ready`);
    assert.match(merged.output, /preflight verdict: pass, exit code 0\s*$/);
  });

  it('a merge that lacks a shard\'s blob report -> 3, naming the shard and its specs', async () => {
    assert.equal(passingShards.length, 2, 'needs the shards of the previous test');
    const merged = await mergeReports(await collectBlobReports([passingShards[1]!]));
    assert.equal(merged.exitCode, 3, explain(merged));
    assert.match(merged.output, /shard 1\/2 has no blob report in the merge/);
    const missing = merged.verdict.criticalFailures.filter((f: any) => f.kind === 'spec');
    assert.equal(missing.length, 2);
    assert.match(missing[0].reason, /it ran in no shard/);
  });

  it('failing demo app (upload-rejected): the merge gives the unsharded run\'s verdict, findings and exit code 3', async () => {
    const env = { DEMO_FAULT: 'backend:upload-rejected' };
    const unsharded = await runGate({ env });
    const shards = await shardsOf(env);
    assert.equal(unsharded.exitCode, 3, explain(unsharded));
    assert.deepEqual(shards.map((shard) => shard.exitCode).sort(), [0, 3], 'each shard exits with its own verdict');
    const merged = await mergeReports(await collectBlobReports(shards));
    assert.equal(merged.exitCode, 3, explain(merged));
    assert.deepEqual(findings(merged), findings(unsharded));
  });

  it('a frontend that crashes on start: each shard exits 3, and so does their merge, with the shards\' diagnoses (not "interrupted")', async () => {
    const env = { DEMO_FAULT: 'frontend:crash-on-start' };
    const [unsharded, ...shards] = await Promise.all([runGate({ env }), ...[1, 2].map((i) => runGate({ env, args: [`--shard=${i}/2`] }))]);
    assert.equal(unsharded!.exitCode, 3, explain(unsharded!));
    for (const shard of shards) assert.equal(shard.exitCode, 3, explain(shard));
    const merged = await mergeReports(await collectBlobReports(shards));
    assert.equal(merged.exitCode, 3, explain(merged));
    assert.match(merged.output, /preflight verdict: critical, exit code 3\s*$/);
    assert.doesNotMatch(merged.output, /preflight verdict: interrupted/);
    assert.equal(merged.verdict.verdict, 'critical');
    const titles = merged.verdict.criticalFailures.map((f: any) => f.title);
    for (const shard of ['shard 1/2', 'shard 2/2']) assert.ok(titles.includes(`frontend (${shard})`), `the frontend's failure of ${shard} is named: ${titles.join(', ')}`);
    const frontend = merged.verdict.criticalFailures.find((f: any) => f.title === 'frontend (shard 1/2)');
    assert.match(frontend.reason, /frontend exited with code 1 before it was ready/);
    const untimed = (reason: string) => reason.replace(/\([\d.]+ s after start\)/, '(N s after start)');
    assert.equal(untimed(unsharded!.verdict.criticalFailures.find((f: any) => f.title === 'frontend').reason), untimed(frontend.reason), 'the same diagnosis as the unsharded run');
  });
});

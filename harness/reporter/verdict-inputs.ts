import { loadConfig } from '../config/load-config.ts';
import type { DriftFinding } from '../core/findings.ts';
import type { ServiceRecord, SetupProblem } from '../core/service-record.ts';
import type { GateRun } from '../gate/gate-run.ts';
import { missingShards } from '../verdict/completeness.ts';
import { readRecords, shardLabel, type ShardRecord } from './shard-record.ts';
import type { AttributedWrite } from '../production/blocked-writes.ts';

/** What the verdict needs beyond the specs' results, whether this process ran the gate or merges shards. */
export interface GateFacts {
  strict: boolean;
  allowPartial: boolean;
  services: ServiceRecord[];
  setupProblems: SetupProblem[];
  drift: DriftFinding[];
  /** Why configuration drift was not checked (no rules file), if it was not. */
  driftNotChecked?: string;
  stoppedEarly?: string;
  startedAt?: string;
  /** Problems of completeness that are not a missing spec (a shard's report missing from a merge). */
  problems: string[];
  shards: string[];
  /** Writes to production the read-only proxy refused, with the spec each belongs to. */
  blockedWrites?: AttributedWrite[];
}

/** A run or a shard: what the gate recorded in this run (its blocked writes given their specs by the reporter). */
export function runFacts(run: GateRun, shard: ShardRecord['shard'], blockedWrites: AttributedWrite[]): GateFacts {
  return {
    blockedWrites,
    ...gateSettings(),
    services: run.serviceList(),
    setupProblems: run.setupProblems,
    drift: run.drift,
    driftNotChecked: run.driftNotChecked,
    stoppedEarly: run.stoppedEarly,
    startedAt: run.startedAt,
    problems: [],
    shards: shard ? [shardLabel(shard)] : [],
  };
}

/** A merge of shards' blob reports: what each shard's gate reporter recorded. */
export function mergedFacts(metadata: Record<string, unknown>): GateFacts {
  const records = readRecords(metadata);
  const settings = gateSettings();
  const problems = missingShards(records.map((record) => record.shard)).map(
    (shard) => `shard ${shard} has no blob report in the merge: collect every shard's reports/blob/ before merging`,
  );
  const setupProblems: SetupProblem[] = records.flatMap((record) =>
    record.setupProblems.map((problem) => ({ ...problem, what: `${problem.what} (${shardLabel(record.shard)})` })),
  );
  if (records.length === 0) {
    setupProblems.push({
      what: 'merge',
      diagnosis:
        'preflight: the blob reports carry no gate record, so the services\' readiness is unknown.\n' +
        '  likely cause: the shards ran without the gate reporter, or with another version of preflight.\n' +
        '  fix: run each shard with `npx playwright test --shard=i/n` (playwright.config.ts adds the blob reporter), then merge.',
    });
  }
  return {
    strict: settings.strict || records.some((record) => record.strict),
    allowPartial: settings.allowPartial || records.some((record) => record.allowPartial),
    services: records.flatMap((record) => record.services.map((service) => labelled(service, record))),
    setupProblems,
    drift: records.flatMap((record) => record.drift ?? []),
    // Every shard checks the same rules before its boot: one shard's word is the merge's.
    driftNotChecked: records.find((record) => record.driftNotChecked)?.driftNotChecked,
    stoppedEarly: stoppedShards(records),
    startedAt: records.map((record) => record.startedAt).sort()[0],
    problems,
    shards: records.map((record) => shardLabel(record.shard)),
    blockedWrites: records.flatMap((record) => record.productionWrites ?? []),
  };
}

/**
 * Playwright's run status as the verdict must see it: an early stop by the harness (this run's, or a shard's in a
 * merge, where Playwright reports the shards' SIGINT as an interruption) is a failure, not a Ctrl+C.
 */
export function statusForVerdict<T extends string>(status: T, facts: Pick<GateFacts, 'stoppedEarly'>): T | 'failed' {
  return status === 'interrupted' && facts.stoppedEarly ? 'failed' : status;
}

/** Why the harness stopped shards early, each reason once with the shards it stopped: "a service did not become ready (shard 1/2, shard 2/2)". */
function stoppedShards(records: ShardRecord[]): string | undefined {
  const shardsBy = new Map<string, string[]>();
  for (const record of records) if (record.stoppedEarly) shardsBy.set(record.stoppedEarly, [...(shardsBy.get(record.stoppedEarly) ?? []), shardLabel(record.shard)]);
  return shardsBy.size ? [...shardsBy].map(([reason, shards]) => `${reason} (${shards.join(', ')})`).join('; ') : undefined;
}

/** Strict and partial mode from the validated configuration; an invalid configuration is critical anyway. */
export function gateSettings(): Pick<ShardRecord, 'strict' | 'allowPartial'> {
  const loaded = loadConfig();
  return { strict: loaded.ok && loaded.config.strict, allowPartial: loaded.ok && loaded.config.allowPartial };
}

const labelled = (service: ServiceRecord, record: ShardRecord): ServiceRecord =>
  record.shard ? { ...service, name: `${service.name} (${shardLabel(record.shard)})` } : service;


import { loadConfig } from '../config/load-config.ts';
import type { DriftFinding } from '../core/findings.ts';
import type { ServiceRecord, SetupProblem } from '../core/service-record.ts';
import type { GateRun } from '../gate/gate-run.ts';
import { missingShards } from '../verdict/completeness.ts';
import { readRecords, shardLabel, type ShardRecord } from './shard-record.ts';

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
}

/** A run or a shard: what the gate recorded in this run. */
export function runFacts(run: GateRun, shard: ShardRecord['shard']): GateFacts {
  return {
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
    startedAt: records.map((record) => record.startedAt).sort()[0],
    problems,
    shards: records.map((record) => shardLabel(record.shard)),
  };
}

/** Strict and partial mode from the validated configuration; an invalid configuration is critical anyway. */
export function gateSettings(): Pick<ShardRecord, 'strict' | 'allowPartial'> {
  const loaded = loadConfig();
  return { strict: loaded.ok && loaded.config.strict, allowPartial: loaded.ok && loaded.config.allowPartial };
}

const labelled = (service: ServiceRecord, record: ShardRecord): ServiceRecord =>
  record.shard ? { ...service, name: `${service.name} (${shardLabel(record.shard)})` } : service;


import type { DriftFinding } from '../core/findings.ts';
import type { ServiceRecord, SetupProblem } from '../core/service-record.ts';
import type { AttributedWrite } from '../production/blocked-writes.ts';

/**
 * What a run's gate reporter leaves in its report for `merge-reports`: global setup does not run when reports
 * are merged, so the services' readiness and the run's settings travel in the config metadata of the blob report.
 */
export interface ShardRecord {
  shard: { current: number; total: number } | null;
  strict: boolean;
  allowPartial: boolean;
  /** The `--project` choices of the run (empty: every project). */
  projects: string[];
  startedAt: string;
  services: ServiceRecord[];
  setupProblems: SetupProblem[];
  /** Drift found before boot; optional so records of older shards still read. */
  drift?: DriftFinding[];
  /** Why drift was not checked, if it was not. */
  driftNotChecked?: string;
  /** Why the harness stopped this shard's run early (a service never became ready): its interruption is a failure. */
  stoppedEarly?: string;
  /** Writes to production the read-only proxy refused, with the spec each belongs to. */
  productionWrites?: AttributedWrite[];
}

const PREFIX = 'preflight-gate';

/** One key per shard: merge-reports merges the shards' metadata objects key by key. */
export const recordKey = (shard: ShardRecord['shard']) => (shard ? `${PREFIX} shard ${shard.current}/${shard.total}` : PREFIX);

/**
 * Publishes the record into `metadata`, read when a report serialises it: the blob reporter writes at the end of
 * the run, after global teardown, so the services' final state (died during the run, ...) is what travels.
 */
export function publishRecord(metadata: Record<string, unknown>, shard: ShardRecord['shard'], snapshot: () => ShardRecord): void {
  metadata[recordKey(shard)] = { toJSON: snapshot };
}

/** The records of every shard found in a merged report's metadata, in shard order. */
export function readRecords(metadata: Record<string, unknown>): ShardRecord[] {
  return Object.entries(metadata)
    .filter(([key, value]) => key.startsWith(PREFIX) && typeof value === 'object' && value !== null)
    .map(([, value]) => value as ShardRecord)
    .sort((a, b) => (a.shard?.current ?? 0) - (b.shard?.current ?? 0));
}

export const shardLabel = (shard: ShardRecord['shard']) => (shard ? `shard ${shard.current}/${shard.total}` : 'unsharded run');

import { CRITICAL_TAG } from '../core/findings.ts';
import { type MissingCriticalSpec, type SpecResult } from './verdict.ts';

/** A spec as a listing names it: enough to find it again in any run, shard or merged report. */
export interface SpecRef {
  title: string;
  file: string;
  line: number;
  project: string;
  tags: string[];
}

/** The identity of a spec across processes: the same in a listing, a shard and a merged report. */
export const specKey = (spec: Pick<SpecRef, 'project' | 'file' | 'title'>) => `${spec.project}\u0000${spec.file}\u0000${spec.title}`;

const FILTERED = 'filtered out of this run by the command line (--grep, --grep-invert, file arguments, --only-changed, --test-list)';
const LEFT_OUT = 'left out of this run after selection (--last-failed, or --shard on a filtered run)';
const NOT_IN_ANY_SHARD = 'it ran in no shard (filtered out, or its shard\'s blob report is missing from the merge)';

export interface CompletenessInput {
  /** Every spec of the configuration, listed without the command line's filters. */
  listed: SpecRef[];
  /** The specs of this run (what the reporter saw), after every filter and shard. */
  ran: Pick<SpecResult, 'project' | 'file' | 'title'>[];
  /** The specs Playwright selected before sharding (Reporter.preprocess), when known. */
  selected?: Pick<SpecRef, 'project' | 'file' | 'title'>[];
  /** This run is one shard: specs of other shards are expected to be absent, so only filtered-out ones count. */
  shard?: { current: number; total: number };
  /** This is a merge of shards' reports: the whole set is expected. */
  merged?: boolean;
}

/** The @critical specs that should have been in this run and were not, each with why. */
export function findMissingCriticalSpecs(input: CompletenessInput): MissingCriticalSpec[] {
  const ran = new Set(input.ran.map(specKey));
  const selected = input.selected && new Set(input.selected.map(specKey));
  const missing = new Map<string, MissingCriticalSpec>();
  for (const spec of input.listed) {
    if (!spec.tags.includes(CRITICAL_TAG)) continue;
    const key = specKey(spec);
    if (missing.has(key) || ran.has(key)) continue;
    let why: string;
    if (input.merged) why = NOT_IN_ANY_SHARD;
    else if (selected && !selected.has(key)) why = FILTERED;
    else if (input.shard) continue; // selected, so it belongs to another shard
    else why = selected ? LEFT_OUT : FILTERED;
    const { title, file, line, project } = spec;
    missing.set(key, { title, file, line, project, why });
  }
  return [...missing.values()];
}

/** Shards whose reports a merge lacks, e.g. "2/3". */
export function missingShards(shards: Array<{ current: number; total: number } | null | undefined>): string[] {
  const present = shards.filter((shard): shard is { current: number; total: number } => Boolean(shard));
  const total = Math.max(0, ...present.map((shard) => shard.total));
  const seen = new Set(present.map((shard) => shard.current));
  const absent: string[] = [];
  for (let current = 1; current <= total; current++) if (!seen.has(current)) absent.push(`${current}/${total}`);
  return absent;
}

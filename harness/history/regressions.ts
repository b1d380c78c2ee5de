import type { HistoryRecord } from './history-record.ts';

/** How many earlier runs the last one is compared with, and in which a spec may be flaky at most once. */
export const WINDOW = 10;

export interface RegressionSettings {
  /** How much slower than the median counts as a regression: 0.5 = 50 % slower. */
  threshold: number;
  /** Below this many milliseconds slower, nothing is a regression: timer noise on a busy machine. */
  minDeltaMs: number;
}

export const DEFAULT_SETTINGS: RegressionSettings = { threshold: 0.5, minDeltaMs: 250 };

/** A median needs a few runs to mean anything. */
const MIN_SAMPLES = 3;

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function slower(what: string, last: number, earlier: number[], settings: RegressionSettings): string | undefined {
  if (earlier.length < MIN_SAMPLES) return undefined;
  const typical = median(earlier);
  if (last <= typical * (1 + settings.threshold) || last - typical < settings.minDeltaMs) return undefined;
  return (
    `${what} regressed: ${Math.round(last)} ms in the last run against a median of ${Math.round(typical)} ms over the ` +
    `${earlier.length} runs before it (+${Math.round((last / typical - 1) * 100)} %, threshold +${Math.round(settings.threshold * 100)} %)`
  );
}

/**
 * What got worse: the last run's time to ready per service and duration per @critical spec against the median of the
 * WINDOW runs before it, and specs flaky in 2 or more of the last WINDOW runs.
 */
export function findRegressions(records: HistoryRecord[], settings: RegressionSettings = DEFAULT_SETTINGS): string[] {
  const last = records.at(-1);
  if (!last) return [];
  const earlier = records.slice(-WINDOW - 1, -1);
  const warnings: string[] = [];
  for (const service of last.services) {
    if (service.msToReady === undefined) continue;
    const before = earlier.flatMap((run) => run.services.filter((s) => s.name === service.name && s.msToReady !== undefined).map((s) => s.msToReady!));
    const found = slower(`${service.name}: time to ready`, service.msToReady, before, settings);
    if (found) warnings.push(found);
  }
  for (const spec of last.specs) {
    if (!spec.critical || (spec.outcome !== 'expected' && spec.outcome !== 'flaky')) continue;
    const before = earlier.flatMap((run) =>
      run.specs.filter((s) => s.title === spec.title && s.project === spec.project && (s.outcome === 'expected' || s.outcome === 'flaky')).map((s) => s.durationMs),
    );
    const found = slower(`@critical spec "${spec.title}" (${spec.project}): duration`, spec.durationMs, before, settings);
    if (found) warnings.push(found);
  }
  const flakyCounts = new Map<string, number>();
  for (const run of records.slice(-WINDOW)) for (const title of new Set(run.flaky)) flakyCounts.set(title, (flakyCounts.get(title) ?? 0) + 1);
  for (const [title, count] of flakyCounts) {
    if (count >= 2) warnings.push(`spec "${title}" was flaky (passed only on retry) in ${count} of the last ${Math.min(WINDOW, records.length)} runs`);
  }
  return warnings;
}

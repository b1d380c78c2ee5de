// Median and range of the bench figures, and the table a person reads.

export interface Range {
  median: number;
  min: number;
  max: number;
  n: number;
}

export interface RunLike {
  wallMs: number;
  firstTestMs?: number;
  readinessDelayMs: { backend?: number; frontend?: number };
  teardownMs?: number;
  peakMemoryMb: number;
  leftoverProcesses: number;
}

export function range(values: Array<number | undefined>): Range {
  const known = values.filter((value): value is number => value !== undefined && Number.isFinite(value)).sort((a, b) => a - b);
  if (!known.length) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = Math.floor(known.length / 2);
  const median = known.length % 2 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
  return { median: Math.round(median), min: Math.round(known[0]), max: Math.round(known.at(-1)!), n: known.length };
}

export function summarize(runs: RunLike[]) {
  return {
    wallMs: range(runs.map((run) => run.wallMs)),
    firstTestMs: range(runs.map((run) => run.firstTestMs)),
    readinessDelayMs: {
      backend: range(runs.map((run) => run.readinessDelayMs.backend)),
      frontend: range(runs.map((run) => run.readinessDelayMs.frontend)),
    },
    teardownMs: range(runs.map((run) => run.teardownMs)),
    peakMemoryMb: range(runs.map((run) => run.peakMemoryMb)),
    leftoverProcesses: runs.reduce((sum, run) => sum + run.leftoverProcesses, 0),
  };
}

export type Summary = ReturnType<typeof summarize>;

const cell = (r: Range, unit: string) => (r.n ? `${r.median} ${unit} (${r.min}-${r.max})` : 'n/a');

export function formatTable(preflight: Summary, baseline: Summary, ratio: number, machine: Record<string, unknown>): string {
  const rows: Array<[string, string, string]> = [
    ['wall time, command to exit', cell(preflight.wallMs, 'ms'), cell(baseline.wallMs, 'ms')],
    ['command to first spec body', cell(preflight.firstTestMs, 'ms'), cell(baseline.firstTestMs, 'ms')],
    ['backend listening -> declared ready', cell(preflight.readinessDelayMs.backend, 'ms'), cell(baseline.readinessDelayMs.backend, 'ms')],
    ['frontend listening (and its backend ready) -> declared ready', cell(preflight.readinessDelayMs.frontend, 'ms'), cell(baseline.readinessDelayMs.frontend, 'ms')],
    ['teardown, last spec end to exit', cell(preflight.teardownMs, 'ms'), cell(baseline.teardownMs, 'ms')],
    ['peak memory of the process tree (summed RSS)', cell(preflight.peakMemoryMb, 'MB'), cell(baseline.peakMemoryMb, 'MB')],
    ['processes left behind (all runs)', String(preflight.leftoverProcesses), String(baseline.leftoverProcesses)],
  ];
  const lines = [
    '| median (min-max) | preflight | Playwright webServer |',
    '| --- | --- | --- |',
    ...rows.map(([what, a, b]) => `| ${what} | ${a} | ${b} |`),
    '',
    `ratio (preflight median wall / webServer median wall): ${ratio}`,
    `machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, Playwright ${machine.playwright}, ${machine.browser}`,
  ];
  return lines.join('\n');
}

/** preflight's runs against the chain's limit (bench/run-bench.ts distanceFigures). */
export type Distance = Record<'limitMs' | 'firstSpecMs' | 'distanceMs' | 'runnerStartMs' | 'longestChainMs' | 'floorWallMs', Range> & { floorRatio: number };

/** preflight's first spec against the chain's limit, and the ratio a gate whose first spec began at the limit would reach. */
export function formatDistance(distance: Distance): string {
  return [
    `chain's limit for the first spec (runner start ${cell(distance.runnerStartMs, 'ms')} + longest chain of times to ready ${cell(distance.longestChainMs, 'ms')}): ${cell(distance.limitMs, 'ms')}; the specs then add the same to any gate`,
    `preflight's first spec began at ${cell(distance.firstSpecMs, 'ms')}: ${cell(distance.distanceMs, 'ms')} after the limit`,
    `a gate whose first spec began at the limit, with the same specs and teardown: ${cell(distance.floorWallMs, 'ms')}, ratio ${distance.floorRatio}`,
  ].join('\n');
}

/** The dependency chain scenario: wall times against webServer's array form, and preflight's distance to the chain's limit. */
export function formatChainTable(preflight: Summary, baseline: Summary, ratio: number, distance: Distance): string {
  return [
    '| median (min-max) | preflight | Playwright webServer (array) |',
    '| --- | --- | --- |',
    `| wall time, command to exit | ${cell(preflight.wallMs, 'ms')} | ${cell(baseline.wallMs, 'ms')} |`,
    `| command to first spec body | ${cell(preflight.firstTestMs, 'ms')} | ${cell(baseline.firstTestMs, 'ms')} |`,
    `| processes left behind (all runs) | ${preflight.leftoverProcesses} | ${baseline.leftoverProcesses} |`,
    '',
    `ratio (preflight median wall / webServer array median wall): ${ratio}`,
    formatDistance(distance),
  ].join('\n');
}

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

/** preflight's runs against the chain's limit and the serial limit (bench/run-bench.ts distanceFigures); limitRatio in thousandths. */
export type Distance = Record<'limitMs' | 'firstSpecMs' | 'distanceMs' | 'runnerStartMs' | 'longestChainMs' | 'floorWallMs' | 'serialLimitMs' | 'belowSerialLimitMs' | 'limitRatio' | 'parallelLimitMs', Range> & {
  floorRatio: number;
  serialSpecsMs: number;
  longestSpecMs: number;
  parallelLimitRatio: number;
};

/** preflight's first spec against the chain's limit, and the ratio a gate whose first spec began at the limit would reach. */
export function formatDistance(distance: Distance): string {
  return [
    `chain's limit for the first spec (runner start ${cell(distance.runnerStartMs, 'ms')} + longest chain of times to ready ${cell(distance.longestChainMs, 'ms')}): ${cell(distance.limitMs, 'ms')}; the specs then add the same to any gate`,
    `preflight's first spec began at ${cell(distance.firstSpecMs, 'ms')}: ${cell(distance.distanceMs, 'ms')} after the limit`,
    `a gate whose first spec began at the limit, with the same specs and teardown: ${cell(distance.floorWallMs, 'ms')}, ratio ${distance.floorRatio}`,
    `the serial limit (the chain's limit, the specs one after another as webServer ran them, ${distance.serialSpecsMs} ms, and the teardown): ${cell(distance.serialLimitMs, 'ms')}; preflight ended ${cell(distance.belowSerialLimitMs, 'ms')} below it`,
    `the parallel limit (the chain's limit, the longest spec alone as webServer ran it, ${distance.longestSpecMs} ms, and the teardown): ${cell(distance.parallelLimitMs, 'ms')}, ratio ${distance.parallelLimitRatio}: no gate running these specs ends sooner here`,
  ].join('\n');
}

export interface Goal {
  what: string;
  measured: string;
  met: boolean;
}

/** The goals of docs/benchmark.md, judged on one bench run's medians. */
export function judgeGoals(figures: { ratio: number; chainDistance: Distance; runnerStartMs: number; bareListMs: number; preflight: Summary; baseline: Summary }): Goal[] {
  const chainRatio = figures.chainDistance.limitRatio.median / 1000;
  const startRatio = figures.runnerStartMs / figures.bareListMs;
  const memory = figures.preflight.peakMemoryMb.median;
  const baselineMemory = figures.baseline.peakMemoryMb.median;
  return [
    { what: 'demo: wall time at most 0.6 of webServer\'s', measured: `${figures.ratio}`, met: figures.ratio <= 0.6 },
    { what: 'chain: first spec within 1.05x of its limit', measured: `${chainRatio.toFixed(2)}x`, met: chainRatio <= 1.05 },
    {
      what: 'runner start (command to first spawn) within 1.3x of a bare `npx playwright test --list`',
      measured: `${figures.runnerStartMs} ms against ${figures.bareListMs} ms, ${startRatio.toFixed(2)}x`,
      met: startRatio <= 1.3,
    },
    { what: 'demo: peak memory no more than webServer\'s', measured: `${memory} MB against ${baselineMemory} MB`, met: memory <= baselineMemory },
  ];
}

export function formatGoals(goals: Goal[]): string {
  return ['goals:', ...goals.map((goal) => `  ${goal.met ? 'met    ' : 'not met'}  ${goal.what}: ${goal.measured}`)].join('\n');
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

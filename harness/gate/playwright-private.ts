import type { TestResult } from '@playwright/test/reporter';

/**
 * Every use of Playwright's private or undocumented surface, in one file: what the gate needs that Playwright does
 * not publish (how a reporter runs, when a spec's body began, which process is the runner, what its command line
 * chose). An upgrade of @playwright/test that changes any of it breaks here, and selftest/unit/playwright-private.test.ts
 * says which of these it was.
 */

/** How a reporter runs: `test` (a run or one shard), `merge` (merge-reports), `list` (`--list`, no verdict). */
export type ReporterMode = 'test' | 'merge' | 'list';

/** Playwright passes reporters an undocumented `_mode` option: 'test', 'merge' or 'list'. */
export function reporterMode(options: { _mode?: string }): ReporterMode {
  return options._mode === 'merge' ? 'merge' : options._mode === 'list' ? 'list' : 'test';
}

/** The title of the step Playwright wraps a spec's fixtures and beforeEach hooks in. */
export const BEFORE_HOOKS_STEP = 'Before Hooks';

/** When the spec's own body began: after its fixtures (the boot wait among them) were set up. */
export function specBodyStartedAt(result: TestResult): Date {
  const hooks = result.steps.find((step) => step.category === 'hook' && step.title === BEFORE_HOOKS_STEP);
  return hooks ? new Date(hooks.startTime.getTime() + hooks.duration) : result.startTime;
}

/** The title of the step Playwright wraps a spec's fixture teardown and afterEach hooks in. */
export const AFTER_HOOKS_STEP = 'After Hooks';

/**
 * When the spec ended: after its fixtures were torn down. `startTime + duration` is not that: the duration leaves out
 * the worker fixtures the spec waited for (the boot, the browser's launch), so it ends too early for a worker's first spec.
 */
export function specEndedAt(result: TestResult): Date {
  const hooks = [...result.steps].reverse().find((step) => step.category === 'hook' && step.title === AFTER_HOOKS_STEP);
  const byDuration = result.startTime.getTime() + result.duration;
  return new Date(hooks ? Math.max(byDuration, hooks.startTime.getTime() + hooks.duration) : byDuration);
}

/** Playwright's own error when no spec matched: the verdict's "no specs ran", not a run error. */
export const isNoTestsFound = (message: string) => /^(Error: )?No tests found/.test(message);

/** Set by Playwright in every worker process. */
export const WORKER_INDEX_VAR = 'TEST_WORKER_INDEX';
/** Set by Playwright's watch mode (`--watch`). */
export const WATCH_VAR = 'PWTEST_WATCH';

/**
 * Whether this process is the runner of a `playwright test` run that will reach global setup: not a worker,
 * not a listing (`--list`, which the gate reporter itself spawns), not UI or watch mode, not merge-reports.
 * Only there may playwright.config.ts start the gate early. Errs towards "no": global setup starts it anyway.
 */
export function isTestRunnerProcess(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (env[WORKER_INDEX_VAR] !== undefined || env[WATCH_VAR]) return false;
  const command = argv.slice(2).find((arg) => !arg.startsWith('-'));
  if (command !== 'test') return false;
  const excluded = ['--list', '--ui', '--ui-host', '--ui-port', '--help', '-h', '--debug'];
  return !argv.some((arg) => excluded.includes(arg.split('=')[0]!));
}

// Playwright does not tell reporters or the config which projects were chosen or whether the run is sharded
// before the run begins, so these read `process.argv` (passed in, for tests).

/** The `--project` choices: a scope the user chose, kept when listing the specs a run should contain. */
export function projectsFromArgv(argv: readonly string[]): string[] {
  const projects: string[] = [];
  argv.forEach((arg, index) => {
    if (arg === '--project' && argv[index + 1] !== undefined) projects.push(argv[index + 1]!);
    else if (arg.startsWith('--project=')) projects.push(arg.slice('--project='.length));
  });
  return projects;
}

/** The `--reporter` of the command line (which replaces the configuration's reporters), if given. */
export function reporterFromArgv(argv: readonly string[]): string | undefined {
  let reporter: string | undefined;
  argv.forEach((arg, index) => {
    if (arg === '--reporter' && argv[index + 1] !== undefined) reporter = argv[index + 1]!;
    else if (arg.startsWith('--reporter=')) reporter = arg.slice('--reporter='.length);
  });
  return reporter;
}

/** Whether this `playwright test` run is one shard (`--shard=i/n` or `--shard i/n`). */
export function isShardedRun(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--shard' || arg.startsWith('--shard='));
}

/**
 * The `--workers` (`-j`) of the command line, which wins over the configuration's: a number, or a share of the cores
 * ("50%"). Undefined when the command line sets none, or sets something Playwright itself will refuse.
 */
export function workersFromArgv(argv: readonly string[], cores: number): number | undefined {
  let value: string | undefined;
  argv.forEach((arg, index) => {
    if ((arg === '--workers' || arg === '-j') && argv[index + 1] !== undefined) value = argv[index + 1];
    else if (arg.startsWith('--workers=')) value = arg.slice('--workers='.length);
    else if (arg.startsWith('-j=')) value = arg.slice('-j='.length);
  });
  if (value === undefined) return undefined;
  const share = /^(\d+)%$/.exec(value);
  const workers = share ? Math.max(1, Math.floor((cores * Number(share[1])) / 100)) : Number(value);
  return Number.isInteger(workers) && workers > 0 ? workers : undefined;
}

/** Options that narrow which specs run: with any of them, the run's own selection is not the whole suite. */
const FILTERS = new Set(['--grep', '-g', '--grep-invert', '--only-changed', '--last-failed', '--test-list', '--test-list-invert', '--shard']);
/** Options that take a value and do not filter specs. */
const VALUE_OPTIONS = new Set([
  '-c', '--config', '--project', '--reporter', '-j', '--workers', '--retries', '--timeout', '--global-timeout',
  '--max-failures', '--output', '--repeat-each', '--trace', '--browser', '--tsconfig',
]);
/** Flags that do not filter specs. */
const FLAGS = new Set(['--headed', '--debug', '--pass-with-no-tests', '--quiet', '--fully-parallel', '--forbid-only', '--fail-on-flaky-tests', '--no-deps', '--ignore-snapshots', '-x']);

/**
 * Whether `playwright test`'s command line may have narrowed the specs (a filter option, a file argument, or an
 * option this does not know). When it cannot have, the run's own selection is the whole suite of the chosen
 * projects, and no separate listing is needed. Errs towards "may filter".
 */
export function commandLineMayFilter(argv: readonly string[]): boolean {
  const start = argv.indexOf('test');
  if (start < 0) return true;
  for (let index = start + 1; index < argv.length; index++) {
    const arg = argv[index]!;
    const name = arg.split('=')[0]!;
    if (FILTERS.has(name)) return true;
    if (VALUE_OPTIONS.has(name)) {
      if (!arg.includes('=')) index++;
      continue;
    }
    if (FLAGS.has(name)) continue;
    return true;
  }
  return false;
}

/** What a plugin's setup receives as the reporter: every reporter of the run at once. */
interface RunnerReporter {
  onStdOut?(chunk: string): void;
}

/**
 * Playwright's private config key `'@playwright/test': { plugins }`: a plugin's setup gets the runner's reporter,
 * and what it hands `onStdOut` reaches every reporter as output, as the lines of Playwright's own webServer do.
 * Printed so, the list reporter counts the lines and keeps rewriting its own in a terminal; written to the
 * terminal directly, they would shift the line it rewrites.
 */
export function reporterOutputPlugin(onSetup: (print: (text: string) => void) => void): Record<string, unknown> {
  const plugin = { setup: (_config: unknown, _configDir: string, reporter: RunnerReporter) => onSetup((text) => reporter.onStdOut?.(text)) };
  return { '@playwright/test': { plugins: [plugin] } };
}

/**
 * What the gate needs from the runner's own command line. Playwright does not tell reporters or the config which
 * projects were chosen or whether the run is sharded, so these read `process.argv` (passed in, for tests).
 */

/** The `--project` choices: a scope the user chose, kept when listing the specs a run should contain. */
export function projectsFromArgv(argv: readonly string[]): string[] {
  const projects: string[] = [];
  argv.forEach((arg, index) => {
    if (arg === '--project' && argv[index + 1] !== undefined) projects.push(argv[index + 1]!);
    else if (arg.startsWith('--project=')) projects.push(arg.slice('--project='.length));
  });
  return projects;
}

/** Whether this `playwright test` run is one shard (`--shard=i/n` or `--shard i/n`). */
export function isShardedRun(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--shard' || arg.startsWith('--shard='));
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

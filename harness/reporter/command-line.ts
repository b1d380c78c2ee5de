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

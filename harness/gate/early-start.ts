/**
 * Whether this process is the runner of a `playwright test` run that will reach global setup: not a worker,
 * not a listing (`--list`, which the gate reporter itself spawns), not UI or watch mode, not merge-reports.
 * Only there may playwright.config.ts start the gate early. Errs towards "no": global setup starts it anyway.
 */
export function isTestRunnerProcess(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (env.TEST_WORKER_INDEX !== undefined || env.PWTEST_WATCH) return false;
  const command = argv.slice(2).find((arg) => !arg.startsWith('-'));
  if (command !== 'test') return false;
  const excluded = ['--list', '--ui', '--ui-host', '--ui-port', '--help', '-h', '--debug'];
  return !argv.some((arg) => excluded.includes(arg.split('=')[0]!));
}

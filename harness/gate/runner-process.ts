import { GateRun } from './gate-run.ts';

/**
 * The one place where the run crosses a boundary Playwright puts in its way, and so the one place with a global,
 * an environment variable and a signal. Everything else receives the run as an argument.
 *
 * Playwright loads playwright.config.ts, global setup and the reporters in one runner process, each through its
 * own loader: they do not share module instances, so a module-level variable would be three variables. The specs
 * run in worker processes Playwright forks after global setup. Hence:
 *  1. the run object lives in one globalThis slot of the runner process;
 *  2. the workers learn the boot channel's address from one environment variable, which they inherit (and the URLs
 *     chosen at run time from PREFLIGHT_<NAME>_URL);
 *  3. the harness ends a run early with a SIGINT to the runner itself: Playwright has no public call to stop a
 *     run, and handles SIGINT like Ctrl+C (stops workers, runs global teardown and the reporters).
 */

const RUN_SLOT = Symbol.for('preflight.run');

/** Name of the variable that tells workers where to ask for the boot outcome (harness/gate/boot-channel.ts). */
export const BOOT_CHANNEL_VAR = 'PREFLIGHT_BOOT_CHANNEL';

/** The run of this runner process, made on first use; making it arms the exit guard. */
export function runOfThisProcess(): GateRun {
  const holder = globalThis as { [RUN_SLOT]?: GateRun };
  if (!holder[RUN_SLOT]) {
    holder[RUN_SLOT] = new GateRun();
    armExitGuard(holder[RUN_SLOT]);
  }
  return holder[RUN_SLOT];
}

/** Tells the workers Playwright will fork where the boot channel is. */
export function publishBootChannel(url: string): void {
  process.env[BOOT_CHANNEL_VAR] = url;
}

/**
 * Tells the workers the URLs chosen at this run (a service declared on port 0: harness/services/free-ports.ts), as
 * the PREFLIGHT_<NAME>_URL they read the configuration with.
 */
export function publishServiceUrls(urls: Record<string, string>): void {
  Object.assign(process.env, urls);
}

/** In a worker: the boot channel's address, if the runner published one. */
export function bootChannelUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[BOOT_CHANNEL_VAR];
}

/**
 * Ends the Playwright run the way Ctrl+C does; the run records why, so the verdict reports the cause. Before any
 * spec has begun (global setup, workers starting) the signal waits for the first one: a SIGINT in that phase once
 * left a worker that never exited (Playwright force-killed it 300 s later).
 */
export function stopPlaywrightRun(run: GateRun, reason: string): void {
  if (run.stoppedEarly) return;
  run.stoppedEarly = reason;
  if (!run.testsBegan) {
    run.stopPending = true;
    return;
  }
  process.kill(process.pid, 'SIGINT');
}

/** The gate reporter's word that a spec began: an early stop decided before then is sent now. */
export function specsHaveBegun(run: GateRun): void {
  if (run.testsBegan) return;
  run.testsBegan = true;
  if (run.stopPending) process.kill(process.pid, 'SIGINT');
}

/**
 * If the runner ends before the gate reporter decided a verdict (Playwright failed before the run, a merge could
 * not read its blobs, the runner crashed), the exit code is 3, never Playwright's 0 or 1, which the table would
 * read as a pass or a warning. Ctrl+C keeps its 130.
 */
function armExitGuard(run: GateRun): void {
  process.on('exit', (code) => {
    if (run.verdictExitCode !== undefined || code === 130) return;
    process.stderr.write(
      `\npreflight: the run ended (exit ${code}) before the gate could decide a verdict; see the error above.\n` +
        'preflight verdict: critical, exit code 3\n',
    );
    process.exitCode = 3;
  });
}

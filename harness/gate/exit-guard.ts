import { currentRun } from './run-state.ts';

const installed = Symbol.for('preflight.exit-guard');

/**
 * In the runner: if the process ends before the gate reporter decided a verdict (Playwright failed before the
 * run, the runner crashed), the exit code is 3, never Playwright's 0 or 1, which the table would read as a pass
 * or a warning. Ctrl+C keeps its 130.
 */
export function installExitGuard(): void {
  const holder = globalThis as { [installed]?: true };
  if (holder[installed]) return;
  holder[installed] = true;
  process.on('exit', (code) => {
    if (currentRun().verdictExitCode !== undefined || code === 130) return;
    process.stderr.write(
      `\npreflight: the run ended (exit ${code}) before the gate could decide a verdict; see the error above.\n` +
        'preflight verdict: critical, exit code 3\n',
    );
    process.exitCode = 3;
  });
}

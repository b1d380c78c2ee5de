import type { FullConfig } from '@playwright/test';
import { chooseChromium } from '../browser/chromium.ts';
import { loadConfig } from '../config/load-config.ts';
import { checkDriftBeforeBoot } from '../drift/gate-drift.ts';
import { serviceEnvironment } from '../network/ipv4-first.ts';
import { reportPaths } from '../run/report-paths.ts';
import { installConsoleRedaction } from '../run/redact.ts';
import { currentRun, stopRunEarly } from '../run/run-state.ts';
import { bootServices } from '../services/boot.ts';
import { BOOT_CHANNEL_VAR, openBootChannel } from './boot-channel.ts';
import { PreflightError } from './preflight-error.ts';

const GATE_REPORTER = 'gate-reporter';

/**
 * Starts every service at once and returns without waiting for them: workers start and launch the browser
 * meanwhile, and the first spec waits for readiness through the boot channel. Returns the teardown.
 */
export default async function globalSetup(playwrightConfig: FullConfig): Promise<() => Promise<void>> {
  installConsoleRedaction();
  const run = currentRun();

  const gateReporterLoaded = playwrightConfig.reporter.some(([name]) => name.includes(GATE_REPORTER));
  if (!gateReporterLoaded) {
    throw new PreflightError(
      'preflight: the gate reporter is not loaded, so the exit code would not be the verdict.\n' +
        '  likely cause: --reporter on the command line replaces the reporters of playwright.config.ts.\n' +
        '  fix: add it, e.g. --reporter=list,./harness/reporter/gate-reporter.ts',
    );
  }

  const loaded = loadConfig();
  if (!loaded.ok) {
    const diagnosis = [
      'preflight: the configuration is invalid; nothing was started.',
      ...loaded.problems.map((problem) => `  - ${problem}`),
      '  fix: correct these variables in the environment or in .env (see .env.example).',
    ].join('\n');
    run.setupProblems.push({ what: 'configuration', diagnosis });
    throw new PreflightError(diagnosis);
  }

  const paths = reportPaths();
  await checkDriftBeforeBoot(loaded.config, paths, run);

  const browser = chooseChromium(loaded.config.chromiumPath);
  if (browser.kind === 'missing') {
    const diagnosis = `preflight: no browser to walk the demo flow with; nothing was started.\n  ${browser.problem}`;
    run.setupProblems.push({ what: 'browser', diagnosis });
    throw new PreflightError(diagnosis);
  }

  const boot = bootServices(loaded.config, {
    logDir: paths.logs,
    env: serviceEnvironment(loaded.config),
    onRecord: (record) => run.services.set(record.name, record),
  });
  // A service that cannot become ready ends the run at once: every spec would only fail on it.
  void boot.outcome.then((outcome) => {
    if (!outcome.ok && outcome.services.some((service) => service.failure)) stopRunEarly('a service did not become ready');
  });
  const channel = await openBootChannel(boot.outcome, () => [...run.services.values()]);
  process.env[BOOT_CHANNEL_VAR] = channel.url;
  process.env.PREFLIGHT_BOOT_TIMEOUT_MS = String(loaded.config.readyTimeoutMs + 5_000);

  return async () => {
    await channel.close();
    await boot.teardown();
  };
}

import { chooseChromium } from '../browser/chromium.ts';
import { describeConfigProblems, loadConfig } from '../config/load-config.ts';
import { checkDriftBeforeBoot } from '../drift/gate-drift.ts';
import { serviceEnvironment } from '../network/ipv4-first.ts';
import { installExitGuard } from './exit-guard.ts';
import { reportPaths } from '../reporter/report-paths.ts';
import { installConsoleRedaction } from '../secrets/redact.ts';
import { currentRun, type RunState } from './run-state.ts';
import { bootServices, type BootOutcome } from '../services/boot.ts';
import { BOOT_CHANNEL_VAR, openBootChannel } from './boot-channel.ts';
import { PreflightError } from '../core/preflight-error.ts';

export interface GateStart {
  /** Settles once every service is ready, or as soon as one fails. */
  outcome: Promise<BootOutcome>;
  teardown(): Promise<void>;
}

const key = Symbol.for('preflight.gate-start');

/**
 * Everything before the specs, in order: the configuration, the drift rules, the browser, then the boot of every
 * service at once, published on the boot channel. Once per runner process: playwright.config.ts may start it
 * while Playwright still loads the specs, and global setup adopts it. Rejects with a PreflightError (recorded in
 * the run state) when the gate cannot start.
 */
export function startGate(): Promise<GateStart> {
  const holder = globalThis as { [key]?: Promise<GateStart> };
  holder[key] ??= begin(currentRun());
  return holder[key];
}

/** Stops what an early start began, for a run that ends before global setup could adopt it. */
export async function abandonGate(): Promise<void> {
  const started = (globalThis as { [key]?: Promise<GateStart> })[key];
  await started?.then((gate) => gate.teardown(), () => undefined);
}

async function begin(run: RunState): Promise<GateStart> {
  installExitGuard();
  installConsoleRedaction();
  const loaded = loadConfig();
  if (!loaded.ok) {
    const diagnosis = describeConfigProblems(loaded.problems, 'the configuration is invalid; nothing was started.');
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
  const channel = await openBootChannel(boot.outcome, () => [...run.services.values()]);
  process.env[BOOT_CHANNEL_VAR] = channel.url;

  return {
    outcome: boot.outcome,
    teardown: async () => {
      await channel.close();
      await boot.teardown();
    },
  };
}

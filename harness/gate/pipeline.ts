import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { chooseChromium } from '../browser/chromium.ts';
import { launchSharedBrowser, type SharedBrowser } from '../browser/shared-browser.ts';
import { describeConfigProblems, loadConfig } from '../config/load-config.ts';
import { PreflightError } from '../core/preflight-error.ts';
import { checkDriftBeforeBoot } from '../drift/gate-drift.ts';
import { serviceEnvironment } from '../network/ipv4-first.ts';
import { reportPaths } from '../core/report-paths.ts';
import { installConsoleRedaction } from '../secrets/redact.ts';
import { bootServices, type BootOutcome } from '../services/boot.ts';
import { openBootChannel } from './boot-channel.ts';
import type { GateRun, GateStart } from './gate-run.ts';
import { publishBootChannel, publishServiceUrls, stopPlaywrightRun } from './runner-process.ts';
import { assignFreePorts } from '../services/free-ports.ts';
import { projectsFromArgv, reporterFromArgv } from './playwright-private.ts';
import { gateReporterReference, harnessModule } from '../playwright/module-path.ts';

/**
 * The gate from configuration to exit code, in the order it happens. Playwright drives the order (config file,
 * global setup, workers, reporter), so each stage is a function its hook calls with the run:
 *
 *   1. configuration, 2. drift, 3. browser, 4. boot        startGate    (playwright.config.ts, or global setup)
 *   adopt the start, stop early when a service fails       adoptGate    (harness/gate/global-setup.ts)
 *   5. specs                                               Playwright's workers; harness/fixtures/gate-fixtures.ts
 *                                                          waits for the boot on the boot channel
 *   6. verdict: facts -> report, summary, console, code    judgeRun     (harness/reporter/judge-run.ts, pure)
 *   7. write the reports, print the verdict, exit          harness/reporter/gate-reporter.ts
 *
 * Where the run crosses a process or loader boundary: harness/gate/runner-process.ts.
 */

/** Stages 1 to 4, begun once per run: a second call returns the same start. Rejects with a PreflightError (recorded in the run) when the gate cannot start. */
export function startGate(run: GateRun): Promise<GateStart> {
  run.start ??= begin(run);
  return run.start;
}

async function begin(run: GateRun): Promise<GateStart> {
  installConsoleRedaction();

  // 1. Configuration: every problem at once, before anything starts.
  const loaded = loadConfig();
  if (!loaded.ok) {
    const diagnosis = describeConfigProblems(loaded.problems, 'the configuration is invalid; nothing was started.');
    run.setupProblems.push({ what: 'configuration', diagnosis });
    throw new PreflightError(diagnosis);
  }
  const config = loaded.config;
  const paths = reportPaths();

  // 2. Drift: critical drift stops the run before any service starts.
  await checkDriftBeforeBoot(config, paths, run);

  // 3. Browser: without one there is nothing to walk the demo flow with.
  const browser = chooseChromium(config.chromiumPath);
  if (browser.kind === 'missing') {
    const diagnosis = `preflight: no browser to walk the demo flow with; nothing was started.\n  ${browser.problem}`;
    run.setupProblems.push({ what: 'browser', diagnosis });
    throw new PreflightError(diagnosis);
  }

  // Services declared on port 0 get a free one now; the workers read the configuration with it.
  publishServiceUrls(await assignFreePorts(config));

  // 4. Boot: every service at once, its outcome published to the workers as soon as it settles, its progress on the console.
  run.progress.watch(config.services);
  const boot = bootServices(config, {
    logDir: paths.logs,
    env: serviceEnvironment(config),
    run: run.identity,
    onRecord: (record) => {
      run.record(record);
      run.progress.record(record);
    },
    onProbe: (name, outcome) => run.progress.probe(name, outcome),
  });
  void boot.outcome.then((settled) => run.progress.settled(settled), () => run.progress.stop());
  // The workers' browser, launched once while the services boot; a launch that fails leaves each worker to launch its own.
  const sharedBrowser: Promise<SharedBrowser | undefined> = run.browserLaunch ? launchSharedBrowser(run.browserLaunch).catch(() => undefined) : Promise.resolve(undefined);
  const channel = await openBootChannel(boot.outcome, () => run.serviceList(), () => run.productionWrites, sharedBrowser);
  publishBootChannel(channel.url);

  return {
    outcome: boot.outcome,
    teardown: async () => {
      run.progress.stop();
      await channel.close();
      await Promise.all([boot.teardown(), sharedBrowser.then((browser) => browser?.close()).catch(() => undefined)]);
    },
  };
}

/** Stops what an early start began, for a run that ends before global setup could adopt it. */
export async function abandonGate(run: GateRun): Promise<void> {
  await run.start?.then((gate) => gate.teardown(), () => undefined);
}

/**
 * Global setup's stage: adopts the start (or starts now) and returns the teardown without waiting for the
 * services: workers start and launch the browser meanwhile, and the first spec waits for the boot.
 */
export async function adoptGate(run: GateRun, playwrightConfig: Pick<FullConfig, 'reporter' | 'workers' | 'configFile' | 'rootDir'>): Promise<() => Promise<void>> {
  if (!gateReporterLoaded(playwrightConfig)) {
    await abandonGate(run);
    // Without the gate reporter nothing else could give the exit code its meaning: stop here, with the verdict's 3.
    process.stderr.write(`${gateReporterMissing(playwrightConfig, process.argv)}\n`);
    process.exit(3);
  }
  const gate = await startGate(run);
  watchBoot(run, gate.outcome);
  const stopGuard = await guardProduction(run, playwrightConfig.workers).catch(async (error: Error) => {
    await gate.teardown();
    throw error;
  });
  return async () => {
    await stopGuard?.();
    await gate.teardown();
  };
}

/**
 * Production is read-only whatever a spec does (docs/safety.md): the read-only proxy starts before the workers
 * that send through it, and records each write it refuses in the run, for the verdict.
 */
async function guardProduction(run: GateRun, workers: number): Promise<(() => Promise<void>) | undefined> {
  const loaded = loadConfig();
  if (!loaded.ok) return undefined;
  try {
    if (!loaded.config.production) return undefined;
    // Loaded only for a run with production: the proxy's modules are not on the way to the first spawn.
    const { startProductionGuard } = await import('../production/production-guard.ts');
    return await startProductionGuard(loaded.config, { workers, projects: projectsFromArgv(process.argv), onBlocked: (write) => run.productionWrites.push(write) });
  } catch (error) {
    const diagnosis = error instanceof PreflightError ? error.message : `preflight: the production project's read-only proxy did not start: ${(error as Error).message}; production was not walked.`;
    run.setupProblems.push({ what: 'production proxy', diagnosis });
    throw new PreflightError(diagnosis);
  }
}

/**
 * A service that cannot become ready ends the run at once: every spec would only fail on it. A boot that itself
 * fails (a fault in the harness) ends it too, recorded as a setup problem, never as an unhandled rejection.
 */
export function watchBoot(run: GateRun, outcome: Promise<BootOutcome>, stop: (run: GateRun, reason: string) => void = stopPlaywrightRun): Promise<void> {
  return outcome.then(
    (settled) => {
      if (!settled.ok && settled.services.some((service) => service.failure)) stop(run, 'a service did not become ready');
    },
    (error: Error) => {
      run.setupProblems.push({ what: 'boot', diagnosis: `preflight: booting the services failed inside the harness: ${error.message}` });
      stop(run, 'booting the services failed inside the harness');
    },
  );
}

const gateReporterLoaded = (config: Pick<FullConfig, 'reporter'>) => config.reporter.some(([name]) => name.includes('gate-reporter'));

/** Why the gate reporter is missing (the command line's --reporter, or the configuration's reporter), and the reporter to add, as it is named where preflight is loaded from. */
export function gateReporterMissing(config: Pick<FullConfig, 'configFile' | 'rootDir'>, argv: readonly string[]): string {
  const configFile = config.configFile ? path.relative(process.cwd(), config.configFile) || config.configFile : 'the Playwright configuration';
  const reporter = gateReporterReference(harnessModule(import.meta.url, '../reporter/gate-reporter'), config.configFile ? path.dirname(config.configFile) : config.rootDir);
  const given = reporterFromArgv(argv);
  const cause =
    given !== undefined
      ? `--reporter=${given} on the command line replaces the reporters of ${configFile}, and leaves the gate reporter out.`
      : `the \`reporter\` of ${configFile} leaves the gate reporter out (a reporter set over gatePlaywrightConfig()'s, which includes it).`;
  const fix =
    given !== undefined
      ? `add it last: --reporter=${given},${reporter}`
      : `add it last: reporter: [['list'], ['${reporter}']], or drop the reporter you set (gatePlaywrightConfig() sets it)`;
  return [
    'preflight: the gate reporter is not loaded, so the exit code would not be the verdict; nothing was run.',
    `  likely cause: ${cause}`,
    `  fix: ${fix}`,
    'preflight verdict: critical, exit code 3',
  ].join('\n');
}

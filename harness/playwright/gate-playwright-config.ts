import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices, type PlaywrightTestConfig } from '@playwright/test';
import { chooseChromium, gateLaunchOptions } from '../browser/chromium.ts';
import { DEFAULT_FAKE_MICROPHONE_WAV, withFakeMicrophone } from '../browser/microphone.ts';
import { ciEnvironment } from '../config/ci-environment.ts';
import { defaultConfig, loadConfig } from '../config/load-config.ts';
import { PROJECT_ROOT } from '../core/project-root.ts';
import { isShardedRun, isTestRunnerProcess, reporterOutputPlugin, WORKER_INDEX_VAR, workersFromArgv } from '../gate/playwright-private.ts';
import { publishedProxy, routeWorkerThroughProxy } from '../production/proxy-clients.ts';
import { runOfThisProcess } from '../gate/runner-process.ts';
import { PRODUCTION_ONLY_SPECS, productionProject, productionProjectPlaceholder } from '../production/production-project.ts';
import { claimReportsFolderOrExit, reportPaths } from '../core/report-paths.ts';
import { harnessModule } from './module-path.ts';

/** The gate reporter's module: it must stay the last reporter (`--reporter=dot,<this>` on a command line). */
export const GATE_REPORTER = harnessModule(import.meta.url, '../reporter/gate-reporter');

export interface GatePlaywrightOptions {
  /** Where the specs are, relative to the project root (default: `specs` of preflight.config.ts, else `tests`). */
  testDir?: string;
  /** Added to every project's `use` (after the gate's own settings). */
  use?: PlaywrightTestConfig['use'];
  /**
   * How many spec files run at once, each in its own worker (default: the machine's cores, at least 2, at most 4;
   * PREFLIGHT_WORKERS wins over it, and `--workers` on the command line over both). Specs in one file run in order in one worker; `1` runs every spec one
   * after another (docs/gate-your-own-app.md#specs-that-run-at-once).
   */
  workers?: number;
}

/**
 * Spec files run at once: a gate's specs mostly wait (on the app, the browser, a recording), so even 2 cores run 2
 * of them; past 4, the workers' browsers cost more memory than the waits they overlap.
 */
export const defaultWorkers = (cores = os.availableParallelism()) => Math.min(4, Math.max(2, cores));

/**
 * The whole Playwright configuration of a gate, for a user's playwright.config.ts:
 * `export default gatePlaywrightConfig();` (docs/adopting.md). Reports go to the project root's reports/.
 */
export function gatePlaywrightConfig(options: GatePlaywrightOptions = {}): PlaywrightTestConfig {
  const runner = isTestRunnerProcess(process.argv, process.env);
  // The pipeline is imported first, so that its modules load on Playwright's loader thread while this function reads
  // the configuration; and only in the runner: workers load this file too, while the services boot, and never start
  // the gate; the modules they would load for nothing delay their first spec (docs/benchmark.md).
  const pipeline = runner ? import('../gate/pipeline.ts') : undefined;
  // An invalid configuration must not crash the config file: global setup reports every problem and the gate exits 3.
  const loaded = loadConfig();
  const preflight = loaded.ok ? loaded.config : defaultConfig();
  const paths = reportPaths();
  const browser = chooseChromium(preflight.chromiumPath);
  const localLaunchOptions = gateLaunchOptions(browser);

  // Playwright empties html/ and test-results/ as the run begins: the reports folder must be preflight's (docs/safety.md).
  if (runner || process.argv.includes('merge-reports')) claimReportsFolderOrExit(paths);

  // Start the gate (drift check, then every service) while Playwright still loads the specs: global setup adopts it.
  // A failed start is recorded in the run and reported by global setup and the verdict (harness/gate/pipeline.ts).
  // Spec files in parallel, one worker each; the specs of one file in order, in one worker (Playwright's default).
  const workers = workersFromArgv(process.argv, os.availableParallelism()) ?? preflight.workers ?? options.workers ?? defaultWorkers();
  if (pipeline) {
    const run = runOfThisProcess();
    // The local project's browser, as its workers will launch it: the runner launches it once, and they connect. With
    // one worker there is nothing to share, and the connection's messages cost more than a browser of its own (docs/architecture.md).
    if (browser.kind !== 'missing' && workers > 1) run.browserLaunch = { browserName: 'chromium', headless: true, launchOptions: withFakeMicrophone(localLaunchOptions, DEFAULT_FAKE_MICROPHONE_WAV) };
    pipeline.then(({ startGate }) => startGate(run)).catch(() => {});
  }
  // In a worker of a run whose production is read-only: its Node clients and child processes use the proxy too.
  const proxy = process.env[WORKER_INDEX_VAR] !== undefined ? publishedProxy() : undefined;
  if (proxy) routeWorkerThroughProxy(proxy);

  return defineConfig({
    // The boot's progress (harness/gate/boot-progress.ts) is printed through the reporters, as webServer's output is.
    ...reporterOutputPlugin((print) => runOfThisProcess().progress.attach(print)),
    testDir: options.testDir ? path.resolve(PROJECT_ROOT, options.testDir) : preflight.specsDir,
    outputDir: paths.testResults,
    globalSetup: harnessModule(import.meta.url, '../gate/global-setup'),
    forbidOnly: true,
    workers,
    retries: 0,
    timeout: 30_000,
    // A gate never hangs a pipeline: a run past this is stopped and its verdict is critical (--global-timeout overrides).
    globalTimeout: 10 * 60_000,
    expect: { timeout: 5_000 },
    reporter: [
      [ciEnvironment().isCi ? 'line' : 'list'],
      ['html', { outputFolder: paths.html, open: 'never' }],
      ['junit', { outputFile: paths.junit }],
      ...(isShardedRun(process.argv) ? [['blob', { outputDir: paths.blob }] as const] : []),
      // Last: it ends the process with the verdict's exit code.
      [GATE_REPORTER],
    ],
    use: {
      // From the gate file (its baseURL, or the service marked browser: true), never from a service's name.
      baseURL: preflight.baseURL?.href,
      actionTimeout: 5_000,
      navigationTimeout: 15_000,
      trace: 'retain-on-failure',
      screenshot: 'only-on-failure',
      ...options.use,
    },
    projects: [
      {
        name: 'local',
        testIgnore: PRODUCTION_ONLY_SPECS,
        // A local service's own certificate, opted in with its tls setting: accepted here, never in the production project.
        use: { ...devices['Desktop Chrome'], launchOptions: localLaunchOptions, ...(preflight.services.some((service) => service.tls) ? { ignoreHTTPSErrors: true } : {}) },
      },
      ...(preflight.production ? [productionProject(preflight.production, gateLaunchOptions(browser), !preflight.allowProductionWrites)] : []),
      // An invalid production URL: --project=production still reaches global setup, which names the problem.
      ...(!loaded.ok && loaded.productionRequested ? [productionProjectPlaceholder()] : []),
    ],
  });
}

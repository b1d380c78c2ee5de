import { defineConfig, devices } from '@playwright/test';
import { chooseChromium, chromiumLaunchOptions } from './harness/browser/chromium.ts';
import { ciEnvironment } from './harness/config/ci-environment.ts';
import { defaultConfig, loadConfig } from './harness/config/load-config.ts';
import { PRODUCTION_ONLY_SPECS, productionProject, productionProjectPlaceholder } from './harness/production/production-project.ts';
import { isShardedRun } from './harness/reporter/command-line.ts';
import { claimReportsFolderOrExit, reportPaths } from './harness/reporter/report-paths.ts';
import { isTestRunnerProcess } from './harness/gate/early-start.ts';
import { startGate } from './harness/gate/gate-start.ts';

// An invalid configuration must not crash the config file: global setup reports every problem and the gate exits 3.
const loaded = loadConfig();
const preflight = loaded.ok ? loaded.config : defaultConfig();
const paths = reportPaths();
const browser = chooseChromium(preflight.chromiumPath);

// Playwright empties html/ and test-results/ as the run begins: the reports folder must be preflight's (docs/safety.md).
if (isTestRunnerProcess(process.argv, process.env) || process.argv.includes('merge-reports')) claimReportsFolderOrExit(paths);

// Start the gate (drift check, then every service) while Playwright still loads the specs: global setup adopts it,
// and reports what went wrong if it could not start.
if (isTestRunnerProcess(process.argv, process.env)) startGate().catch(() => {});

export default defineConfig({
  testDir: './tests',
  outputDir: paths.testResults,
  globalSetup: './harness/gate/global-setup.ts',
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  // A gate never hangs a pipeline: a run past this is stopped and its verdict is critical (--global-timeout overrides).
  globalTimeout: 10 * 60_000,
  expect: { timeout: 5_000 },
  reporter: [
    [ciEnvironment().isCi ? 'line' : 'list'],
    ['html', { outputFolder: paths.html, open: 'never' }],
    ['junit', { outputFile: paths.junit }],
    // A shard (--shard=i/n) also writes a blob report, for `npx playwright merge-reports`.
    ...(isShardedRun(process.argv) ? [['blob', { outputDir: paths.blob }] as const] : []),
    // Last: it ends the process with the verdict's exit code.
    ['./harness/reporter/gate-reporter.ts'],
  ],
  use: {
    baseURL: preflight.frontend.url.origin,
    // A missing field or button fails in seconds with the locator it waited for, not at the 30 s test timeout.
    actionTimeout: 5_000,
    navigationTimeout: 15_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'local',
      testIgnore: PRODUCTION_ONLY_SPECS,
      use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions(browser) },
    },
    // Beside `local`, only when PREFLIGHT_PRODUCTION_URL is set.
    ...(preflight.production ? [productionProject(preflight.production, chromiumLaunchOptions(browser))] : []),
    // An invalid production URL: --project=production still reaches global setup, which names the problem.
    ...(!loaded.ok && process.env.PREFLIGHT_PRODUCTION_URL ? [productionProjectPlaceholder()] : []),
  ],
});

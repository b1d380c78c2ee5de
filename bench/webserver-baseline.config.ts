// The alternative a user would pick: Playwright's own webServer boots the same demo services
// (one after the other, polling the same readiness path), then the same specs run with the same reporters.
import { defineConfig, devices } from '@playwright/test';
import { chooseChromium, chromiumLaunchOptions } from '../harness/browser/chromium.ts';
import { loadConfig, defaultConfig } from '../harness/config/load-config.ts';
import { isServed } from '../harness/config/types.ts';
import { reportPaths } from '../harness/core/report-paths.ts';
import { portOfUrl } from '../harness/core/default-port.ts';

const loaded = loadConfig();
const preflight = loaded.ok ? loaded.config : defaultConfig();
const paths = reportPaths();

export default defineConfig({
  testDir: '../tests',
  outputDir: paths.testResults,
  globalSetup: './baseline-setup.ts',
  retries: 0,
  timeout: 30_000,
  reporter: [
    ['line'],
    ['html', { outputFolder: paths.html, open: 'never' }],
    ['junit', { outputFile: paths.junit }],
    ['./timing-reporter.ts'],
  ],
  use: { baseURL: preflight.frontend?.url.origin, trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  webServer: preflight.services.filter(isServed).map((service) => ({
    command: service.command,
    // A TCP service (the demo database) has no HTTP to poll: webServer then waits for its port.
    ...(service.readiness.kind === 'tcp' ? { port: portOfUrl(service.url) } : { url: service.healthUrl.href }),
    cwd: service.cwd,
    stdout: 'pipe' as const,
    reuseExistingServer: false,
    timeout: service.timeoutMs,
  })),
  projects: [{ name: 'local', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions(chooseChromium(preflight.chromiumPath)) } }],
});

// The alternative for a dependency chain: Playwright's webServer array form boots the services of the gate
// configuration (PREFLIGHT_CONFIG) one after another, in the order declared, then the same specs run.
import { defineConfig, devices } from '@playwright/test';
import { chooseChromium, chromiumLaunchOptions } from '../harness/browser/chromium.ts';
import { defaultConfig, loadConfig } from '../harness/config/load-config.ts';
import { isServed } from '../harness/config/types.ts';
import { portOfUrl } from '../harness/core/default-port.ts';
import { reportPaths } from '../harness/core/report-paths.ts';
import { serviceUrlEnvironment } from '../harness/services/boot.ts';

const loaded = loadConfig();
const preflight = loaded.ok ? loaded.config : defaultConfig();
const paths = reportPaths();

export default defineConfig({
  testDir: preflight.specsDir,
  outputDir: paths.testResults,
  globalSetup: './baseline-setup.ts',
  retries: 0,
  timeout: 30_000,
  reporter: [['line'], ['./timing-reporter.ts']],
  use: { baseURL: preflight.frontend?.url.origin },
  webServer: preflight.services.filter(isServed).map((service) => ({
    command: service.command,
    cwd: service.cwd,
    env: { ...(process.env as Record<string, string>), ...service.env, ...serviceUrlEnvironment(preflight) },
    // webServer judges HTTP services by a URL answering 2xx-3xx, the others by a port accepting connections.
    ...(service.readiness.kind === 'tcp' || service.readiness.kind === 'log' ? { port: portOfUrl(service.url)! } : { url: service.healthUrl.href }),
    stdout: 'pipe' as const,
    reuseExistingServer: false,
    timeout: service.timeoutMs,
  })),
  projects: [{ name: 'local', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions(chooseChromium(preflight.chromiumPath)) } }],
});

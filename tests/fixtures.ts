import fs from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { defaultConfig, loadConfig, type PreflightConfig } from '../harness/config/load-config.ts';
import { installConsoleRedaction, redact } from '../harness/run/redact.ts';
import { awaitBootOutcome, BOOT_CHANNEL_VAR, fetchLiveServices } from '../harness/setup/boot-channel.ts';
import type { BootOutcome } from '../harness/services/boot.ts';
import { PreflightError } from '../harness/setup/preflight-error.ts';
import { CRITICAL_TAG } from '../harness/verdict/verdict.ts';
import { HomePage } from './pages/home-page.ts';
import { TellYourStoryPage } from './pages/tell-your-story-page.ts';

// What specs print reaches the reports through this worker's stdout and stderr: secrets are hidden here.
installConsoleRedaction();

/** Tags are declared once; specs pass them with the `tag` option. */
export const tags = { critical: CRITICAL_TAG } as const;

interface WorkerFixtures {
  preflight: PreflightConfig;
  /** The services' boot outcome, awaited once per worker while the browser launches. */
  services: BootOutcome;
}

interface TestFixtures {
  servicesReady: void;
  serviceLogs: void;
  homePage: HomePage;
  tellYourStoryPage: TellYourStoryPage;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  preflight: [
    async ({}, use) => {
      const loaded = loadConfig();
      await use(loaded.ok ? loaded.config : defaultConfig());
    },
    { scope: 'worker' },
  ],

  services: [
    // Depends on the browser so that its launch overlaps with the services' boot.
    async ({ browser: _browser }, use) => {
      const channel = process.env[BOOT_CHANNEL_VAR];
      if (!channel) throw new PreflightError(`preflight: ${BOOT_CHANNEL_VAR} is not set: run the gate with \`npx playwright test\` so that global setup boots the services.`);
      await use(await awaitBootOutcome(channel, Number(process.env.PREFLIGHT_BOOT_TIMEOUT_MS) || 65_000));
    },
    { scope: 'worker', auto: true, timeout: 0 },
  ],

  servicesReady: [
    async ({ services }, use) => {
      if (!services.ok) throw new PreflightError(`preflight: not run, the services did not become ready.\n${services.diagnosis ?? ''}`);
      // A service that died since it was ready makes every later result meaningless: say so instead of timing out against nothing.
      const dead = (await fetchLiveServices(process.env[BOOT_CHANNEL_VAR]!)).filter((service) => service.diedDuringRun);
      if (dead.length) {
        throw new PreflightError(`preflight: not run, a service died during the run.\n${dead.map((service) => service.diedDuringRun!.diagnosis).join('\n\n')}`);
      }
      await use();
    },
    { auto: true },
  ],

  serviceLogs: [
    // Evidence: a failed spec carries the tail of every service's log, and what the runner knows of each service.
    async ({ services }, use, testInfo) => {
      await use();
      if (testInfo.status === testInfo.expectedStatus) return;
      for (const service of services.services) {
        if (!service.logFile || !fs.existsSync(service.logFile)) continue;
        const tail = fs.readFileSync(service.logFile, 'utf8').split('\n').slice(-80).join('\n');
        await testInfo.attach(`${service.name}.log (last lines)`, { body: redact(tail), contentType: 'text/plain' });
      }
      const live = await fetchLiveServices(process.env[BOOT_CHANNEL_VAR]!).catch(() => services.services);
      await testInfo.attach('services (preflight)', { body: redact(JSON.stringify(live, null, 2)), contentType: 'application/json' });
    },
    { auto: true },
  ],

  homePage: async ({ page }, use) => {
    await use(new HomePage(page));
  },

  tellYourStoryPage: async ({ page }, use) => {
    await use(new TellYourStoryPage(page));
  },
});

export { expect };

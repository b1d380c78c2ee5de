import fs from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { defaultConfig, loadConfig, type PreflightConfig } from '../harness/config/load-config.ts';
import { awaitBootOutcome, BOOT_CHANNEL_VAR } from '../harness/setup/boot-channel.ts';
import type { BootOutcome } from '../harness/services/boot.ts';
import { PreflightError } from '../harness/setup/preflight-error.ts';
import { CRITICAL_TAG } from '../harness/verdict/verdict.ts';
import { HomePage } from './pages/home-page.ts';
import { TellYourStoryPage } from './pages/tell-your-story-page.ts';

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
      await use();
    },
    { auto: true },
  ],

  serviceLogs: [
    // Evidence: a failed spec carries the tail of every service's log in the report.
    async ({ services }, use, testInfo) => {
      await use();
      if (testInfo.status === testInfo.expectedStatus) return;
      for (const service of services.services) {
        if (!service.logFile || !fs.existsSync(service.logFile)) continue;
        const tail = fs.readFileSync(service.logFile, 'utf8').split('\n').slice(-80).join('\n');
        await testInfo.attach(`${service.name}.log (last lines)`, { body: tail, contentType: 'text/plain' });
      }
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

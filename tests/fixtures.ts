import fs from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { defaultConfig, loadConfig, type PreflightConfig } from '../harness/config/load-config.ts';
import { installConsoleRedaction, redact } from '../harness/secrets/redact.ts';
import { awaitBootOutcome, BOOT_CHANNEL_VAR, fetchLiveServices } from '../harness/gate/boot-channel.ts';
import type { BootOutcome } from '../harness/services/boot.ts';
import { PreflightError } from '../harness/core/preflight-error.ts';
import { withProductionTrust } from '../harness/production/browser-trust.ts';
import { checkProductionTarget, type ProductionTargetCheck } from '../harness/production/production-target.ts';
import { targetFor, type Target, type TargetName } from '../harness/production/target.ts';
import { productionWriteSkipReason, testDataName } from '../harness/production/test-data.ts';
import { interpretReadiness, type ReadinessVerdict } from '../harness/readiness/contract.ts';
import { CRITICAL_TAG, SAFETY_SKIP_ANNOTATION } from '../harness/core/findings.ts';
import { HomePage } from './pages/home-page.ts';
import { TellYourStoryPage } from './pages/tell-your-story-page.ts';

/** Tags are declared once; specs pass them with the `tag` option. */
export const tags = { critical: CRITICAL_TAG } as const;

interface WorkerFixtures {
  /** What specs print reaches the reports through this worker's stdout and stderr: secrets are hidden there. */
  consoleRedaction: void;
  preflight: PreflightConfig;
  /** Which system this project walks; set per project in playwright.config.ts. */
  targetName: TargetName;
  /** The URLs this project's specs use. */
  target: Target;
  /** Production's TLS, checked before any request (production project only); a failure fails every spec. */
  productionTarget: ProductionTargetCheck | undefined;
  /** The local services' boot outcome, awaited once per worker while the browser launches; undefined for production. */
  services: BootOutcome | undefined;
}

interface TestFixtures {
  /** One GET of a readiness contract from the spec's side, interpreted by the one contract module. */
  readiness: (url: URL) => Promise<ReadinessVerdict>;
  servicesReady: void;
  serviceLogs: void;
  homePage: HomePage;
  tellYourStoryPage: TellYourStoryPage;
  /** Names for data a spec creates, marked as test data; on production the spec is skipped unless writes are allowed. */
  testData: { name(): string };
  /** The local boot outcome, for specs of any project that compare with the local build. */
  localBoot: BootOutcome;
}

/** Waits (in a worker) for the boot that global setup started. */
async function waitForLocalBoot(preflight: PreflightConfig): Promise<BootOutcome> {
  const channel = process.env[BOOT_CHANNEL_VAR];
  if (!channel) throw new PreflightError(`preflight: ${BOOT_CHANNEL_VAR} is not set: run the gate with \`npx playwright test\` so that global setup boots the services.`);
  // The boot settles by its own deadline; the margin covers the answer's way here.
  return awaitBootOutcome(channel, preflight.readyTimeoutMs + 5_000);
}

function failureSummaries(outcome: BootOutcome): string {
  return outcome.services.flatMap((service) => (service.failure ? [service.failure.summary] : [])).join('; ');
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  // A fixture, not an import side effect: the spec listing (`--list`) imports this file too and must print as is.
  consoleRedaction: [
    async ({}, use) => {
      installConsoleRedaction();
      await use();
    },
    { scope: 'worker', auto: true },
  ],

  preflight: [
    async ({}, use) => {
      const loaded = loadConfig();
      await use(loaded.ok ? loaded.config : defaultConfig());
    },
    { scope: 'worker' },
  ],

  targetName: ['local', { scope: 'worker', option: true }],

  target: [async ({ preflight, targetName }, use) => use(targetFor(targetName, preflight)), { scope: 'worker' }],

  productionTarget: [
    async ({ preflight, targetName }, use) => {
      if (targetName !== 'production' || !preflight.production) return use(undefined);
      const check = await checkProductionTarget(preflight.production);
      if (check.problems.length) throw new PreflightError(`preflight: production was not walked, its TLS failed before any request: ${check.problems.join('; ')}`);
      await use(check);
    },
    { scope: 'worker', auto: true },
  ],

  // The browser trusts the production keys Node verified against NODE_EXTRA_CA_CERTS (harness/production/browser-trust.ts).
  launchOptions: [
    async ({ launchOptions, productionTarget, preflight }, use) => use(withProductionTrust(launchOptions, productionTarget, preflight.extraCaCertsFile)),
    { scope: 'worker' },
  ],

  services: [
    // Depends on the browser so that its launch overlaps with the services' boot. Production specs never wait for it.
    async ({ browser: _browser, targetName, preflight }, use) => use(targetName === 'production' ? undefined : await waitForLocalBoot(preflight)),
    { scope: 'worker', auto: true, timeout: 0 },
  ],

  servicesReady: [
    async ({ services }, use) => {
      if (!services) return await use(); // the production project does not boot local services
      // One line each: the full diagnosis ends the console output, and the logs are attached to this spec.
      if (!services.ok) throw new PreflightError(`preflight: not run, the services did not become ready: ${failureSummaries(services) || services.diagnosis}`);
      // A service that died since it was ready makes every later result meaningless: say so instead of timing out against nothing.
      const dead = (await fetchLiveServices(process.env[BOOT_CHANNEL_VAR]!)).filter((service) => service.diedDuringRun);
      if (dead.length) {
        throw new PreflightError(`preflight: not run, a service died during the run: ${dead.map((service) => service.diedDuringRun!.diagnosis.split('\n')[0]).join('; ')}`);
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
      for (const service of services?.services ?? []) {
        if (!service.logFile || !fs.existsSync(service.logFile)) continue;
        const tail = fs.readFileSync(service.logFile, 'utf8').split('\n').slice(-80).join('\n');
        await testInfo.attach(`${service.name}.log (last lines)`, { body: redact(tail), contentType: 'text/plain' });
      }
      if (!services) return;
      const live = await fetchLiveServices(process.env[BOOT_CHANNEL_VAR]!).catch(() => services.services);
      await testInfo.attach('services (preflight)', { body: redact(JSON.stringify(live, null, 2)), contentType: 'application/json' });
    },
    { auto: true },
  ],

  readiness: async ({ request }, use) => {
    await use(async (url) => {
      const response = await request.get(url.href, { maxRedirects: 0 });
      const headers = response.headers();
      return interpretReadiness(response.status(), await response.text(), headers['content-type'], headers.location);
    });
  },

  homePage: async ({ page }, use) => {
    await use(new HomePage(page));
  },

  tellYourStoryPage: async ({ page }, use) => {
    await use(new TellYourStoryPage(page));
  },

  testData: async ({ preflight, targetName }, use, testInfo) => {
    const skipReason = productionWriteSkipReason(targetName, preflight);
    if (skipReason) {
      // The verdict lists a safety skip; it does not count it as a missing critical spec.
      testInfo.annotations.push({ type: SAFETY_SKIP_ANNOTATION, description: skipReason });
      testInfo.skip(true, skipReason);
    }
    await use({ name: () => testDataName(testInfo.project.name) });
  },

  localBoot: [async ({ preflight }, use) => use(await waitForLocalBoot(preflight)), { timeout: 0 }],
});

export { expect };

import type { FullConfig } from '@playwright/test';
import { stopRunEarly } from './run-state.ts';
import { abandonGate, startGate } from './gate-start.ts';

const GATE_REPORTER = 'gate-reporter';

/**
 * Adopts the gate start (configuration, drift, browser, the boot of every service) that playwright.config.ts
 * began while Playwright loaded the specs, or starts it now, and returns without waiting for the services:
 * workers start and launch the browser meanwhile, and the first spec waits for readiness on the boot channel.
 * Returns the teardown.
 */
export default async function globalSetup(playwrightConfig: FullConfig): Promise<() => Promise<void>> {
  const gateReporterLoaded = playwrightConfig.reporter.some(([name]) => name.includes(GATE_REPORTER));
  if (!gateReporterLoaded) {
    await abandonGate();
    // Without the gate reporter nothing else could give the exit code its meaning: stop here, with the verdict's 3.
    process.stderr.write(
      'preflight: the gate reporter is not loaded, so the exit code would not be the verdict; nothing was run.\n' +
        '  likely cause: --reporter on the command line replaces the reporters of playwright.config.ts.\n' +
        '  fix: add it, e.g. --reporter=list,./harness/reporter/gate-reporter.ts\n' +
        'preflight verdict: critical, exit code 3\n',
    );
    process.exit(3);
  }

  const gate = await startGate();
  // A service that cannot become ready ends the run at once: every spec would only fail on it. Only from here on:
  // Playwright handles the SIGINT this sends once its run has begun.
  void gate.outcome.then((outcome) => {
    if (!outcome.ok && outcome.services.some((service) => service.failure)) stopRunEarly('a service did not become ready');
  });
  return gate.teardown;
}

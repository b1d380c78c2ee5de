// The gate's Playwright configuration, the same one an installed preflight gives its users (docs/adopting.md):
// harness/playwright/gate-playwright-config.ts holds it; the specs folder comes from preflight.config.ts.
import { gatePlaywrightConfig } from './harness/playwright/gate-playwright-config.ts';

export default gatePlaywrightConfig();

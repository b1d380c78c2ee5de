// `npm run docs:screenshot`: the README's picture of the HTML report, taken from a real gate run on the current demo
// (free ports, its own reports folder, as the selftests run it), so that it never shows a run that no longer exists.
// Writes docs/images/html-report-verdict.png; exits 1 (and writes nothing) when the gate does not pass.
import path from 'node:path';
import { chromium } from '@playwright/test';
import { chooseChromium, chromiumLaunchOptions } from '../harness/browser/chromium.ts';
import { explain, runGate } from '../selftest/support/run-gate.ts';

const IMAGE = path.resolve(import.meta.dirname, '../docs/images/html-report-verdict.png');

const run = await runGate();
if (run.exitCode !== 0) {
  console.error(`docs:screenshot: the demo's gate did not pass, so there is no picture of a pass to take.\n${explain(run)}`);
  process.exit(1);
}
const browserChoice = chooseChromium();
if (browserChoice.kind === 'missing') {
  console.error(`docs:screenshot: ${browserChoice.problem}`);
  process.exit(1);
}
const browser = await chromium.launch(chromiumLaunchOptions(browserChoice));
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`file://${path.join(run.reportsDir, 'html', 'index.html')}`);
  // Both the verdict and the report's own app have rendered: the picture shows the one above the other.
  await page.getByTestId('preflight-verdict').waitFor();
  await page.locator('#root').getByText('All', { exact: true }).first().waitFor();
  await page.screenshot({ path: IMAGE });
  console.log(`docs:screenshot: ${path.relative(process.cwd(), IMAGE)} from the run in ${run.reportsDir} (${run.durationMs} ms)`);
} finally {
  await browser.close();
}

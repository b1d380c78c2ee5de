// The HTML report opens on the verdict: real gate runs, then the generated report opened in Chromium and read there.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from '@playwright/test';
import { SYSTEM_CHROMIUM_FLAGS, SYSTEM_CHROMIUM_PATH } from '../../harness/browser/chromium.ts';
import { explain, runGate, type GateRun } from '../support/run-gate.ts';

let browser: Browser;

/** Opens reports/html/index.html of a run the way `npx playwright show-report` serves it: the same file. */
async function openReport(run: GateRun): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`file://${path.join(run.reportsDir, 'html', 'index.html')}`);
  // The report's own app has rendered too: the verdict sits above the spec results, not instead of them.
  await page.locator('#root').getByText('All', { exact: true }).first().waitFor();
  return page;
}

describe('the HTML report opens on the verdict', () => {
  before(async () => {
    browser = await chromium.launch({ executablePath: SYSTEM_CHROMIUM_PATH, args: SYSTEM_CHROMIUM_FLAGS });
  });
  after(async () => browser?.close());

  it('a pass: verdict, exit code 0, the services with their time to ready, no drift', async (t) => {
    const run = await runGate();
    assert.equal(run.exitCode, 0, explain(run));
    const page = await openReport(run);
    const verdict = page.getByTestId('preflight-verdict');
    await verdict.waitFor();
    assert.equal(await page.getByTestId('preflight-headline').innerText(), 'preflight verdict: pass, exit code 0: deployment may proceed');
    const services = await page.getByTestId('preflight-services').innerText();
    for (const [name, url] of [['backend', run.backendUrl], ['frontend', run.frontendUrl]]) {
      assert.match(services, new RegExp(`${name}\\s+${url}\\s+\\d+ ms\\s+ready\\s+served until teardown`));
    }
    assert.match(await page.getByTestId('preflight-drift').innerText(), /none found/);
    // The verdict is the first thing on the page: above the report's own header.
    const verdictBox = (await verdict.boundingBox())!;
    const specsBox = (await page.locator('#root').boundingBox())!;
    assert.ok(verdictBox.y < 5, `the verdict starts at the top (y=${verdictBox.y})`);
    assert.ok(specsBox.y >= verdictBox.y + verdictBox.height, 'the spec results follow below the verdict');
    // For a person to look at; docs/images/html-report-verdict.png comes from `npm run docs:screenshot`, the same view.
    const screenshot = path.join(run.reportsDir, 'html-report-verdict.png');
    await page.screenshot({ path: screenshot });
    t.diagnostic(`screenshot: ${screenshot}`);
    await page.close();
  });

  it('a critical failure at boot: deployment blocked, the service that did not start and why', async () => {
    const run = await runGate({ env: { DEMO_FAULT: 'backend:crash-on-start' } });
    assert.equal(run.exitCode, 3, explain(run));
    const page = await openReport(run);
    assert.equal(await page.getByTestId('preflight-headline').innerText(), 'preflight verdict: critical, exit code 3: deployment blocked');
    const critical = await page.getByTestId('preflight-critical').innerText();
    assert.match(critical, /backend: .*exited with code 1 before it was ready/);
    assert.match(await page.getByTestId('preflight-services').innerText(), /backend\s+\S+\s+not ready: .*exited with code 1.*never ready/s);
    await page.close();
  });

  it('a partial run: the banner says it is not a gate, and lists the critical specs that did not run', async () => {
    const run = await runGate({ env: { PREFLIGHT_ALLOW_PARTIAL: 'true' }, args: ['tests/backend.spec.ts'] });
    assert.equal(run.exitCode, 0, explain(run));
    const page = await openReport(run);
    assert.match(await page.getByTestId('preflight-partial').innerText(), /^PARTIAL RUN, NOT A GATE: 3 @critical specs did not run/);
    assert.match(await page.getByTestId('preflight-not-run').innerText(), /integration: a recorded story becomes a profile with its transcript and QR code/);
    await page.close();
  });
});

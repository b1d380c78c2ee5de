// What the browser saw: a foreign app whose page logs a console error, throws, fetches a 404 from its own origin and
// is denied the location; its spec passes, and the gate says what the browser saw (selftest/fixtures/browser-errors).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BROWSER_EVIDENCE_ATTACHMENT } from '../../harness/browser-evidence/evidence.ts';
import { explain, runGate, type GateRun } from '../support/run-gate.ts';

const app = (urlVariable: string) => `node --import tsx selftest/fixtures/browser-errors/app.ts ${urlVariable}`;
const BROKEN = 'the broken page shows its heading';

function runFixture(env: Record<string, string> = {}) {
  return runGate({
    args: ['--config', 'selftest/fixtures/browser-errors/playwright.config.ts'],
    env: { PREFLIGHT_BACKEND_CMD: app('PREFLIGHT_BACKEND_URL'), PREFLIGHT_FRONTEND_CMD: app('PREFLIGHT_FRONTEND_URL'), ...env },
  });
}

/** The evidence attached to each spec, as the JSON reporter saw the attachments. */
function attachedEvidence(run: GateRun): Map<string, any> {
  const results = JSON.parse(fs.readFileSync(path.join(run.reportsDir, 'results.json'), 'utf8'));
  const evidence = new Map<string, any>();
  for (const spec of results.suites.flatMap((suite: any) => suite.specs)) {
    const attachment = spec.tests[0].results.at(-1).attachments.find((a: any) => a.name === BROWSER_EVIDENCE_ATTACHMENT);
    if (attachment) evidence.set(spec.title, JSON.parse(Buffer.from(attachment.body, 'base64').toString('utf8')));
  }
  return evidence;
}

describe('what the browser saw during a spec', () => {
  it('a spec that passed while its page errored -> warnings (exit 1), naming the first problems', async () => {
    const run = await runFixture();
    assert.equal(run.exitCode, 1, explain(run));
    assert.equal(run.verdict.specs.passed, 2, 'both specs passed: the spec itself checks none of it');
    assert.deepEqual(run.verdict.warnings.map((w: any) => w.title), [BROKEN], 'the clean page is no warning');
    const reason = run.verdict.warnings[0].reason;
    assert.match(reason, /^passed, but the browser saw 4 problems: /);
    assert.match(reason, /page error: cannot read the cart total/);
    assert.match(reason, /console error: widget failed to render: missing config \(http:\/\/127\.0\.0\.1:\d+\/broken:\d+\)/);
    assert.match(reason, /\(and 1 more in the spec's attachment\)$/);
    assert.match(run.output, /Warnings:\n {2}- the broken page shows its heading .*passed, but the browser saw 4 problems/);

    const attached = attachedEvidence(run);
    assert.deepEqual([...attached.keys()], [BROKEN]);
    const items = attached.get(BROKEN).items.map((item: any) => `${item.kind}: ${item.text}`).sort();
    assert.equal(items.length, 4, items.join('\n'));
    assert.match(items[0], /^console error: widget failed to render/);
    assert.match(items[1], new RegExp(`^failed request: 404 GET ${run.frontendUrl}/api/missing-thing$`));
    assert.match(items[2], /^page error: cannot read the cart total$/);
    assert.match(items[3], /^permission denied: geolocation\.getCurrentPosition: /);
    assert.ok(!items.some((item: string) => item.includes('127.0.0.1:9/')), 'a foreign origin that fails is not the app\'s fault');
  });

  it('declared critical with test.use({ browserErrors: "critical" }) -> 3, even in strict mode', async () => {
    const run = await runFixture({ SELFTEST_BROWSER_ERRORS: 'critical', PREFLIGHT_STRICT: 'true' });
    assert.equal(run.exitCode, 3, explain(run));
    assert.deepEqual(run.verdict.criticalFailures.map((f: any) => [f.title, f.reason.split(':')[0]]), [[BROKEN, 'passed, but the browser saw 4 problems']]);
  });

  it('declared critical with the preflight-browser-errors annotation -> 3', async () => {
    const run = await runFixture({ SELFTEST_BROWSER_ERRORS: 'annotation' });
    assert.equal(run.exitCode, 3, explain(run));
    assert.deepEqual(run.verdict.criticalFailures.map((f: any) => f.title), [BROKEN]);
  });
});

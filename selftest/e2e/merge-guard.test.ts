// `npx playwright merge-reports` that cannot decide a verdict: never Playwright's 1 ("warnings"), always 3.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { mergeReports } from '../support/merge-reports.ts';
import { explain } from '../support/run-gate.ts';

describe('merge-reports', () => {
  it('a blob report it cannot read ends the merge with exit 3 and says the verdict could not be decided', async () => {
    const blobs = await mkdtemp(path.join(tmpdir(), 'preflight-bad-blobs-'));
    fs.writeFileSync(path.join(blobs, 'report-1.zip'), 'not a zip file');
    const merge = await mergeReports(blobs);
    assert.equal(merge.exitCode, 3, explain(merge));
    assert.match(merge.output, /the run ended \(exit 1\) before the gate could decide a verdict/);
    assert.match(merge.output, /preflight verdict: critical, exit code 3\s*$/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { range, summarize } from '../../bench/summary.ts';

describe('bench summary: medians and ranges', () => {
  it('takes the median of odd and even counts, and skips figures a run could not measure', () => {
    assert.deepEqual(range([30, 10, 20]), { median: 20, min: 10, max: 30, n: 3 });
    assert.deepEqual(range([10, 40, undefined, 20, 30, NaN]), { median: 25, min: 10, max: 40, n: 4 });
    assert.equal(range([undefined]).n, 0);
  });

  it('adds up the processes left behind over every run', () => {
    const run = (leftoverProcesses: number) => ({ wallMs: 1, readinessDelayMs: {}, peakMemoryMb: 1, leftoverProcesses });
    assert.equal(summarize([run(0), run(2), run(1)]).leftoverProcesses, 3);
  });
});

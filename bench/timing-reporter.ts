// For the baseline runs only: records when the first spec's body began (after its fixtures) and the last one ended, the figures
// the gate reporter writes to verdict.json's `timing` for preflight's own runs.
import fs from 'node:fs';
import { specBodyStartedAt, specEndedAt } from '../harness/gate/playwright-private.ts';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class TimingReporter implements Reporter {
  private firstTestStartedAt?: number;
  private lastTestEndedAt?: number;
  /** The longest spec, from its start (its fixtures) to its end: with the specs at once, no gate ends sooner than its limit plus this. */
  private longestSpecMs = 0;

  onTestEnd(_test: TestCase, result: TestResult): void {
    const bodyStarted = specBodyStartedAt(result).getTime();
    this.firstTestStartedAt = Math.min(this.firstTestStartedAt ?? Infinity, bodyStarted);
    this.lastTestEndedAt = Math.max(this.lastTestEndedAt ?? 0, specEndedAt(result).getTime());
    this.longestSpecMs = Math.max(this.longestSpecMs, specEndedAt(result).getTime() - specBodyStartedAt(result).getTime());
  }

  onEnd(): void {
    const file = process.env.BENCH_TIMING_FILE;
    if (!file) return;
    fs.writeFileSync(file, JSON.stringify({ firstTestStartedAt: this.firstTestStartedAt, lastTestEndedAt: this.lastTestEndedAt, longestSpecMs: this.longestSpecMs }));
  }
}

import type { FullResult, Reporter, Suite, TestError } from '@playwright/test/reporter';
import { specRef } from './spec-identity.ts';

/** Marks the one stdout line the gate reads back from the listing process. */
export const LISTING_MARKER = 'preflight-spec-listing:';

/**
 * Reporter for `playwright test --list`, run by the gate without the command line's filters: prints every spec
 * of the configuration, so the gate knows which @critical specs a run should contain.
 */
export default class CriticalSpecLister implements Reporter {
  private suite?: Suite;
  private readonly errors: string[] = [];

  printsToStdio(): boolean {
    return true;
  }

  onBegin(_config: unknown, suite: Suite): void {
    this.suite = suite;
  }

  onError(error: TestError): void {
    this.errors.push((error.message ?? error.value ?? 'unknown error').split('\n')[0]!);
  }

  onEnd(_result: FullResult): void {
    const specs = (this.suite?.allTests() ?? []).map(specRef);
    process.stdout.write(`\n${LISTING_MARKER}${JSON.stringify({ specs, errors: this.errors })}\n`);
  }
}

import type { FullConfig } from '@playwright/test';
import { adoptGate } from './pipeline.ts';
import { runOfThisProcess } from './runner-process.ts';

/** Playwright's global setup hook: the pipeline's adopt stage (harness/gate/pipeline.ts). Returns the teardown. */
export default function globalSetup(playwrightConfig: FullConfig): Promise<() => Promise<void>> {
  return adoptGate(runOfThisProcess(), playwrightConfig);
}

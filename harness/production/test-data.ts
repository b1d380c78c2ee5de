import type { PreflightConfig } from '../config/types.ts';

/** Every name a spec writes starts with this, so production can filter what the gate created. */
export const TEST_DATA_PREFIX = 'preflight-test';

/** Sent with every request of the production project; the demo frontend forwards it, the backend marks the data. */
export const TEST_DATA_HEADERS = { 'X-Preflight-Test': '1' } as const;

/** A name for data a spec creates: marked as test data by its prefix. */
export function testDataName(project: string, now = Date.now()): string {
  return `${TEST_DATA_PREFIX} ${project} ${now}`;
}

/** Why a spec that writes must not run against this target, or undefined when it may. */
export function productionWriteSkipReason(target: 'local' | 'production', config: Pick<PreflightConfig, 'allowProductionWrites'>): string | undefined {
  if (target !== 'production' || config.allowProductionWrites) return undefined;
  return 'no writes to production: this spec creates data, so it runs against production only with PREFLIGHT_ALLOW_PRODUCTION_WRITES=true';
}

import { devices, type LaunchOptions, type Project } from '@playwright/test';
import type { ProductionConfig } from '../config/types.ts';
import { TEST_DATA_HEADERS } from './test-data.ts';
import { publishedProxy, throughReadOnlyProxy } from './proxy-clients.ts';

/** Specs that only make sense against production (its TLS, which build is live). */
export const PRODUCTION_ONLY_SPECS = /production\.spec\.ts$/;

export const PRODUCTION_PROJECT = 'production';

/**
 * The `production` project, beside `local`: the same specs against PREFLIGHT_PRODUCTION_URL, reads only by default.
 * Read-only, every browser and API request context of the project goes through the read-only proxy; as options of
 * the project, they hold for every spec, whichever `test` it imports (harness/production/proxy-clients.ts).
 */
export function productionProject(production: ProductionConfig, launchOptions: LaunchOptions, readOnly: boolean): Project {
  const routed = readOnly ? throughReadOnlyProxy(launchOptions, publishedProxy()) : { launchOptions };
  return {
    name: PRODUCTION_PROJECT,
    use: {
      ...devices['Desktop Chrome'],
      ...routed,
      baseURL: production.url.origin,
      // Whatever a spec creates in production is marked as test data (the demo frontend forwards it to the backend).
      extraHTTPHeaders: { ...TEST_DATA_HEADERS },
      targetName: 'production',
    } as Project['use'],
  };
}

/**
 * Stands in for `production` when PREFLIGHT_PRODUCTION_URL is set but the configuration is invalid: with
 * --project=production the run then reaches global setup, whose configuration message says what is wrong,
 * instead of Playwright's "project not found". No spec runs in it: global setup stops the run first.
 */
export function productionProjectPlaceholder(): Project {
  return { name: PRODUCTION_PROJECT, testIgnore: /./, use: { targetName: 'production' } as Project['use'] };
}

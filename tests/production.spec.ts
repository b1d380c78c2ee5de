// Production only (the local project ignores this file): what the gate warns about without blocking.
import { buildMismatch } from '../harness/production/build-identity.ts';
import { expect, test } from './fixtures.ts';

test('production TLS: no certificate expires within 14 days', async ({ productionTarget }) => {
  test.skip(Boolean(productionTarget?.insecure), productionTarget?.insecure);
  const warnings = productionTarget?.warnings ?? [];
  expect(warnings, warnings.join('; ')).toEqual([]);
});

test('production runs the build tested locally', async ({ readiness: readinessOf, target, localBoot }) => {
  const local = localBoot.services.find((service) => service.name === 'backend');
  test.skip(!localBoot.ok || !local?.contract, 'the local backend did not become ready, so there is no local build to compare with');
  const readiness = await readinessOf(target.backendHealthUrl);
  expect(readiness.body, `production's readiness contract: ${readiness.reason}`).toBeDefined();
  const mismatch = buildMismatch({ version: local!.version, releaseId: local!.releaseId }, readiness.body!);
  expect(mismatch, mismatch).toBeUndefined();
});

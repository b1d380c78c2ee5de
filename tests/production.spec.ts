// Production only (the local project ignores this file): what the gate warns about without blocking.
import { interpretReadiness } from '../harness/readiness/contract.ts';
import { buildMismatch } from '../harness/production/build-identity.ts';
import { expect, test } from './fixtures.ts';

test('production TLS: no certificate expires within 14 days', async ({ productionTarget }) => {
  test.skip(Boolean(productionTarget?.insecure), productionTarget?.insecure);
  const warnings = productionTarget?.warnings ?? [];
  expect(warnings, warnings.join('; ')).toEqual([]);
});

test('production runs the build tested locally', async ({ request, target, localBoot }) => {
  const local = localBoot.services.find((service) => service.name === 'backend');
  test.skip(!localBoot.ok || !local?.contract, 'the local backend did not become ready, so there is no local build to compare with');
  const response = await request.get(target.backendHealthUrl.href, { maxRedirects: 0 });
  const readiness = interpretReadiness(response.status(), await response.text(), response.headers()['content-type']);
  expect(readiness.body, `production's readiness contract: ${readiness.reason}`).toBeDefined();
  const mismatch = buildMismatch({ version: local!.version, releaseId: local!.releaseId }, readiness.body!);
  expect(mismatch, mismatch).toBeUndefined();
});

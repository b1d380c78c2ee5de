import { expect, tags, test } from './fixtures.ts';

test('backend starts: its readiness contract says ready', { tag: tags.critical }, async ({ readiness: readinessOf, target }) => {
  const readiness = await readinessOf(target.backendHealthUrl);
  // ready-degraded still serves: the verdict turns it into a warning, not a failed spec.
  expect(['ready', 'degraded'], readiness.reason).toContain(readiness.state);
});

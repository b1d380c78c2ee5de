import { interpretReadiness } from '../harness/readiness/contract.ts';
import { expect, tags, test } from './fixtures.ts';

test('backend starts: its readiness contract says ready', { tag: tags.critical }, async ({ request, target }) => {
  const response = await request.get(target.backendHealthUrl.href, { maxRedirects: 0 });
  const readiness = interpretReadiness(response.status(), await response.text(), response.headers()['content-type']);
  // ready-degraded still serves: the verdict turns it into a warning, not a failed spec.
  expect(['ready', 'degraded'], readiness.reason).toContain(readiness.state);
});

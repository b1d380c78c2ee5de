import { interpretReadiness } from '../harness/readiness/contract.ts';
import { expect, tags, test } from './fixtures.ts';

test('frontend starts: the home page links to Tell Your Story', { tag: tags.critical }, async ({ homePage, request, target }) => {
  const response = await request.get(target.frontendHealthUrl.href, { maxRedirects: 0 });
  const readiness = interpretReadiness(response.status(), await response.text(), response.headers()['content-type']);
  expect(['ready', 'degraded'], readiness.reason).toContain(readiness.state);

  await homePage.open();
  await expect(homePage.tellYourStoryLink).toBeVisible();
  await expect(homePage.tellYourStoryLink).toHaveAttribute('href', '/tell-your-story');
});

import { expect, tags, test } from './fixtures.ts';

test('frontend starts: the home page calls to tell your story', { tag: tags.critical }, async ({ homePage, readiness: readinessOf, target }) => {
  const readiness = await readinessOf(target.frontendHealthUrl);
  expect(['ready', 'degraded'], readiness.reason).toContain(readiness.state);

  await homePage.open();
  await expect(homePage.tellYourStoryLink).toBeVisible();
  await expect(homePage.tellYourStoryLink).toHaveAttribute('href', '/tell-your-story');
});

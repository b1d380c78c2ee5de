import { expect, tags, test } from './fixtures.ts';

test('integration: a story shared in the browser is stored by the backend', { tag: tags.critical }, async ({ testData, tellYourStoryPage, request, target }) => {
  const name = testData.name();
  const story = 'We walked the demo flow before the demo, and it held.';

  await tellYourStoryPage.open();
  const submission = await tellYourStoryPage.shareStory(name, story);
  expect(submission.status(), `the story submission was answered: ${await tellYourStoryPage.failureText()}`).toBe(200);
  await expect(tellYourStoryPage.confirmation).toContainText('Your story was saved');
  const id = (await tellYourStoryPage.storyId.textContent())?.trim();
  expect(id, 'the confirmation shows the story id').toBeTruthy();

  const stored = await request.get(new URL(`/api/stories/${id}`, target.backendUrl).href);
  expect(stored.status(), `GET /api/stories/${id}`).toBe(200);
  expect(await stored.json()).toMatchObject({ id, name, story });
});

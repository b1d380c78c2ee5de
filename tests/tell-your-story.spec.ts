import { expect, tags, test } from './fixtures.ts';

test('Tell Your Story page: heading, labelled fields and the share button', { tag: tags.critical }, async ({ tellYourStoryPage }) => {
  await tellYourStoryPage.open();
  await expect(tellYourStoryPage.heading).toBeVisible();
  await expect(tellYourStoryPage.nameField).toBeEditable();
  await expect(tellYourStoryPage.storyField).toBeEditable();
  await expect(tellYourStoryPage.shareButton).toBeEnabled();
});

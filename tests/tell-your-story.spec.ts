// Read-only (also on production): up to a finished recording, creating nothing.
import { expect, tags, test } from './fixtures.ts';

test('Tell Your Story: consent, then a recording with the microphone', { tag: tags.critical }, async ({ tellYourStoryPage: story }) => {
  await story.openFromHome();
  await expect(story.consentHeading).toBeVisible();
  for (const field of [story.nameField, story.ageField, story.locationField, story.languageField]) await expect(field).toBeEditable();
  await expect(story.continueButton, 'no recording without consent').toBeDisabled();
  await story.giveConsent({});
  await story.record(1);
  await expect(story.createButton).toBeEnabled();
});

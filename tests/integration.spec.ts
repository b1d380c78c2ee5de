import { expect, tags, test } from './fixtures.ts';

test('integration: a recorded story becomes a profile with its transcript and QR code', { tag: tags.critical }, async ({ testData, tellYourStoryPage: story, profilePage, request, target }) => {
  const name = testData.name();
  await story.openFromHome();
  await story.giveConsent({ name, age: 42, location: 'Lisbon', language: 'English' });
  await story.record(1);
  const created = await story.createProfile();
  expect(created.uploadedBytes, 'the uploaded recording is not empty').toBeGreaterThan(0);

  await expect(profilePage.page.getByRole('heading', { level: 1 })).toHaveText(`${name}'s story`);
  await expect(profilePage.transcript).toContainText(`of ${created.uploadedBytes} bytes`);
  const profileUrl = profilePage.page.url();
  expect(await profilePage.qrCodeText(), 'the QR code, read from a screenshot, links to this profile').toBe(profileUrl);

  const stored = await request.get(new URL(`/api/story/${created.id}`, target.backendUrl).href);
  expect(stored.status(), `GET /api/story/${created.id}`).toBe(200);
  expect(await stored.json()).toMatchObject({ id: created.id, name, status: 'COMPLETED', audioBytes: created.uploadedBytes });
});

// The demo's specs use the gate's fixtures (harness/fixtures/gate-fixtures.ts) plus their own page objects.
import { test as gate } from '../harness/fixtures/gate-fixtures.ts';
import { HomePage } from './pages/home-page.ts';
import { ProfilePage } from './pages/profile-page.ts';
import { TellYourStoryPage } from './pages/tell-your-story-page.ts';

export { expect, tags } from '../harness/fixtures/gate-fixtures.ts';

export const test = gate.extend<{ homePage: HomePage; tellYourStoryPage: TellYourStoryPage; profilePage: ProfilePage }>({
  homePage: async ({ page }, use) => {
    await use(new HomePage(page));
  },

  tellYourStoryPage: async ({ page, microphone }, use) => {
    await use(new TellYourStoryPage(page, microphone));
  },

  profilePage: async ({ page }, use) => {
    await use(new ProfilePage(page));
  },
});

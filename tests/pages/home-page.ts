import { test, type Locator, type Page } from '@playwright/test';

export class HomePage {
  readonly tellYourStoryLink: Locator;

  constructor(readonly page: Page) {
    this.tellYourStoryLink = page.getByRole('link', { name: 'Press to tell your story' });
  }

  async open(): Promise<void> {
    await test.step('open the home page', async () => {
      await this.page.goto('/');
    }, { box: true });
  }
}

import { test, type Locator, type Page, type Response } from '@playwright/test';

export class TellYourStoryPage {
  readonly heading: Locator;
  readonly nameField: Locator;
  readonly storyField: Locator;
  readonly shareButton: Locator;
  readonly confirmation: Locator;
  readonly storyId: Locator;
  readonly failureAlert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Tell Your Story' });
    this.nameField = page.getByLabel('Your name');
    this.storyField = page.getByLabel('Your story');
    this.shareButton = page.getByRole('button', { name: 'Share my story' });
    this.confirmation = page.getByRole('status');
    this.storyId = page.getByTestId('story-id');
    this.failureAlert = page.getByRole('alert');
  }

  async open(): Promise<void> {
    await test.step('open Tell Your Story', async () => {
      await this.page.goto('/tell-your-story');
    }, { box: true });
  }

  /** Submits the form; returns the answer to the submission, so a spec can say what the server said. */
  async shareStory(name: string, story: string): Promise<Response> {
    return await test.step(`share a story as "${name}"`, async () => {
      await this.nameField.fill(name);
      await this.storyField.fill(story);
      const submitted = this.page.waitForResponse((response) => response.request().method() === 'POST');
      await this.shareButton.click();
      return await submitted;
    }, { box: true });
  }

  /** What the page says went wrong, if it says anything. */
  async failureText(): Promise<string> {
    return (await this.failureAlert.count()) ? ((await this.failureAlert.first().textContent()) ?? '').trim() : '';
  }
}

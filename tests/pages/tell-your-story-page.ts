import { expect, test, type Locator, type Page, type Response } from '@playwright/test';
import type { Microphone } from '../../harness/browser/microphone.ts';

/** How long the transcription job may take once the upload is done (the demo's takes milliseconds). */
export const TRANSCRIPTION_DEADLINE_MS = 10_000;

export interface ConsentDetails {
  name?: string;
  age?: number;
  location?: string;
  language?: string;
}

export interface CreatedProfile {
  id: string;
  /** The bytes of the recording the backend received (0 when the upload was refused). */
  uploadedBytes: number;
}

export class TellYourStoryPage {
  readonly heading: Locator;
  readonly consentHeading: Locator;
  readonly nameField: Locator;
  readonly ageField: Locator;
  readonly locationField: Locator;
  readonly languageField: Locator;
  readonly consentCheckbox: Locator;
  readonly continueButton: Locator;
  readonly startButton: Locator;
  readonly stopButton: Locator;
  readonly timer: Locator;
  readonly recordingState: Locator;
  readonly createButton: Locator;
  readonly problem: Locator;
  private navigation: Response | null = null;

  constructor(readonly page: Page, private readonly microphone: Microphone) {
    this.heading = page.getByRole('heading', { name: 'Tell Your Story', level: 1 });
    this.consentHeading = page.getByRole('heading', { name: 'Before we begin' });
    this.nameField = page.getByLabel('Name', { exact: true });
    this.ageField = page.getByLabel('Age', { exact: true });
    this.locationField = page.getByLabel('Location', { exact: true });
    this.languageField = page.getByLabel('Language', { exact: true });
    this.consentCheckbox = page.getByRole('checkbox', { name: /I agree that my voice is recorded/ });
    this.continueButton = page.getByRole('button', { name: 'Continue to recording' });
    this.startButton = page.getByRole('button', { name: 'Start recording' });
    this.stopButton = page.getByRole('button', { name: 'Stop' });
    this.timer = page.getByRole('timer');
    this.recordingState = page.locator('#recording-state');
    this.createButton = page.getByRole('button', { name: 'Create my profile' });
    this.problem = page.getByRole('alert');
  }

  /** Opens the page by the home page's call to action, as a visitor does. */
  async openFromHome(): Promise<void> {
    await test.step('open Tell Your Story from the home page', async () => {
      await this.page.goto('/');
      const [navigation] = await Promise.all([
        this.page.waitForResponse((response) => new URL(response.url()).pathname === '/tell-your-story' && response.request().isNavigationRequest()),
        this.page.getByRole('link', { name: 'Press to tell your story' }).click(),
      ]);
      this.navigation = navigation;
      await expect(this.heading).toBeVisible();
    }, { box: true });
  }

  async giveConsent(details: ConsentDetails): Promise<void> {
    await test.step('give consent ("Before we begin")', async () => {
      await expect(this.consentHeading).toBeVisible();
      if (details.name !== undefined) await this.nameField.fill(details.name);
      if (details.age !== undefined) await this.ageField.fill(String(details.age));
      if (details.location !== undefined) await this.locationField.fill(details.location);
      if (details.language !== undefined) await this.languageField.fill(details.language);
      await expect(this.continueButton, '"Continue to recording" waits for consent').toBeDisabled();
      await this.consentCheckbox.check();
      await this.continueButton.click();
      await expect(this.startButton).toBeVisible();
    }, { box: true });
  }

  /** Records until the timer shows `seconds`, then stops; fails naming what blocked the microphone. */
  async record(seconds = 1): Promise<void> {
    await test.step(`record ${seconds} s with the fake microphone`, async () => {
      await this.startButton.click();
      // Whichever comes first: the recording runs, or the page says why it cannot.
      await this.page.getByText('Recording...', { exact: true }).or(this.problem).first().waitFor({ state: 'visible' });
      if (await this.problem.isVisible()) {
        const blockedBy = await this.microphone.blockedBy(this.navigation);
        const why = blockedBy ? `the page's response header "${blockedBy}" blocks the microphone (a granted permission and a fake device do not override it)` : 'the page did not say why';
        throw new Error(`recording did not start: ${why}. The page says: ${(await this.problem.textContent())?.trim()}`);
      }
      await expect(this.recordingState).toHaveText('Recording...');
      const shown = `00:${String(seconds).padStart(2, '0')}`;
      // At least `seconds`, not exactly: each value shows for one second, and a check that comes late must not miss it.
      const elapsed = async () => {
        const [minutes, secondsShown] = ((await this.timer.textContent()) ?? '').split(':').map(Number);
        return (minutes ?? 0) * 60 + (secondsShown ?? 0);
      };
      // Asked every 50 ms (expect.poll's default backs off to a second), so the stop follows the timer's value at once.
      await expect.poll(elapsed, { message: `the timer runs up to ${shown}`, timeout: seconds * 1000 + 5000, intervals: [50] }).toBeGreaterThanOrEqual(seconds);
      await this.stopButton.click();
      await expect(this.recordingState).toHaveText('Recording complete');
    }, { box: true });
  }

  /**
   * Clicks "Create my profile" and waits for the profile page, with a deadline: fails with what the page said (an
   * upload refused, a failed transcription) or, past the deadline, the last job status the page received.
   */
  async createProfile(): Promise<CreatedProfile> {
    return await test.step('create my profile: start, upload, wait for the transcription', async () => {
      let lastStatus = 'none received';
      const onResponse = async (response: Response) => {
        if (!/\/api\/story\/[^/]+\/status$/.test(new URL(response.url()).pathname)) return;
        const body = await response.json().catch(() => undefined);
        lastStatus = body?.status ? `${body.status}${body.reason ? ` (${body.reason})` : ''}` : `HTTP ${response.status()}`;
      };
      this.page.on('response', onResponse);
      try {
        const uploaded = this.page.waitForResponse((response) => response.request().method() === 'POST' && /\/api\/story\/[^/]+\/upload$/.test(response.url()));
        await this.createButton.click();
        const upload = await uploaded;
        const outcome = await Promise.race([
          this.page.waitForURL(/\/profile\/[^/]+$/, { timeout: TRANSCRIPTION_DEADLINE_MS }).then(() => 'profile' as const),
          this.problem.waitFor({ state: 'visible', timeout: TRANSCRIPTION_DEADLINE_MS }).then(() => 'problem' as const),
        ]).catch(() => 'deadline' as const);
        if (outcome === 'problem') throw new Error(`no profile: ${(await this.problem.textContent())?.trim()} (last job status seen: ${lastStatus})`);
        if (outcome === 'deadline') throw new Error(`no profile within ${TRANSCRIPTION_DEADLINE_MS / 1000} s of "Create my profile": the transcription job did not finish; last job status seen: ${lastStatus}`);
        const id = /\/profile\/([^/]+)$/.exec(new URL(this.page.url()).pathname)![1]!;
        // The recording is a Blob, whose bytes Playwright does not expose, and the upload's answer may be gone with
        // the page it was sent from: the backend's own record says how many bytes arrived.
        const status = await this.page.request.get(upload.url().replace(/\/upload$/, '/status'));
        const uploadedBytes = Number((await status.json().catch(() => ({})))?.audioBytes ?? 0);
        return { id: decodeURIComponent(id), uploadedBytes };
      } finally {
        this.page.off('response', onResponse);
      }
    }, { box: true });
  }
}

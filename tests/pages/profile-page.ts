import type { Locator, Page } from '@playwright/test';
import { readQrCode } from '../support/qr-code.ts';

export class ProfilePage {
  readonly transcript: Locator;
  readonly qrCode: Locator;
  readonly publicUrl: Locator;

  constructor(readonly page: Page) {
    this.transcript = page.getByTestId('transcript');
    this.qrCode = page.getByRole('img', { name: /QR code/ });
    this.publicUrl = page.getByTestId('public-url');
  }

  /** What the QR code says, read from a screenshot of it. */
  async qrCodeText(): Promise<string | undefined> {
    await this.qrCode.scrollIntoViewIfNeeded();
    return readQrCode(this.qrCode);
  }
}

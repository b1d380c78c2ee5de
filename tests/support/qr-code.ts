// Reads a QR code the way a phone would: from pixels (a screenshot), not from the page's markup.
import type { Locator } from '@playwright/test';
import jsQRModule from 'jsqr';
import pngjs from 'pngjs';

// jsqr is CommonJS with an `exports.default`: under Node's ESM loader the function is one level down.
type JsQr = typeof import('jsqr').default;
const jsQR: JsQr = ((jsQRModule as unknown as { default?: JsQr }).default ?? jsQRModule) as JsQr;
const { PNG } = pngjs;

/** Screenshots `locator` and decodes the QR code in it; undefined when no code can be read. */
export async function readQrCode(locator: Locator): Promise<string | undefined> {
  const png = PNG.sync.read(await locator.screenshot({ animations: 'disabled' }));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
}

// Reads a QR code the way a phone would: from pixels (a screenshot), not from the page's markup.
import type { Locator } from '@playwright/test';

// jsqr is CommonJS with an `exports.default`: under Node's ESM loader the function is one level down.
type JsQr = typeof import('jsqr').default;

/** Screenshots `locator` and decodes the QR code in it; undefined when no code can be read. */
export async function readQrCode(locator: Locator): Promise<string | undefined> {
  // Loaded by the one spec that reads a code, not by every worker while the services boot.
  const [jsQRModule, { default: pngjs }] = await Promise.all([import('jsqr'), import('pngjs')]);
  const jsQR = (((jsQRModule as { default: unknown }).default as { default?: JsQr }).default ?? jsQRModule.default) as JsQr;
  const png = pngjs.PNG.sync.read(await locator.screenshot({ animations: 'disabled' }));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
}

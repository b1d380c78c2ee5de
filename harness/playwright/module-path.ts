import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of a harness module Playwright loads by name (global setup, reporters): `.ts` in this
 * repository, `.js` in the published package (dist/), whichever the calling module itself is.
 */
export function harnessModule(from: string, relative: string): string {
  const extension = path.extname(fileURLToPath(from));
  return fileURLToPath(new URL(`${relative}${extension === '.js' ? '.js' : '.ts'}`, from));
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of a harness module Playwright loads by name (global setup, reporters): `.ts` in this
 * repository, `.js` in the published package (dist/), whichever the calling module itself is.
 */
/**
 * How a user names the gate reporter in `--reporter` or a configuration's `reporter`, for where preflight is loaded
 * from: `preflight/reporter` from the installed package (its modules are dist/'s `.js`), else its path from `configDir`
 * (this repository's sources, where Playwright resolves a reporter's path from the configuration's folder).
 */
export function gateReporterReference(reporterModule: string, configDir: string): string {
  if (path.extname(reporterModule) === '.js') return 'preflight/reporter';
  const relative = path.relative(configDir, reporterModule);
  if (!relative || path.isAbsolute(relative)) return reporterModule;
  const slashed = relative.split(path.sep).join('/');
  return slashed.startsWith('../') ? slashed : `./${slashed}`;
}

export function harnessModule(from: string, relative: string): string {
  const extension = path.extname(fileURLToPath(from));
  return fileURLToPath(new URL(`${relative}${extension === '.js' ? '.js' : '.ts'}`, from));
}

import fs from 'node:fs';
import path from 'node:path';

/** The folder of preflight's own package.json (the repository, or node_modules/preflight once installed). */
export const PACKAGE_ROOT = nearestUp(import.meta.dirname, (dir) => fs.existsSync(path.join(dir, 'package.json'))) ?? path.resolve(import.meta.dirname, '../..');

const ROOT_MARKERS = ['preflight.config.ts', 'preflight.config.js', 'preflight.config.mjs', 'playwright.config.ts', 'playwright.config.js', 'playwright.config.mjs'];

function nearestUp(start: string, found: (dir: string) => boolean): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (found(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The user's project root (where preflight.config.ts or playwright.config.ts is): reports and default paths resolve
 * from here, whichever directory the runner was started from. PREFLIGHT_PROJECT_ROOT names it outright; installed
 * as a dependency it is the nearest folder up from the working directory that holds one of those files; in
 * preflight's own repository it is the repository.
 */
export function findProjectRoot(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), packageRoot = PACKAGE_ROOT): string {
  if (env.PREFLIGHT_PROJECT_ROOT) return path.resolve(cwd, env.PREFLIGHT_PROJECT_ROOT);
  if (!packageRoot.split(path.sep).includes('node_modules')) return packageRoot;
  return nearestUp(cwd, (dir) => ROOT_MARKERS.some((marker) => fs.existsSync(path.join(dir, marker)))) ?? path.resolve(cwd);
}

export const PROJECT_ROOT = findProjectRoot();

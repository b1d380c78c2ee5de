import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';

// jiti, not tsx: plain JavaScript without an install script (tsx brings esbuild, whose postinstall npm 11 flags in
// every user's install). Its transpile cache (node_modules/.cache/jiti, else the OS temp folder) keeps a load ~0.5 s.

// This package's entry points by their specifier, relative to harness/ (or dist/harness/ once built).
const OWN_ENTRIES: Record<string, string> = { preflight: 'index', 'preflight/config': 'config-files', 'preflight/reporter': 'reporter/gate-reporter' };
const harnessDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ownExtension = path.extname(fileURLToPath(import.meta.url)) === '.js' ? '.js' : '.ts';

/**
 * The default export of a user's TypeScript or JavaScript file (the gate configuration, the drift rules), loaded
 * synchronously: it works wherever the file is (outside this project, in a folder without "type": "module"),
 * inside Playwright's runner and workers alike. Throws what loading the file throws.
 */
export function loadUserModule(file: string): unknown {
  const jiti = createJiti(import.meta.url, { alias: ownPackageFallback(file) });
  const module = jiti(file) as { default?: unknown };
  return module.default ?? module;
}

/**
 * A user's file imports `preflight/config`; when this preflight is not in that project's node_modules (installed
 * globally, run by path: `npx preflight drift` in another repository), the import resolves to this package itself.
 * Only as a fallback: a preflight the project installed wins.
 */
function ownPackageFallback(file: string): Record<string, string> {
  const requireFromFile = createRequire(file);
  const alias: Record<string, string> = {};
  for (const [specifier, entry] of Object.entries(OWN_ENTRIES)) {
    try {
      requireFromFile.resolve(specifier);
    } catch {
      alias[specifier] = path.join(harnessDir, `${entry}${ownExtension}`);
    }
  }
  return alias;
}

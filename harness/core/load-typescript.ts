import Module from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { require as requireTypeScript } from 'tsx/cjs/api';

/**
 * The default export of a user's TypeScript or JavaScript file (the gate configuration, the drift rules), loaded
 * synchronously with tsx: it works wherever the file is (outside this project, in a folder without
 * "type": "module"), inside Playwright's runner and workers alike. Throws what loading the file throws.
 */
export function loadUserModule(file: string): unknown {
  resolveOwnPackageAsFallback();
  const module = requireTypeScript(file, pathToFileURL(file).href) as { default?: unknown };
  return module.default ?? module;
}

// This package's entry points by their specifier, relative to harness/ (or dist/harness/ once built).
const OWN_ENTRIES: Record<string, string> = { preflight: 'index', 'preflight/config': 'config-files', 'preflight/reporter': 'reporter/gate-reporter' };
const harnessDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ownExtension = path.extname(fileURLToPath(import.meta.url)) === '.js' ? '.js' : '.ts';

let installed = false;

/**
 * A user's file imports `preflight/config`; when this preflight is not in that project's node_modules (installed
 * globally, run by path: `npx preflight drift` in another repository), the import resolves to this package itself.
 * Only as a fallback: a preflight the project installed wins.
 */
function resolveOwnPackageAsFallback(): void {
  if (installed) return;
  installed = true;
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    try {
      return resolve.call(this, request, ...rest);
    } catch (error) {
      const own = OWN_ENTRIES[request];
      if (!own || (error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
      return path.join(harnessDir, `${own}${ownExtension}`);
    }
  };
}

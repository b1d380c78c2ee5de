import { createJiti } from 'jiti';

// jiti, not tsx: plain JavaScript without an install script (tsx brings esbuild, whose postinstall npm 11 flags in
// every user's install). Its transpile cache (node_modules/.cache/jiti, else the OS temp folder) keeps a load ~0.5 s.
const jiti = createJiti(import.meta.url);

/**
 * The default export of a user's TypeScript or JavaScript file (the gate configuration, the drift rules), loaded
 * synchronously: it works wherever the file is (outside this project, in a folder without "type": "module"),
 * inside Playwright's runner and workers alike. Throws what loading the file throws.
 */
export function loadUserModule(file: string): unknown {
  const module = jiti(file) as { default?: unknown };
  return module.default ?? module;
}

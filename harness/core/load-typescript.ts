import { pathToFileURL } from 'node:url';
import { require as requireTypeScript } from 'tsx/cjs/api';

/**
 * The default export of a user's TypeScript or JavaScript file (the gate configuration, the drift rules), loaded
 * synchronously with tsx: it works wherever the file is (outside this project, in a folder without
 * "type": "module"), inside Playwright's runner and workers alike. Throws what loading the file throws.
 */
export function loadUserModule(file: string): unknown {
  const module = requireTypeScript(file, pathToFileURL(file).href) as { default?: unknown };
  return module.default ?? module;
}

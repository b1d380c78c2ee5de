import path from 'node:path';

/** The project root (where playwright.config.ts is): reports and default paths resolve from here, whichever directory the runner was started from. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

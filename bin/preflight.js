#!/usr/bin/env node
// `npx preflight <command>`. The installed package runs its built JavaScript (dist/); preflight's own repository runs
// the TypeScript. tsx's loader is registered either way: the user's drift rules and config files are TypeScript.
import fs from 'node:fs';
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

// Both loaders: in a package without "type": "module" a .ts file is CommonJS.
registerCommonJs();
register();
const built = new URL('../dist/harness/cli/main.js', import.meta.url);
const source = new URL('../harness/cli/main.ts', import.meta.url);
// In the repository the source wins, so a stale dist/ never runs; installed, only dist/ is there.
const { main } = await import(fs.existsSync(source) ? source.href : built.href);
process.exitCode = await main(process.argv.slice(2));

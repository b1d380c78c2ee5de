#!/usr/bin/env node
// `npx preflight <command>`. The installed package runs its built JavaScript (dist/); preflight's own repository runs
// the TypeScript through tsx, one of its devDependencies (users' config and drift rules load through jiti either way).
import fs from 'node:fs';

const built = new URL('../dist/harness/cli/main.js', import.meta.url);
const source = new URL('../harness/cli/main.ts', import.meta.url);
// In the repository the source wins, so a stale dist/ never runs; installed, only dist/ is there.
const fromSource = fs.existsSync(source);
if (fromSource) (await import('tsx/esm/api')).register();
const { main } = await import(fromSource ? source.href : built.href);
process.exitCode = await main(process.argv.slice(2));

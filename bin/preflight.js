#!/usr/bin/env node
// `npx preflight <command>`: loads the TypeScript CLI through tsx's in-process loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

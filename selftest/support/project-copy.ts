// A copy of the project in a temp folder (node_modules linked), so an attack on the folders around the project
// (PREFLIGHT_REPORTS_DIR=..) can be tried without risking the real one.
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './demo-process.ts';

const COPIED = ['playwright.config.ts', 'preflight.config.ts', '.env.example', 'package.json', 'tsconfig.json', 'drift.rules.ts', 'harness', 'tests', 'demo-app', 'bin'];

/** `{ parent, root }`: the copy is `root`, alone in `parent`. */
export async function copyProject(): Promise<{ parent: string; root: string }> {
  const parent = await mkdtemp(path.join(tmpdir(), 'preflight-copy-'));
  const root = path.join(parent, 'project');
  fs.mkdirSync(root);
  for (const entry of COPIED) {
    fs.cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true, filter: (source) => !/[\\/](node_modules|reports|test-results|\.data)$/.test(source) });
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
  return { parent, root };
}

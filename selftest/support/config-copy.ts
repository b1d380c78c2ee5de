// A temp copy of the config files named by drift.rules.ts, to drift on purpose (PREFLIGHT_DRIFT_ROOT).
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './demo-process.ts';

export const DEMO_CONFIG_FILES = [
  'demo-app/backend/.env.example',
  'demo-app/frontend/.env.example',
  'demo-app/database/.env.example',
  'demo-app/tunnel/config.yml',
  'demo-app/ecosystem.config.cjs',
  'demo-app/docs/RUNBOOK.md',
  // preflight's own statements of the demo's defaults (drift.rules.ts checks them too).
  'preflight.config.ts',
  'harness/config/defaults.ts',
  '.env.example',
];

/** Copies the files; `edits` maps a file to a function of its text (throws when the edit changes nothing). */
export async function copyDemoConfig(edits: Record<string, (text: string) => string> = {}): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'preflight-drift-'));
  for (const file of DEMO_CONFIG_FILES) {
    const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
    const edited = edits[file] ? edits[file](text) : text;
    if (edits[file] && edited === text) throw new Error(`the edit of ${file} changed nothing: the test would prove nothing`);
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), edited);
  }
  return root;
}

export const readCopy = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');

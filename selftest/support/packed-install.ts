// preflight as users meet it: packed (`npm pack`, which builds dist/) and installed as a dev dependency into a copy
// of a fixture app in a temp folder outside this repository. Once per test file: packing builds the package.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './demo-process.ts';

/** Copies `fixtureApp` to `<workDir>/<its name>` and installs the packed tarball there (what npm printed comes back); remove `workDir` after. */
export async function installPackedInto(fixtureApp: string): Promise<{ workDir: string; appDir: string; installOutput: string }> {
  const workDir = await mkdtemp(path.join(tmpdir(), `preflight-${path.basename(fixtureApp)}-`));
  const packed = await execa('npm', ['pack', '--json', '--pack-destination', workDir], { cwd: repoRoot, reject: false, all: true });
  assert.equal(packed.exitCode, 0, `npm pack failed:\n${packed.all}`);
  const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ filename: string }];
  const appDir = path.join(workDir, path.basename(fixtureApp));
  fs.cpSync(fixtureApp, appDir, { recursive: true });
  const installed = await execa('npm', ['install', '-D', '--prefer-offline', '--no-audit', '--no-fund', path.join(workDir, filename)], { cwd: appDir, reject: false, all: true });
  assert.equal(installed.exitCode, 0, `npm install of the tarball failed:\n${installed.all}`);
  return { workDir, appDir, installOutput: installed.all ?? '' };
}

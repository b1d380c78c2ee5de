// preflight as users meet it: packed (`npm pack`, which builds dist/) and installed as a dev dependency into a copy
// of a fixture app in a temp folder outside this repository. One `npm pack` serves every test file that installs it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './demo-process.ts';
import { contentDigest, sharedBuild } from './shared-build.ts';

/** What `npm pack` reads to build the tarball (package.json "files", the build's inputs) and the lock file of its tools. */
const PACKED_INPUTS = ['package.json', 'package-lock.json', 'README.md', 'bin', 'docs', 'harness', 'tsconfig.json', 'tsconfig.build.json', 'scripts/copy-assets.mjs'];

/**
 * The tarball of this repository as it is now: `npm pack` runs once per content of what is packed, shared by every
 * test file (support/shared-build.ts). `npm pack` builds dist/ in the repository, so two packs of one repository never
 * run at once, whatever their content.
 */
export async function packedTarball(): Promise<string> {
  const dir = await sharedBuild({
    kind: 'packs',
    digest: contentDigest(PACKED_INPUTS),
    lock: `dist-of-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 16)}`,
    async make(into) {
      const packed = await execa('npm', ['pack', '--json', '--pack-destination', into], { cwd: repoRoot, reject: false, all: true });
      assert.equal(packed.exitCode, 0, `npm pack failed:\n${packed.all}`);
    },
  });
  const tarball = fs.readdirSync(dir).find((name) => name.endsWith('.tgz'));
  assert.ok(tarball, `no tarball in ${dir}`);
  return path.join(dir, tarball);
}

/** Copies `fixtureApp` to `<workDir>/<its name>` and installs the packed tarball there (what npm printed comes back); remove `workDir` after. */
export async function installPackedInto(fixtureApp: string): Promise<{ workDir: string; appDir: string; installOutput: string }> {
  const tarball = await packedTarball();
  const workDir = await mkdtemp(path.join(tmpdir(), `preflight-${path.basename(fixtureApp)}-`));
  const appDir = path.join(workDir, path.basename(fixtureApp));
  fs.cpSync(fixtureApp, appDir, { recursive: true });
  const installed = await execa('npm', ['install', '-D', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: appDir, reject: false, all: true });
  assert.equal(installed.exitCode, 0, `npm install of the tarball failed:\n${installed.all}`);
  return { workDir, appDir, installOutput: installed.all ?? '' };
}

/**
 * Copies `fixtureApp` to `<workDir>/<its name>` with a `node_modules` that links to one shared install of the packed
 * tarball (installed once per tarball, by whichever test process asks first): for fixtures that need only preflight
 * and its peer @playwright/test, whose tests do not examine the install itself. Remove `workDir` after.
 */
export async function linkPackedInto(fixtureApp: string): Promise<{ workDir: string; appDir: string }> {
  const tarball = await packedTarball();
  const installed = await sharedBuild({
    kind: 'installs',
    digest: createHash('sha256').update(fs.readFileSync(tarball)).digest('hex').slice(0, 16),
    async make(into) {
      fs.writeFileSync(path.join(into, 'package.json'), JSON.stringify({ name: 'preflight-consumer', private: true, type: 'module' }));
      const result = await execa('npm', ['install', '-D', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: into, reject: false, all: true });
      assert.equal(result.exitCode, 0, `npm install of the tarball failed:\n${result.all}`);
    },
  });
  const workDir = await mkdtemp(path.join(tmpdir(), `preflight-${path.basename(fixtureApp)}-`));
  const appDir = path.join(workDir, path.basename(fixtureApp));
  fs.cpSync(fixtureApp, appDir, { recursive: true });
  fs.symlinkSync(path.join(installed, 'node_modules'), path.join(appDir, 'node_modules'), 'dir');
  return { workDir, appDir };
}

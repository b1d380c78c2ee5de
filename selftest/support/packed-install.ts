// preflight as users meet it: packed (`npm pack`, which builds dist/) and installed as a dev dependency into a copy
// of a fixture app in a temp folder outside this repository. The pack is shared: one `npm pack` per content of what
// is packed, whichever test file (or parallel test process) asks first builds it while the others wait for it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './demo-process.ts';

/** What `npm pack` reads to build the tarball (package.json "files", the build's inputs) and the lock file of its tools. */
const PACKED_INPUTS = ['package.json', 'package-lock.json', 'README.md', 'bin', 'docs', 'harness', 'tsconfig.json', 'tsconfig.build.json', 'scripts/copy-assets.mjs'];
/** Tarballs by content, shared by every test process on this machine (and by later runs while nothing packed changes). */
const PACKS = path.join(tmpdir(), 'preflight-selftest-packs');
/** How long a test waits for another process's `npm pack` before it gives up. */
const PACK_WAIT_MS = 10 * 60_000;

/** A digest of every file `npm pack` reads: the same digest means the same tarball. */
function packedContentDigest(): string {
  const hash = createHash('sha256');
  const add = (relative: string) => {
    const full = path.join(repoRoot, relative);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) {
      for (const entry of fs.readdirSync(full).sort()) if (entry !== 'node_modules') add(path.join(relative, entry));
      return;
    }
    hash.update(`${relative}\0`).update(fs.readFileSync(full)).update('\0');
  };
  for (const input of PACKED_INPUTS) add(input);
  return hash.digest('hex').slice(0, 16);
}

const tarballIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).find((name) => name.endsWith('.tgz')) : undefined);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid that holds `lock`, or 0 while it has not written it yet (or has just released the lock). */
function lockHolder(lock: string): number {
  try {
    return Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

/** Resolves when something changes in `dir`, or after `fallbackMs` (to notice a lock holder that died). */
function changeIn(dir: string, fallbackMs: number): { changed: Promise<void>; close(): void } {
  let close = () => {};
  const changed = new Promise<void>((resolve) => {
    const watcher = fs.watch(dir, () => resolve());
    const timer = setTimeout(resolve, fallbackMs);
    close = () => {
      watcher.close();
      clearTimeout(timer);
    };
  });
  return { changed, close };
}

/**
 * The tarball of this repository as it is now: `npm pack` runs once per content of what is packed. The process that
 * takes the lock (a folder: its creation is atomic) packs; `npm pack` builds dist/ in the repository, so two packs of
 * one repository never run at once. The others wait for the lock's release, not for a time.
 */
export async function packedTarball(): Promise<string> {
  const packDir = path.join(PACKS, packedContentDigest());
  // One lock per repository: dist/ is written there, whatever the content.
  const lock = path.join(PACKS, `${createHash('sha256').update(repoRoot).digest('hex').slice(0, 16)}.lock`);
  fs.mkdirSync(PACKS, { recursive: true });
  const deadline = Date.now() + PACK_WAIT_MS;
  for (;;) {
    const ready = tarballIn(packDir);
    if (ready) return path.join(packDir, ready);
    // Watch before trying the lock, so a release between the two is not missed.
    const change = changeIn(PACKS, 5_000);
    try {
      fs.mkdirSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(lock);
      // A holder that died mid-pack leaves its lock: it is stale once its pid is gone.
      if (holder > 0 && !isAlive(holder)) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`waited ${PACK_WAIT_MS / 60_000} min for the npm pack of pid ${holder || '?'} (lock ${lock}); remove the lock if no pack runs`);
      else await change.changed;
      change.close();
      continue;
    }
    change.close();
    try {
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      if (!tarballIn(packDir)) await pack(packDir);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** `npm pack` into a fresh folder, then the tarball renamed into `packDir`: it appears there whole or not at all. */
async function pack(packDir: string): Promise<void> {
  const building = await mkdtemp(path.join(PACKS, 'building-'));
  try {
    const packed = await execa('npm', ['pack', '--json', '--pack-destination', building], { cwd: repoRoot, reject: false, all: true });
    assert.equal(packed.exitCode, 0, `npm pack failed:\n${packed.all}`);
    const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ filename: string }];
    fs.mkdirSync(packDir, { recursive: true });
    fs.renameSync(path.join(building, filename), path.join(packDir, filename));
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
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

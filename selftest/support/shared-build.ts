// Something slow to make that many test files need the same of (the packed tarball, an initialised demo database
// cluster): made once per content of its inputs, by whichever test process asks first, while the others wait for it.
// Test files run in parallel processes (`npm test`), so the one-maker rule is a lock on the file system.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './demo-process.ts';

/** Made things by kind and digest, shared by every test process on this machine and by later runs while the inputs stay the same. */
const CACHE = path.join(tmpdir(), 'preflight-selftest-cache');
/** How long a test waits for another process to make it before giving up. */
const WAIT_MS = 10 * 60_000;
/** A made thing nobody used for this long is removed when another of its kind is made. */
const UNUSED_MS = 24 * 60 * 60_000;

/**
 * A digest of the files under `inputs` (paths relative to the repository): the ones git tracks or would (ignored ones
 * such as node_modules and demo-app/data are left out), else, outside a git checkout, every file but node_modules.
 */
export function contentDigest(inputs: string[]): string {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...inputs], { cwd: repoRoot, encoding: 'utf8' });
  const files = listed.status === 0 ? listed.stdout.split('\0').filter(Boolean) : inputs.flatMap((input) => walk(input));
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) {
    const full = path.join(repoRoot, file);
    // A tracked file deleted in the working tree is not there to read.
    if (fs.existsSync(full)) hash.update(`${file}\0`).update(fs.readFileSync(full)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function walk(relative: string): string[] {
  const full = path.join(repoRoot, relative);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [relative];
  return fs.readdirSync(full).filter((entry) => entry !== 'node_modules').flatMap((entry) => walk(path.join(relative, entry)));
}

export interface SharedBuild {
  /** A folder under the cache: one per kind of thing. */
  kind: string;
  /** The digest of what it is made from: the same digest, the same thing. */
  digest: string;
  /** Names the lock when makers of different digests must not run at once (they write the same place); default the digest. */
  lock?: string;
  /** Makes the thing in `into`, a new empty folder (mode 755) that becomes the shared one once this resolves. */
  make(into: string): Promise<void>;
}

/** The folder of the made thing: made now under the lock, or by another process meanwhile. */
export async function sharedBuild(build: SharedBuild): Promise<string> {
  const kindDir = path.join(CACHE, build.kind);
  const done = path.join(kindDir, build.digest);
  const lock = path.join(kindDir, `${build.lock ?? build.digest}.lock`);
  fs.mkdirSync(kindDir, { recursive: true, mode: 0o755 });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (fs.existsSync(done)) {
      const now = new Date();
      fs.utimesSync(done, now, now);
      return done;
    }
    // Watch before trying the lock, so a release between the two is not missed.
    const change = changeIn(kindDir);
    try {
      fs.mkdirSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(lock);
      // A holder that died while making leaves its lock: stale once its pid is gone.
      if (holder > 0 && !isAlive(holder)) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`waited ${WAIT_MS / 60_000} min for pid ${holder || '?'} to make ${build.kind} (lock ${lock}); remove the lock if nothing makes it`);
      else await change.changed;
      change.close();
      continue;
    }
    change.close();
    try {
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      if (!fs.existsSync(done)) await make(build, kindDir, done);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Makes it in a fresh folder, then renames that folder into place: it appears whole or not at all. */
async function make(build: SharedBuild, kindDir: string, done: string): Promise<void> {
  const into = fs.mkdtempSync(path.join(kindDir, 'making-'));
  try {
    fs.chmodSync(into, 0o755);
    await build.make(into);
    try {
      fs.renameSync(into, done);
    } catch (error) {
      // Another maker under another lock (another checkout of the same content) finished first: the same thing.
      if (!fs.existsSync(done)) throw error;
    }
  } finally {
    fs.rmSync(into, { recursive: true, force: true });
  }
  for (const entry of fs.readdirSync(kindDir)) {
    const other = path.join(kindDir, entry);
    if (other !== done && !entry.endsWith('.lock') && !entry.startsWith('making-') && Date.now() - fs.statSync(other).mtimeMs > UNUSED_MS) {
      fs.rmSync(other, { recursive: true, force: true });
    }
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resolves when an entry of `dir` changes (a lock released, a thing made), or after 5 s to notice a holder that died. */
function changeIn(dir: string): { changed: Promise<void>; close(): void } {
  let close = () => {};
  const changed = new Promise<void>((resolve) => {
    const watcher = fs.watch(dir, () => resolve());
    const timer = setTimeout(resolve, 5_000);
    close = () => {
      watcher.close();
      clearTimeout(timer);
    };
  });
  return { changed, close };
}

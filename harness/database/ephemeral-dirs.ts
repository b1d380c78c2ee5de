import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readStat } from '../services/process-table.ts';
import { ownerAlive } from '../services/run-identity.ts';

// The folders of ephemeral clusters (harness/database/postgres-server.ts): one per database program, removed when it
// exits. One whose program was killed outright (SIGKILL) stays; the next program, or `npx preflight cleanup`, removes it.
const PREFIX = 'preflight-postgres-';
const OWNER_FILE = 'owner';

/** A new folder for a cluster, owned by this process ("<pid>:<start ticks>"), that every user can enter (PostgreSQL runs as postgres under root). */
export function makeClusterDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), PREFIX));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, OWNER_FILE), `${process.pid}:${readStat(process.pid)?.startTicks ?? 0}`);
  return dir;
}

/** Removes the folders of cluster programs that no longer run; returns them. Where the OS does not tell (no /proc), none. */
export function removeAbandonedClusterDirs(): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(PREFIX));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const dir = path.join(os.tmpdir(), name);
    let owner: string;
    try {
      owner = fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8').trim();
    } catch {
      return []; // not one of ours, or still being made
    }
    if (!/^\d+:\d+$/.test(owner) || ownerAlive(owner) || !fs.existsSync('/proc/self/stat')) return [];
    fs.rmSync(dir, { recursive: true, force: true });
    return [dir];
  });
}

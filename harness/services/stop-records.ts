import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SECRET_NAME } from '../secrets/redact.ts';
import type { StopCommand } from './stop-command.ts';

/**
 * A note, kept while a service with a stop command runs, of how to stop it: teardown and the watchdog delete it once
 * they ran the command. One left behind belongs to a run whose runner and watchdog both died, and tells
 * `npx preflight cleanup` how to stop a daemon that kept none of preflight's marks (a container).
 */
export interface StopRecord extends StopCommand {
  runId: string;
  /** The runner's "<pid>:<start ticks>" (harness/services/run-identity.ts). */
  owner: string;
  /** The service's tag: what the stop command runs with, and what its daemon carries if it kept its environment. */
  tag: string;
  file: string;
}

/** Per user, beside the OS's other temporary files; only its owner can read it. */
function recordsDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return path.join(os.tmpdir(), `preflight-stop-commands-${uid}`);
}

/**
 * Writes the record; returns its file, or undefined when it cannot be written (the watchdog and teardown still stop
 * the service). Variables whose names look secret are left out: the command runs without them at cleanup.
 */
export function writeStopRecord(record: Omit<StopRecord, 'file'>): string | undefined {
  try {
    const dir = recordsDir();
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${record.runId}-${record.service}.json`);
    const env = Object.fromEntries(Object.entries(record.env).filter(([name, value]) => value !== undefined && !SECRET_NAME.test(name)));
    fs.writeFileSync(file, JSON.stringify({ ...record, env }), { mode: 0o600 });
    return file;
  } catch {
    return undefined;
  }
}

export function removeStopRecord(file: string | undefined): void {
  if (file) fs.rmSync(file, { force: true });
}

/** Every record left, whatever its run; a file that cannot be read is skipped. */
export function listStopRecords(): StopRecord[] {
  const dir = recordsDir();
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const file = path.join(dir, name);
    try {
      const record = JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<StopRecord, 'file'>;
      return typeof record.command === 'string' && typeof record.owner === 'string' ? [{ ...record, file }] : [];
    } catch {
      return [];
    }
  });
}

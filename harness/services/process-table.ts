import fs from 'node:fs';

/** One process as Linux's /proc tells it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Process group id. */
  pgid: number;
  /** One letter: R running, S sleeping, Z zombie (dead, not yet reaped), ... */
  state: string;
  /** The full command line, arguments joined by spaces. */
  command: string;
}

/** True where the OS tells about processes through /proc (Linux); elsewhere callers say less, never guess. */
export const procAvailable = process.platform === 'linux' && fs.existsSync('/proc/self/stat');

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

/** The process `pid` without its command line (one read of /proc/<pid>/stat), or undefined when it does not exist. */
export function readStat(pid: number): (Omit<ProcessEntry, 'command'> & { comm: string; startTicks: number }) | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  const [state = '?', ppid = '0', pgid = '0'] = fields;
  // Field 22 of stat (index 19 after comm): when the process started, in clock ticks since boot; with the pid it names one process.
  return { pid, ppid: Number(ppid), pgid: Number(pgid), state, comm, startTicks: Number(fields[19] ?? 0) };
}

/** The process `pid`, or undefined when it does not exist (or /proc is not there). */
export function readProcess(pid: number): ProcessEntry | undefined {
  const stat = readStat(pid);
  if (!stat) return undefined;
  const { comm, startTicks: _startTicks, ...entry } = stat;
  const cmdline = readText(`/proc/${pid}/cmdline`)?.replace(/\0+$/, '').split('\0').join(' ');
  return { ...entry, command: cmdline || `[${comm}]` };
}

export function allPids(): number[] {
  if (!procAvailable) return [];
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
}

/** A process that has not exited (a zombie has exited: only its exit status is left). */
export function isRunning(pid: number): boolean {
  const entry = readStat(pid);
  return entry !== undefined && entry.state !== 'Z';
}

/** Running processes of the process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  // Polled during teardown: only each process's stat file is read, not its command line.
  return allPids().filter((pid) => {
    const entry = readStat(pid);
    return entry !== undefined && entry.pgid === pgid && entry.state !== 'Z';
  });
}

/**
 * Running processes whose environment holds `name=value`. Every descendant of a service inherits its
 * environment, so this finds those that left its process group (setsid, daemons) too.
 */
export function processesWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}\0`;
  return allPids().filter((pid) => pid !== process.pid && readText(`/proc/${pid}/environ`)?.includes(needle) && isRunning(pid));
}

/** Whether the running process `pid` has `name=value` in its environment (what it was started with). */
export function carriesEnv(pid: number, name: string, value: string): boolean {
  return readText(`/proc/${pid}/environ`)?.includes(`${name}=${value}\0`) === true && isRunning(pid);
}

/** The environment `pid` was started with, or undefined when the OS does not tell (gone, another user's). */
export function readEnviron(pid: number): Map<string, string> | undefined {
  const text = readText(`/proc/${pid}/environ`);
  if (text === undefined) return undefined;
  const entries = text.split('\0').filter(Boolean).map((entry): [string, string] => {
    const at = entry.indexOf('=');
    return [entry.slice(0, at), entry.slice(at + 1)];
  });
  return new Map(entries);
}

/** Resident memory of `pid` in kB, where the OS tells. */
export function residentKb(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readText(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) : undefined;
}

import { randomUUID } from 'node:crypto';
import { allPids, isRunning, readEnviron, readStat } from './process-table.ts';

/**
 * The marks every service preflight starts carries in its environment (and so everything it starts in turn):
 * which service it is, which run started it, and which runner process owns that run. Teardown, the watchdog,
 * leftover diagnoses and `npx preflight cleanup` find preflight's processes by these marks and by nothing else.
 */
export const SERVICE_TAG_VAR = 'PREFLIGHT_SERVICE_TAG';
export const RUN_ID_VAR = 'PREFLIGHT_RUN_ID';
/** "<pid>:<start ticks>" of the runner: a pid alone could be reused by an unrelated process after the runner died. */
export const RUN_OWNER_VAR = 'PREFLIGHT_RUN_OWNER';

export interface RunIdentity {
  runId: string;
  owner: string;
}

/** The identity of a run owned by this process. */
export function newRunIdentity(): RunIdentity {
  return { runId: randomUUID(), owner: `${process.pid}:${readStat(process.pid)?.startTicks ?? 0}` };
}

/** Whether the runner named by an owner mark ("<pid>:<start ticks>") still runs. */
export function ownerAlive(owner: string): boolean {
  const [pid, ticks] = owner.split(':').map(Number);
  if (!pid || !isRunning(pid)) return false;
  return readStat(pid)?.startTicks === ticks;
}

/** What the marks of a process say, or undefined when it carries none (preflight did not start it). */
export function preflightMarks(pid: number): { service: string; runId: string; owner: string; leftover: boolean } | undefined {
  const env = readEnviron(pid);
  const tag = env?.get(SERVICE_TAG_VAR);
  const runId = env?.get(RUN_ID_VAR);
  const owner = env?.get(RUN_OWNER_VAR);
  if (!tag || !runId || !owner) return undefined;
  return { service: serviceOfTag(tag), runId, owner, leftover: !ownerAlive(owner) };
}

/** The service a tag names: the tag is "<service>-<uuid>". */
export function serviceOfTag(tag: string): string {
  return tag.replace(/-[0-9a-f-]{36}$/, '');
}

export interface PreflightProcess {
  pid: number;
  /** The service's tag value: one per service tree. */
  tag: string;
  service: string;
  runId: string;
  leftover: boolean;
}

/** Every running process preflight started (it carries all three marks), whether its run still goes on or not. */
export function findPreflightProcesses(): PreflightProcess[] {
  return allPids().flatMap((pid) => {
    if (pid === process.pid || !isRunning(pid)) return [];
    const env = readEnviron(pid);
    const tag = env?.get(SERVICE_TAG_VAR);
    const marks = tag ? preflightMarks(pid) : undefined;
    return tag && marks ? [{ pid, tag, service: marks.service, runId: marks.runId, leftover: marks.leftover }] : [];
  });
}

/** One line for a diagnosis about a process that holds a port: what preflight knows about it, if it started it. */
export function describeLeftover(pid: number): string | undefined {
  const marks = preflightMarks(pid);
  if (!marks?.leftover) return undefined;
  return `it is preflight's own leftover: the ${marks.service} of an earlier run (run ${marks.runId}) whose runner is gone; stop it with: npx preflight cleanup`;
}

import { setTimeout as delay } from 'node:timers/promises';
import { carriesEnv, groupMembers, isRunning, procAvailable, processesWithEnv } from './process-table.ts';

/** A service's whole process tree: its process group, and every process that inherited its tag. */
export interface ServiceTree {
  pgid: number;
  /** Environment variable set for the service only; its descendants inherit it. */
  tag: { name: string; value: string };
}

export interface TerminationResult {
  /** Processes still alive after the grace period, killed with SIGKILL. */
  killed: number[];
  /** Processes still alive after SIGKILL and its wait (should never happen: uninterruptible sleep). */
  survivors: number[];
}

const POLL_MS = 20;
const AFTER_KILL_MS = 2_000;

/** True while any process of the group `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  if (procAvailable) return groupMembers(pgid).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const carriesTag = (tree: ServiceTree, pid: number) => carriesEnv(pid, tree.tag.name, tree.tag.value);

/**
 * Whether the process group is the service's, so that signalling the group reaches only its processes: its leader
 * (the service's shell) still carries the tag, or every member does. A group id is reused only once the group
 * is empty, so such a group is the one the service started; a group shared with others is never signalled.
 */
function groupIsOurs(tree: ServiceTree): boolean {
  if (!procAvailable) return true; // nothing to check with; the group id was the service's when it started
  const members = groupMembers(tree.pgid);
  if (members.length === 0) return false;
  return (members.includes(tree.pgid) && carriesTag(tree, tree.pgid)) || members.every((pid) => carriesTag(tree, pid));
}

/** Every running process of the tree, as far as the OS tells: what carries its tag, and its group while the group is its own. */
export function treeMembers(tree: ServiceTree): number[] {
  if (!procAvailable) return groupAlive(tree.pgid) ? [tree.pgid] : [];
  const tagged = processesWithEnv(tree.tag.name, tree.tag.value);
  return [...new Set([...tagged, ...(groupIsOurs(tree) ? groupMembers(tree.pgid) : [])])];
}

/** The pids that are still the tree's right now: a pid that exited meanwhile may already name another process. */
function stillOurs(tree: ServiceTree, pids: number[]): number[] {
  if (!procAvailable) return pids;
  const group = groupIsOurs(tree) ? new Set(groupMembers(tree.pgid)) : new Set<number>();
  return pids.filter((pid) => group.has(pid) || carriesTag(tree, pid));
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // Already gone.
  }
}

/** Signals the group (while it is the service's) and each pid that is still the tree's, checked right before. */
function signalTree(tree: ServiceTree, pids: number[], sig: NodeJS.Signals): void {
  if (groupIsOurs(tree)) signal(-tree.pgid, sig);
  // Those that left the group (setsid, daemons) get the signal one by one.
  for (const pid of stillOurs(tree, pids)) signal(pid, sig);
}

/** Polls until none of `pids` (and nothing of the group) runs, or the deadline; never a blind sleep. */
async function waitUntilGone(tree: ServiceTree, pids: number[], ms: number, group: boolean): Promise<number[]> {
  const deadline = performance.now() + ms;
  for (;;) {
    const alive = procAvailable
      ? [...new Set([...pids.filter(isRunning), ...(group ? groupMembers(tree.pgid) : [])])]
      : groupAlive(tree.pgid) ? [tree.pgid] : [];
    if (alive.length === 0 || performance.now() >= deadline) return alive;
    await delay(POLL_MS);
  }
}

/**
 * Stops a service and everything it started: SIGTERM to the whole tree, a grace period for all of it to exit,
 * then SIGKILL for whatever is left, so a service that ignores SIGTERM cannot hang the run. Before it says the
 * tree is gone it looks through every process once more: a daemon born during the teardown (setsid) is found too.
 */
export async function terminateServiceTree(tree: ServiceTree, graceMs = 3_000, first: NodeJS.Signals = 'SIGTERM'): Promise<TerminationResult> {
  let members = treeMembers(tree);
  if (members.length === 0) return { killed: [], survivors: [] };
  // Whether the group is waited for as a whole: only while it is the service's own.
  const group = groupIsOurs(tree);
  signalTree(tree, members, first);
  const graceEnds = performance.now() + graceMs;
  let stubborn: number[];
  for (;;) {
    stubborn = await waitUntilGone(tree, members, graceEnds - performance.now(), group);
    if (stubborn.length) break;
    // The poll sees only known pids and the group: one full look for what was born meanwhile, out of the group.
    const born = treeMembers(tree);
    if (born.length === 0) return { killed: [], survivors: [] };
    if (performance.now() >= graceEnds) {
      stubborn = born;
      break;
    }
    for (const pid of stillOurs(tree, born)) signal(pid, first);
    members = born;
  }
  // Look again: the tree may have started processes during the grace period.
  const remaining = [...new Set([...stubborn, ...treeMembers(tree)])];
  // Re-checked now, after the grace period: a pid that exited meanwhile and was reused is never killed.
  const killed = stillOurs(tree, remaining);
  if (killed.length === 0) return { killed: [], survivors: [] };
  const killEnds = performance.now() + AFTER_KILL_MS;
  signalTree(tree, killed, 'SIGKILL');
  for (;;) {
    const survivors = await waitUntilGone(tree, killed, killEnds - performance.now(), group);
    const born = survivors.length ? [] : stillOurs(tree, treeMembers(tree));
    if (born.length === 0 || performance.now() >= killEnds) return { killed, survivors: [...survivors, ...born] };
    for (const pid of born) signal(pid, 'SIGKILL');
    killed.push(...born);
  }
}

/** Last resort when the runner exits: synchronous, so it works inside process.on('exit'). */
export function killServiceTreeNow(tree: ServiceTree): void {
  signalTree(tree, procAvailable ? processesWithEnv(tree.tag.name, tree.tag.value) : [], 'SIGKILL');
}

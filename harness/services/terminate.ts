import { setTimeout as delay } from 'node:timers/promises';
import { groupMembers, isRunning, procAvailable, processesWithEnv } from './process-table.ts';

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

/** Every running process of the tree, as far as the OS tells. */
export function treeMembers(tree: ServiceTree): number[] {
  if (!procAvailable) return groupAlive(tree.pgid) ? [tree.pgid] : [];
  return [...new Set([...groupMembers(tree.pgid), ...processesWithEnv(tree.tag.name, tree.tag.value)])];
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // Already gone.
  }
}

function signalTree(tree: ServiceTree, pids: number[], sig: NodeJS.Signals): void {
  signal(-tree.pgid, sig);
  // Those that left the group (setsid, daemons) get the signal one by one.
  for (const pid of pids) signal(pid, sig);
}

/** Polls until none of `pids` (and nothing of the group) runs, or the deadline; never a blind sleep. */
async function waitUntilGone(tree: ServiceTree, pids: number[], ms: number): Promise<number[]> {
  const deadline = performance.now() + ms;
  for (;;) {
    const alive = procAvailable
      ? [...new Set([...pids.filter(isRunning), ...groupMembers(tree.pgid)])]
      : groupAlive(tree.pgid) ? [tree.pgid] : [];
    if (alive.length === 0 || performance.now() >= deadline) return alive;
    await delay(POLL_MS);
  }
}

/**
 * Stops a service and everything it started: SIGTERM to the whole tree, a grace period for all of it to exit,
 * then SIGKILL for whatever is left, so a service that ignores SIGTERM cannot hang the run.
 */
export async function terminateServiceTree(tree: ServiceTree, graceMs = 3_000, first: NodeJS.Signals = 'SIGTERM'): Promise<TerminationResult> {
  const members = treeMembers(tree);
  if (members.length === 0) return { killed: [], survivors: [] };
  signalTree(tree, members, first);
  const stubborn = await waitUntilGone(tree, members, graceMs);
  if (stubborn.length === 0) return { killed: [], survivors: [] };
  // Look again: the tree may have started processes during the grace period.
  const remaining = [...new Set([...stubborn, ...treeMembers(tree)])];
  signalTree(tree, remaining, 'SIGKILL');
  const survivors = await waitUntilGone(tree, remaining, AFTER_KILL_MS);
  return { killed: remaining, survivors };
}

/** Last resort when the runner exits: synchronous, so it works inside process.on('exit'). */
export function killServiceTreeNow(tree: ServiceTree): void {
  signalTree(tree, procAvailable ? processesWithEnv(tree.tag.name, tree.tag.value) : [], 'SIGKILL');
}

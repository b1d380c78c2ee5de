// The one place that knows which OS it runs on: port holders, process trees and stopping them.
// Linux reads /proc (harness/services/process-table.ts, port-holder.ts, terminate.ts); macOS asks lsof and ps;
// Windows asks netstat, tasklist and taskkill. docs/platforms.md says which of these were verified by running.
import { setTimeout as delay } from 'node:timers/promises';
import { findPortHolders as linuxPortHolders } from '../services/port-holder.ts';
import type { ProcessEntry } from '../services/process-table.ts';
import * as posix from '../services/terminate.ts';
import type { ServiceTree, TerminationResult } from '../services/terminate.ts';
import * as darwin from './darwin.ts';
import { runTool, type ToolRunner } from './run-tool.ts';
import * as windows from './windows.ts';

export type OsFamily = 'linux' | 'darwin' | 'win32' | 'other';

export function osFamily(platform: NodeJS.Platform = process.platform): OsFamily {
  return platform === 'linux' || platform === 'darwin' || platform === 'win32' ? platform : 'other';
}

/** The processes listening on TCP `port`; an empty list means the OS did not say, not that nobody holds it. */
export function findPortHolders(port: number, os: OsFamily = osFamily(), run: ToolRunner = runTool): ProcessEntry[] {
  switch (os) {
    case 'linux':
      return linuxPortHolders(port);
    case 'darwin':
      return darwin.portHolders(port, run);
    case 'win32':
      return windows.portHolders(port, run);
    default:
      return [];
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

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // Already gone.
  }
}

/** macOS: the group and the leader's descendants (from ps), plus whatever of `known` still runs. */
function darwinMembers(tree: ServiceTree, known: number[], run: ToolRunner): number[] {
  return [...new Set([...darwin.treeOf(darwin.processTable(run), tree.pgid), ...known.filter(isAlive)])];
}

async function darwinTerminate(tree: ServiceTree, graceMs: number, first: NodeJS.Signals, run: ToolRunner): Promise<TerminationResult> {
  const signalAll = (pids: number[], sig: NodeJS.Signals) => {
    signal(-tree.pgid, sig);
    for (const pid of pids) signal(pid, sig);
  };
  const waitGone = async (known: number[], ms: number) => {
    const deadline = performance.now() + ms;
    for (;;) {
      const alive = darwinMembers(tree, known, run);
      if (alive.length === 0 || performance.now() >= deadline) return alive;
      await delay(100); // each poll runs ps: not more often
    }
  };
  const members = darwinMembers(tree, [], run);
  if (members.length === 0) return { killed: [], survivors: [] };
  signalAll(members, first);
  const stubborn = await waitGone(members, graceMs);
  if (stubborn.length === 0) return { killed: [], survivors: [] };
  signalAll(stubborn, 'SIGKILL');
  return { killed: stubborn, survivors: await waitGone(stubborn, 2_000) };
}

/** Windows has no SIGTERM for console programs: taskkill /T /F stops the tree at once, there is no grace period. */
function windowsTerminate(tree: ServiceTree, run: ToolRunner): TerminationResult {
  const outcome = windows.killTree(tree.pgid, run);
  return { killed: [], survivors: outcome.errors.length && isAlive(tree.pgid) ? [tree.pgid] : [] };
}

/**
 * Stops a service and everything it started: on Linux and macOS the `first` signal (SIGTERM unless the service's
 * stop says otherwise), the grace period, then SIGKILL; on Windows taskkill /T /F.
 */
export async function terminateServiceTree(
  tree: ServiceTree,
  graceMs = 3_000,
  first: NodeJS.Signals = 'SIGTERM',
  os: OsFamily = osFamily(),
  run: ToolRunner = runTool,
): Promise<TerminationResult> {
  if (os === 'win32') return windowsTerminate(tree, run);
  if (os === 'darwin') return darwinTerminate(tree, graceMs, first, run);
  return posix.terminateServiceTree(tree, graceMs, first);
}

/** Last resort when the runner exits: synchronous, so it works inside process.on('exit'). */
export function killServiceTreeNow(tree: ServiceTree, os: OsFamily = osFamily(), run: ToolRunner = runTool): void {
  if (os === 'win32') {
    windows.killTree(tree.pgid, run);
  } else if (os === 'darwin') {
    signal(-tree.pgid, 'SIGKILL');
    for (const pid of darwinMembers(tree, [], run)) signal(pid, 'SIGKILL');
  } else {
    posix.killServiceTreeNow(tree);
  }
}

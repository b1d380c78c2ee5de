// Samples a process tree from /proc (Linux): its members and their summed resident memory.
import { allPids, isRunning, readStat, residentKb } from '../harness/services/process-table.ts';

/** Members of the tree rooted at `root` (by parent pid), with their summed resident memory. */
export function sampleTree(root: number): { pids: number[]; rssBytes: number } {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  const members: number[] = [];
  const queue = readStat(root) ? [root] : [];
  while (queue.length) {
    const pid = queue.shift()!;
    members.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return { pids: members, rssBytes: members.reduce((sum, pid) => sum + (residentKb(pid) ?? 0) * 1024, 0) };
}

/** Pids of `pids` that are still alive (zombies waiting to be reaped do not count). */
export function stillAlive(pids: Iterable<number>): number[] {
  return [...pids].filter(isRunning);
}

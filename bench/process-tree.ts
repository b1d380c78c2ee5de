// Samples a process tree from /proc (Linux): its members and their summed resident memory.
import fs from 'node:fs';

interface ProcInfo {
  pid: number;
  ppid: number;
  rssBytes: number;
  state: string;
}

const PAGE = 4096;

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0], ppid: Number(fields[1]), rssBytes: Number(fields[21]) * PAGE };
  } catch {
    return undefined;
  }
}

function allProcesses(): ProcInfo[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((info): info is ProcInfo => info !== undefined);
}

/** Members of the tree rooted at `root` (by parent pid), with their memory. */
export function sampleTree(root: number): { pids: number[]; rssBytes: number } {
  const processes = allProcesses();
  const children = new Map<number, ProcInfo[]>();
  for (const info of processes) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const members: ProcInfo[] = [];
  const self = processes.find((info) => info.pid === root);
  const queue = self ? [self] : [];
  while (queue.length) {
    const info = queue.shift()!;
    members.push(info);
    queue.push(...(children.get(info.pid) ?? []));
  }
  return { pids: members.map((info) => info.pid), rssBytes: members.reduce((sum, info) => sum + info.rssBytes, 0) };
}

/** Pids of `pids` that are still alive (zombies waiting to be reaped do not count). */
export function stillAlive(pids: Iterable<number>): number[] {
  return [...pids].filter((pid) => {
    const info = readProc(pid);
    return info !== undefined && info.state !== 'Z';
  });
}

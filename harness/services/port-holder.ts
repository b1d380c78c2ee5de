import fs from 'node:fs';
import net from 'node:net';
import { allPids, procAvailable, readProcess, type ProcessEntry } from './process-table.ts';

/** True when something accepts TCP connections on `host:port` right now. */
export function portAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Socket inodes of TCP sockets listening on `port`, from /proc/net/tcp and tcp6 (IPv4 and IPv6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = fields;
      if (!local || state !== '0A' || !inode) continue; // 0A: LISTEN
      if (Number.parseInt(local.split(':')[1] ?? '', 16) === port) inodes.add(inode);
    }
  }
  return inodes;
}

/**
 * The processes that hold a listening socket on `port`, where the OS tells (Linux, processes this user may
 * inspect); an empty list means the OS did not say, not that nobody holds it.
 */
export function findPortHolders(port: number): ProcessEntry[] {
  if (!procAvailable) return [];
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  const holders: ProcessEntry[] = [];
  for (const pid of allPids()) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        return target.startsWith('socket:[') && inodes.has(target.slice(8, -1));
      } catch {
        return false;
      }
    });
    const entry = holds ? readProcess(pid) : undefined;
    if (entry) holders.push(entry);
  }
  return holders;
}

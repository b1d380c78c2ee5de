// macOS: no /proc; `lsof` names port holders and `ps` the process table. Process groups and signals work as on Linux.
import type { ProcessEntry } from '../services/process-table.ts';
import { outputLines, runTool, type ToolRunner } from './run-tool.ts';

/** The pids in `lsof -nP -iTCP:<port> -sTCP:LISTEN` output (its default table: COMMAND PID USER FD TYPE ... NAME). */
export function parseLsofListeners(text: string, port: number): number[] {
  const pids = new Set<number>();
  for (const line of outputLines(text)) {
    if (line.startsWith('COMMAND ')) continue;
    const fields = line.trim().split(/\s+/);
    const name = fields.at(-2) ?? '';
    // lsof escapes spaces in COMMAND (\x20), so PID is always the second field.
    if (fields.at(-1) === '(LISTEN)' && name.endsWith(`:${port}`) && /^\d+$/.test(fields[1] ?? '')) pids.add(Number(fields[1]));
  }
  return [...pids];
}

/** `ps -axo pid=,ppid=,pgid=,stat=,command=` output as process entries (state: the first letter of STAT). */
export function parsePsTable(text: string): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const line of outputLines(text)) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, pid, ppid, pgid, stat, command] = match;
    entries.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state: stat!.charAt(0), command: command!.trim() });
  }
  return entries;
}

/** Running members of a tree: the process group, and every descendant of its leader (those that left the group too). */
export function treeOf(table: ProcessEntry[], leader: number): number[] {
  const running = table.filter((entry) => entry.state !== 'Z');
  const members = new Set(running.filter((entry) => entry.pgid === leader || entry.pid === leader).map((entry) => entry.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of running) {
      if (!members.has(entry.pid) && members.has(entry.ppid)) {
        members.add(entry.pid);
        grew = true;
      }
    }
  }
  return [...members];
}

export function processTable(run: ToolRunner = runTool): ProcessEntry[] {
  const result = run('ps', ['-axo', 'pid=,ppid=,pgid=,stat=,command=']);
  return result.ok ? parsePsTable(result.stdout) : [];
}

export function portHolders(port: number, run: ToolRunner = runTool): ProcessEntry[] {
  const listing = run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN']);
  const pids = parseLsofListeners(listing.stdout, port);
  if (pids.length === 0) return [];
  const table = processTable(run);
  return pids.map((pid) => table.find((entry) => entry.pid === pid) ?? { pid, ppid: 0, pgid: 0, state: '?', command: '(command line not shown by ps)' });
}

// Windows: no signals and no process groups. `netstat -ano` names port holders, `tasklist` names a process,
// `taskkill /T /F` stops a whole tree at once (there is no graceful SIGTERM to send a console program).
import type { ProcessEntry } from '../services/process-table.ts';
import { outputLines, runTool, type ToolRunner } from './run-tool.ts';

/** The pids listening on TCP `port` in `netstat -ano` output (IPv4 and IPv6 rows). */
export function parseNetstatListeners(text: string, port: number): number[] {
  const pids = new Set<number>();
  for (const line of outputLines(text)) {
    const fields = line.trim().split(/\s+/);
    // Proto  Local Address  Foreign Address  State  PID; UDP rows have no state.
    if (fields.length !== 5 || !fields[0]!.startsWith('TCP')) continue;
    const [, local, foreign, state, pid] = fields;
    // A listening socket has no remote end (port 0); matching on that, not on the word, works in every UI language.
    const listening = state === 'LISTENING' || /:0$/.test(foreign!);
    if (listening && local!.endsWith(`:${port}`) && /^\d+$/.test(pid!)) pids.add(Number(pid));
  }
  return [...pids];
}

export interface TaskEntry {
  image: string;
  pid: number;
  /** "Mem Usage" in kB (the separators of any locale removed). */
  memKb?: number;
}

/** `tasklist /FO CSV /NH` output; "INFO: No tasks ..." (nothing matched) gives none. */
export function parseTasklistCsv(text: string): TaskEntry[] {
  const entries: TaskEntry[] = [];
  for (const line of outputLines(text)) {
    const cells = [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1]!.replace(/""/g, '"'));
    if (cells.length < 5 || !/^\d+$/.test(cells[1]!)) continue;
    const mem = cells[4]!.replace(/[^\d]/g, '');
    entries.push({ image: cells[0]!, pid: Number(cells[1]), memKb: mem ? Number(mem) : undefined });
  }
  return entries;
}

export interface TaskkillOutcome {
  /** Every process taskkill reports terminated (the tree, children first). */
  terminated: number[];
  /** The pid was not there (already gone). */
  notFound: boolean;
  /** Lines taskkill printed as errors other than "not found" (e.g. access denied). */
  errors: string[];
}

/** `taskkill /T /F /PID <pid>` output, stdout and stderr together. */
export function parseTaskkill(text: string): TaskkillOutcome {
  const outcome: TaskkillOutcome = { terminated: [], notFound: false, errors: [] };
  for (const line of outputLines(text)) {
    const success = /^SUCCESS: \D*(\d+)/.exec(line); // the first number is the stopped pid, the second its parent
    if (success) outcome.terminated.push(Number(success[1]));
    else if (/^ERROR: The process "?\d+"? not found/.test(line)) outcome.notFound = true;
    else if (/^(ERROR|Reason):/.test(line)) outcome.errors.push(line);
  }
  return outcome;
}

export function describeTask(pid: number, run: ToolRunner = runTool): ProcessEntry | undefined {
  const result = run('tasklist', ['/FO', 'CSV', '/NH', '/FI', `PID eq ${pid}`]);
  const task = parseTasklistCsv(result.stdout).find((entry) => entry.pid === pid);
  return task && { pid, ppid: 0, pgid: 0, state: 'R', command: task.image };
}

export function portHolders(port: number, run: ToolRunner = runTool): ProcessEntry[] {
  const listing = run('netstat', ['-ano']);
  return parseNetstatListeners(listing.stdout, port).map(
    (pid) => describeTask(pid, run) ?? { pid, ppid: 0, pgid: 0, state: '?', command: '(tasklist did not name it)' },
  );
}

/** Stops `pid` and all its descendants at once. */
export function killTree(pid: number, run: ToolRunner = runTool): TaskkillOutcome {
  const result = run('taskkill', ['/T', '/F', '/PID', String(pid)]);
  return parseTaskkill(`${result.stdout}\n${result.stderr}`);
}

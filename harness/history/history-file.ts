import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../core/project-root.ts';
import { HISTORY_FORMAT, type HistoryRecord } from './history-record.ts';

/**
 * Where the runs are recorded: outside reports/, which a cleanup may delete. PREFLIGHT_HISTORY_FILE moves it
 * (the own tests give every gate its own).
 */
export function historyFile(root = PROJECT_ROOT, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(root, env.PREFLIGHT_HISTORY_FILE || '.preflight/history.jsonl');
}

/**
 * Appends one record as one line, in one write to a file opened for appending, so that two runs ending together
 * cannot interleave their lines. A last line cut short by a crash is closed first, so it stays the only bad line.
 * Returns a problem to print, never throws: the history must not change a verdict.
 */
export function appendRecord(file: string, record: HistoryRecord): string | undefined {
  let fd: number | undefined;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fd = fs.openSync(file, 'a+');
    const size = fs.fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const needsNewline = size > 0 && fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    fs.writeSync(fd, `${needsNewline ? '\n' : ''}${JSON.stringify(record)}\n`);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return (
      `preflight: this run was not recorded in the history ${file}: ${code ?? ''} ${(error as Error).message}. ` +
      'The verdict is unchanged. Make its folder writable, or set PREFLIGHT_HISTORY_FILE to a writable file (docs/history.md).'
    );
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export interface HistoryRead {
  records: HistoryRecord[];
  /** Lines that were skipped, and why: each a message for a person. */
  problems: string[];
  /** Set when the file is not a history at all: nothing can be compared. */
  unusable?: string;
}

const looksLikeRecord = (value: any): value is HistoryRecord =>
  value !== null && typeof value === 'object' && typeof value.format === 'number' && typeof value.verdict === 'string';

/** Reads the history: a cut last line, a damaged line, records of another format are skipped, each said once. */
export function readHistory(file: string): HistoryRead {
  if (!fs.existsSync(file)) return { records: [], problems: [] };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { records: [], problems: [], unusable: `cannot read ${file}: ${(error as Error).message}` };
  }
  const lines = text.split('\n');
  const endsCleanly = text.endsWith('\n') || text === '';
  const records: HistoryRecord[] = [];
  const problems: string[] = [];
  const damaged: number[] = [];
  const formats = new Map<number, number>();
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (index === lines.length - 1 && !endsCleanly) {
        problems.push(`${file}: the last line (${index + 1}) is cut short, as a run that was killed while writing leaves it; skipped.`);
      } else damaged.push(index + 1);
      return;
    }
    if (!looksLikeRecord(value)) return void damaged.push(index + 1);
    if (value.format !== HISTORY_FORMAT) return void formats.set(value.format, (formats.get(value.format) ?? 0) + 1);
    records.push(value);
  });
  if (records.length === 0 && damaged.length > 0 && formats.size === 0) {
    return {
      records,
      problems,
      unusable: `${file} is not a preflight history (line ${damaged[0]} is not a run record). Move it away, or set PREFLIGHT_HISTORY_FILE to another file; the next gate run starts a new history.`,
    };
  }
  if (damaged.length > 0) {
    const shown = damaged.slice(0, 5).join(', ') + (damaged.length > 5 ? `, ... (${damaged.length} in all)` : '');
    problems.push(`${file}: line${damaged.length === 1 ? '' : 's'} ${shown} ${damaged.length === 1 ? 'is' : 'are'} not a run record (damaged); skipped.`);
  }
  for (const [format, count] of formats) {
    const who = format < HISTORY_FORMAT ? 'an older' : 'a newer';
    const fix = format < HISTORY_FORMAT ? 'they stay in the file and are not compared' : 'update preflight to compare them';
    problems.push(`${file}: ${count} run${count === 1 ? '' : 's'} recorded by ${who} preflight (format ${format}, this one reads format ${HISTORY_FORMAT}); ${fix}.`);
  }
  return { records, problems };
}

/** The gate's one call: builds and appends this run's record; returns a problem to print, never throws. */
export function recordRun(build: () => HistoryRecord, file = historyFile()): string | undefined {
  let record: HistoryRecord;
  try {
    record = build();
  } catch (error) {
    return `preflight: this run was not recorded in the history ${file}: ${(error as Error).message}. The verdict is unchanged.`;
  }
  return appendRecord(file, record);
}

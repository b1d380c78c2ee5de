import fs from 'node:fs';
import path from 'node:path';
import { makeReportFolder, reportFileStream } from '../core/report-files.ts';
import { redact, settledLength } from '../secrets/redact.ts';

/**
 * A service's output: written whole to reports/logs/<service>.log, its last lines kept for diagnoses.
 * Redacted as a stream, not line by line: output is held back until no secret (a multi-line PEM key, one split
 * across chunks) can cross what is written, then redacted whole.
 */
export class ServiceLog {
  readonly file: string;
  private readonly stream: fs.WriteStream;
  private readonly lines: string[] = [];
  private partial = '';
  private closed?: Promise<void>;

  constructor(
    logDir: string,
    readonly service: string,
    private readonly keepLines = 200,
  ) {
    this.file = path.join(logDir, `${service}.log`);
    makeReportFolder(logDir);
    this.stream = reportFileStream(this.file);
    // A log that cannot be written (disk full, permissions) loses lines, not the run: the tail stays in memory.
    this.stream.on('error', (error) => {
      this.closed = Promise.resolve();
      this.lines.push(`# preflight: could not write ${this.file}: ${error.message}`);
    });
  }

  write(chunk: Buffer | string): void {
    this.partial += chunk.toString();
    const settled = settledLength(this.partial);
    if (settled === 0) return;
    const text = this.partial.slice(0, settled);
    this.partial = this.partial.slice(settled);
    this.emit(text);
  }

  /** A whole line: the service's own, or one of preflight's (starting with "# preflight:"). */
  note(line: string): void {
    this.emit(`${line}\n`);
  }

  private emit(text: string): void {
    if (this.closed) return;
    const safe = redact(text).replace(/\r?\n$/, '').split(/\r?\n/);
    this.stream.write(`${safe.join('\n')}\n`);
    this.lines.push(...safe);
    if (this.lines.length > this.keepLines) this.lines.splice(0, this.lines.length - this.keepLines);
  }

  tail(count = 20): string[] {
    const lines = this.partial ? [...this.lines, ...redact(this.partial).split(/\r?\n/).filter((line, index, all) => line || index < all.length - 1)] : this.lines;
    return lines.slice(-count);
  }

  close(): Promise<void> {
    if (this.partial) this.emit(this.partial);
    this.partial = '';
    this.closed ??= new Promise<void>((resolve) => this.stream.end(resolve));
    return this.closed;
  }
}

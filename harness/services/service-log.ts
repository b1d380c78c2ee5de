import fs from 'node:fs';
import path from 'node:path';
import { redact } from '../secrets/redact.ts';

/**
 * A service's output: written whole to reports/logs/<service>.log, its last lines kept for diagnoses.
 * Written line by line, each line redacted, so a secret split across two chunks is still hidden.
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
    fs.mkdirSync(logDir, { recursive: true });
    this.file = path.join(logDir, `${service}.log`);
    this.stream = fs.createWriteStream(this.file, { flags: 'w' });
    // A log that cannot be written (disk full, permissions) loses lines, not the run: the tail stays in memory.
    this.stream.on('error', (error) => {
      this.closed = Promise.resolve();
      this.lines.push(`# preflight: could not write ${this.file}: ${error.message}`);
    });
  }

  write(chunk: Buffer | string): void {
    const parts = (this.partial + chunk.toString()).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.note(line);
  }

  /** A whole line: the service's own, or one of preflight's (starting with "# preflight:"). */
  note(line: string): void {
    if (this.closed) return;
    const safe = redact(line);
    this.stream.write(`${safe}\n`);
    this.lines.push(safe);
    if (this.lines.length > this.keepLines) this.lines.shift();
  }

  tail(count = 20): string[] {
    const lines = this.partial ? [...this.lines, redact(this.partial)] : this.lines;
    return lines.slice(-count);
  }

  close(): Promise<void> {
    if (this.partial) this.note(this.partial);
    this.partial = '';
    this.closed ??= new Promise<void>((resolve) => this.stream.end(resolve));
    return this.closed;
  }
}

import fs from 'node:fs';
import path from 'node:path';

/** A service's output: written whole to reports/logs/<service>.log, its last lines kept for diagnoses. */
export class ServiceLog {
  readonly file: string;
  private readonly stream: fs.WriteStream;
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    logDir: string,
    readonly service: string,
    private readonly keepLines = 200,
  ) {
    fs.mkdirSync(logDir, { recursive: true });
    this.file = path.join(logDir, `${service}.log`);
    this.stream = fs.createWriteStream(this.file, { flags: 'w' });
  }

  write(chunk: Buffer | string): void {
    const text = chunk.toString();
    this.stream.write(text);
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.remember(line);
  }

  note(line: string): void {
    this.stream.write(`${line}\n`);
    this.remember(line);
  }

  tail(count = 20): string[] {
    const lines = this.partial ? [...this.lines, this.partial] : this.lines;
    return lines.slice(-count);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }

  private remember(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.keepLines) this.lines.shift();
  }
}

import { execFileSync } from 'node:child_process';

/** Runs an OS tool and returns what it printed; injectable so the parsers are tested on recorded outputs. */
export type ToolRunner = (command: string, args: string[]) => ToolOutput;

export interface ToolOutput {
  /** False when the tool is missing or exited non-zero (lsof exits 1 when nothing matches). */
  ok: boolean;
  stdout: string;
  stderr: string;
}

export const runTool: ToolRunner = (command, args) => {
  try {
    const stdout = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000, windowsHide: true });
    return { ok: true, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { stdout?: string | Buffer; stderr?: string | Buffer };
    return { ok: false, stdout: String(failed.stdout ?? ''), stderr: String(failed.stderr ?? '') };
  }
};

/** Lines without their CR (Windows tools print CRLF) and without blank ones. */
export function outputLines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '');
}

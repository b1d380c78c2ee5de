import type { ExitInfo } from './exit-info.ts';

/** True while any process of the group `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Stops a whole process group (the service and everything it started): SIGTERM, a grace period for the
 * leader to exit, then SIGKILL for whatever of the group is left, so a service that ignores SIGTERM cannot hang the run.
 */
export async function terminateProcessGroup(pgid: number, exited: Promise<ExitInfo>, graceMs = 3_000): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([exited, graceOver]);
  clearTimeout(timer);
  // Grandchildren may outlive the leader; the group is killed whole either way.
  signalGroup(pgid, 'SIGKILL');
}

/** Last resort when the runner exits: synchronous, so it works inside process.on('exit'). */
export function killProcessGroupNow(pgid: number): void {
  signalGroup(pgid, 'SIGKILL');
}

import type { CommandSpec } from './command-line.ts';
import { procAvailable, readProcess, readStat } from '../services/process-table.ts';
import { findPreflightProcesses, ownerAlive, SERVICE_TAG_VAR, type PreflightProcess } from '../services/run-identity.ts';
import { terminateServiceTree } from '../services/terminate.ts';
import { runStopCommand } from '../services/stop-command.ts';
import { listStopRecords, removeStopRecord } from '../services/stop-records.ts';
import { redact } from '../secrets/redact.ts';
import { removeAbandonedClusterDirs } from '../database/ephemeral-dirs.ts';

export const command: CommandSpec = {
  name: 'cleanup',
  summary: 'Stop the services earlier preflight runs left running, and never a process preflight did not start.',
  options: {},
  notes: [
    'A process counts when it carries the marks of a preflight run whose runner is gone (docs/architecture.md "Leftovers and cleanup").',
    'First it runs the stop commands (stop.command) such runs left recorded, the only way to a daemon that kept none of the marks, and removes the folders of killed postgres() databases.',
  ],
  exitCodes: '0 nothing left or all stopped, 3 a process survived or this OS cannot tell preflight\'s processes',
};

/**
 * `npx preflight cleanup`: stops the leftovers of earlier runs. A process counts only when its environment carries
 * preflight's marks (harness/services/run-identity.ts) and its run's runner no longer runs: a process preflight did
 * not start, or one of a run still going on, is never touched.
 */
export async function run(): Promise<number> {
  if (!procAvailable) {
    console.error('preflight cleanup: this OS does not tell processes\' environments (/proc), so preflight cannot tell its own processes from others; nothing was stopped.');
    return 3;
  }
  // First the stop commands of services whose runner and watchdog both died: the only way to a daemon without marks.
  const stopped = await runLeftStopCommands();
  for (const dir of removeAbandonedClusterDirs()) console.log(`removed ${dir}: the cluster of a postgres() database whose program was killed`);
  const found = findPreflightProcesses();
  const live = found.filter((entry) => !entry.leftover);
  const leftovers = found.filter((entry) => entry.leftover);
  const liveNote = live.length ? ` (${live.length} process${live.length === 1 ? '' : 'es'} of a run still going on left alone)` : '';
  if (leftovers.length === 0) {
    console.log(stopped ? `preflight cleanup: ran ${stopped} stop command${stopped === 1 ? '' : 's'} of earlier preflight runs; no other leftovers${liveNote}.` : `preflight cleanup: no leftovers of earlier preflight runs${liveNote}.`);
    return 0;
  }

  // Each service's tree at once: SIGTERM, its grace period, then SIGKILL for what still carries its tag.
  const trees = new Map<string, PreflightProcess[]>();
  for (const entry of leftovers) trees.set(entry.tag, [...(trees.get(entry.tag) ?? []), entry]);
  const survivors: number[] = [];
  for (const entry of leftovers) console.log(`stopping pid ${entry.pid} (${entry.service} of run ${entry.runId}): ${readProcess(entry.pid)?.command ?? '(gone)'}`);
  await Promise.all(
    [...trees.entries()].map(async ([tag, members]) => {
      const pgid = readStat(members[0]!.pid)?.pgid ?? members[0]!.pid;
      const result = await terminateServiceTree({ pgid, tag: { name: SERVICE_TAG_VAR, value: tag } });
      survivors.push(...result.survivors);
    }),
  );
  if (survivors.length) {
    console.error(`preflight cleanup: pid ${survivors.join(', ')} survived SIGKILL (uninterruptible I/O?); stop it yourself: kill -9 ${survivors.join(' ')}`);
    return 3;
  }
  console.log(`preflight cleanup: stopped ${leftovers.length} leftover process${leftovers.length === 1 ? '' : 'es'} of earlier preflight runs${liveNote}.`);
  return 0;
}

/**
 * The stop commands (stop.command) that runs whose runner is gone left recorded (harness/services/stop-records.ts):
 * run once each, in the service's folder, with the variables it had (those whose names look secret were not kept).
 * Returns how many ran.
 */
async function runLeftStopCommands(): Promise<number> {
  const left = listStopRecords().filter((record) => !ownerAlive(record.owner));
  for (const record of left) {
    console.log(`running the stop command of ${record.service} (run ${record.runId}, whose runner is gone) in ${record.cwd}: ${record.command}`);
    const output = { write: (chunk: Buffer | string) => process.stdout.write(redact(chunk.toString())), note: (line: string) => console.log(redact(line.replace(/^# preflight: /, '  '))) };
    await runStopCommand({ ...record, env: { ...process.env, ...record.env } }, output);
    removeStopRecord(record.file);
  }
  return left.length;
}

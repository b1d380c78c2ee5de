import { serviceVariable, type ServiceConfig } from '../config/load-config.ts';
import { portOf } from '../network/resolve-host.ts';
import { describeProbe, type ProbeOutcome } from '../readiness/probe.ts';
import type { ReadinessOutcome } from '../readiness/wait-until-ready.ts';
import { describeExit, type ExitInfo } from '../core/exit-info.ts';
import type { RunningService } from './launch.ts';
import { describeLeftover } from './run-identity.ts';
import { groupMembers, procAvailable, residentKb, type ProcessEntry } from './process-table.ts';

const CONTRACT_FIX = 'fix: the endpoint must answer 200 {"status":"ready"} (or "ready-degraded"), or 503 {"status":"down"}; see docs/readiness-contract.md';

function logTail(handle: RunningService, lines = 15): string {
  const tail = handle.log.tail(lines).filter((line) => !line.startsWith('# preflight:'));
  if (tail.length === 0) return `  (it printed nothing; full log: ${handle.log.file})`;
  return [`  last lines of its output (${handle.log.file}):`, ...tail.map((line) => `    | ${line}`)].join('\n');
}

function lastProbe(probe: ProbeOutcome | undefined, service: ServiceConfig): string {
  return probe ? `  last readiness probe: ${describeProbe(probe, service.healthUrl)}` : '  no readiness probe was answered';
}

/** Every message about a service that did not become ready is built here, so they read the same. */
export function diagnoseNotReady(
  handle: RunningService,
  outcome: Exclude<ReadinessOutcome, { ok: true } | { reason: 'aborted' }>,
  /** Which address families answer (harness/network/readiness-families.ts), when the service is alive but silent. */
  addressFamilies?: string,
): { summary: string; diagnosis: string } {
  const { service } = handle;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  let summary: string;
  let cause: string;
  switch (outcome.reason) {
    case 'exited':
      summary = `${service.name} ${describeExit(outcome.exit)} before it was ready (${seconds(outcome.exit.at - handle.spawnedAt)} after start)`;
      cause = `  likely cause: its start command fails. Run it yourself to see why: ${service.command}  (set by ${serviceVariable(service, 'CMD')})`;
      break;
    case 'timeout': {
      const answered = outcome.lastProbe?.kind === 'answered' ? outcome.lastProbe.verdict : undefined;
      if (answered?.state === 'down') {
        // It serves, and says a critical invariant is violated: the contract's own message is the diagnosis.
        summary = `${service.name} answered "down" for ${seconds(outcome.timeoutMs)} and never became ready${answered.reason.replace(/^down/, '')}`;
        cause = `  likely cause: what its failing checks name (above, and in its log). Check it with: npx preflight health ${service.healthUrl}`;
      } else if (answered) {
        summary = `${service.name} answered its readiness contract at ${service.healthUrl} with a ${answered.reason} until the ${seconds(outcome.timeoutMs)} deadline`;
        cause = `  ${CONTRACT_FIX}. Check it with: npx preflight health ${service.healthUrl}`;
      } else {
        summary = `${service.name} is alive (${describeAlive(handle)}) but never answered the readiness contract at ${service.healthUrl} within ${seconds(outcome.timeoutMs)}`;
        cause = `  likely cause: it listens on another host or port than ${serviceVariable(service, 'URL')}=${service.url.origin} says, or is stuck starting. Check its log, the URL, or raise PREFLIGHT_READY_TIMEOUT_MS.`;
      }
      break;
    }
    case 'violation':
      summary = `${service.name} answered its readiness contract at ${service.healthUrl} with a ${outcome.lastProbe.verdict.reason}`;
      cause = `  ${CONTRACT_FIX}. Check it with: npx preflight health ${service.healthUrl}`;
      break;
  }
  const lines = [summary, lastProbe(outcome.lastProbe, service), addressFamilies, logTail(handle), cause];
  return { summary, diagnosis: lines.filter((line) => line !== undefined).join('\n') };
}

/** "pid 123, 48.2 MB resident": what the OS tells about a running service; the memory is the whole group's. */
function describeAlive(handle: RunningService): string {
  if (!procAvailable) return `pid ${handle.pid}`;
  const members = groupMembers(handle.tree.pgid);
  const kb = members.reduce((sum, pid) => sum + (residentKb(pid) ?? 0), 0);
  const processes = members.length > 1 ? ` in ${members.length} processes` : '';
  return `pid ${handle.pid}, ${(kb / 1024).toFixed(1)} MB resident${processes}`;
}

function describeHolders(holders: ProcessEntry[], port: number): string {
  if (holders.length === 0) {
    return `  the OS does not tell which process holds port ${port} (it may belong to another user, another network namespace, or this is not Linux)`;
  }
  return holders
    .map((holder) => {
      const leftover = describeLeftover(holder.pid);
      return `  port ${port} is held by pid ${holder.pid}: ${holder.command}${leftover ? `\n    ${leftover}` : ''}`;
    })
    .join('\n');
}

/** Something already answers on the service's port before preflight started anything. */
export function diagnosePortTaken(
  service: ServiceConfig,
  holders: ProcessEntry[],
  reuse: { tried: false } | { tried: true; probe: ProbeOutcome },
): { summary: string; diagnosis: string } {
  const port = portOf(service.url);
  const who = holders.length ? ` (pid ${holders.map((holder) => holder.pid).join(', ')})` : '';
  const kill = holders.length ? `stop it (kill ${holders.map((holder) => holder.pid).join(' ')}), ` : 'stop it, ';
  if (!reuse.tried) {
    const summary = `${service.name}: port ${port} is already taken${who}, so ${service.name} was not started`;
    return {
      summary,
      diagnosis: [
        summary,
        describeHolders(holders, port),
        `  fix: ${kill}point ${serviceVariable(service, 'URL')} at a free port, or set PREFLIGHT_REUSE_EXISTING=true to test the service that runs there (it must pass the readiness contract).`,
      ].join('\n'),
    };
  }
  const summary = `${service.name}: PREFLIGHT_REUSE_EXISTING=true, but what already runs on port ${port}${who} fails the readiness contract, so it cannot be reused`;
  return {
    summary,
    diagnosis: [
      summary,
      `  readiness probe: ${describeProbe(reuse.probe, service.healthUrl)}`,
      describeHolders(holders, port),
      `  fix: ${kill}so that preflight starts ${service.name} itself, or point ${serviceVariable(service, 'URL')} at the service you meant to reuse.`,
    ].join('\n'),
  };
}

export function diagnoseDiedDuringRun(handle: RunningService, exit: ExitInfo): string {
  return [
    `${handle.service.name} (pid ${handle.pid}) ${describeExit(exit)} during the run, after it was ready`,
    logTail(handle),
    `  likely cause: the service crashed; specs after ${new Date(exit.at).toISOString()} ran against nothing. Start it yourself to reproduce: ${handle.service.command}`,
  ].join('\n');
}

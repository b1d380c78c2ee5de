import type { ServiceConfig } from '../config/load-config.ts';
import { describeProbe, type ProbeOutcome } from '../readiness/probe.ts';
import type { ReadinessOutcome } from '../readiness/wait-until-ready.ts';
import { describeExit, type ExitInfo } from './exit-info.ts';
import type { RunningService } from './launch.ts';

const envVar = (service: ServiceConfig, what: 'CMD' | 'URL') => `PREFLIGHT_${service.name.toUpperCase()}_${what}`;

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
      cause = `  likely cause: its start command fails. Run it yourself to see why: ${service.command}  (set by ${envVar(service, 'CMD')})`;
      break;
    case 'timeout':
      summary = `${service.name} (pid ${handle.pid}) is alive but did not answer the readiness contract at ${service.healthUrl} within ${seconds(outcome.timeoutMs)}`;
      cause = `  likely cause: it listens on another host or port than ${envVar(service, 'URL')}=${service.url.origin} says, or is stuck starting. Check its log, the URL, or raise PREFLIGHT_READY_TIMEOUT_MS.`;
      break;
    case 'violation':
      summary = `${service.name} answered its readiness contract at ${service.healthUrl} with a ${outcome.lastProbe.verdict.reason}`;
      cause = `  fix: the endpoint must answer 200 {"status":"ready"} (or "ready-degraded"), or 503 {"status":"down"}; see DESIGN "The readiness contract". Check it with: curl -i ${service.healthUrl}`;
      break;
  }
  const lines = [summary, lastProbe(outcome.lastProbe, service), addressFamilies, logTail(handle), cause];
  return { summary, diagnosis: lines.filter((line) => line !== undefined).join('\n') };
}

export function diagnoseDiedDuringRun(handle: RunningService, exit: ExitInfo): string {
  return [
    `${handle.service.name} (pid ${handle.pid}) ${describeExit(exit)} during the run, after it was ready`,
    logTail(handle),
    `  likely cause: the service crashed; specs after ${new Date(exit.at).toISOString()} ran against nothing. Start it yourself to reproduce: ${handle.service.command}`,
  ].join('\n');
}

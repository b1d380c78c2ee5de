import type { ServedService, ServiceConfig } from '../config/types.ts';
import { portOfUrl } from '../core/default-port.ts';
import { certificateProblem } from '../readiness/certificate.ts';
import { describeProbe, type ProbeOutcome } from '../readiness/probe.ts';
import type { DownSpan, ReadinessOutcome } from '../readiness/wait-until-ready.ts';
import { describeExit, type ExitInfo } from '../core/exit-info.ts';
import type { RunningService } from './launch.ts';
import { describeLeftover } from './run-identity.ts';
import { groupMembers, procAvailable, processesWithEnv, readProcess, residentKb, type ProcessEntry } from './process-table.ts';
import type { PortClash } from './port-clash.ts';

const CONTRACT_FIX = 'fix: the endpoint must answer 200 {"status":"ready"} (or "ready-degraded"), or 503 {"status":"down"}; see docs/readiness-contract.md';

function logTail(handle: RunningService, lines = 15): string {
  const tail = handle.log.tail(lines).filter((line) => !line.startsWith('# preflight:'));
  if (tail.length === 0) return `  (it printed nothing; full log: ${handle.log.file})`;
  return [`  last lines of its output (${handle.log.file}):`, ...tail.map((line) => `    | ${line}`)].join('\n');
}

function lastProbe(probe: ProbeOutcome | undefined, service: ServiceConfig): string {
  if (probe?.kind === 'answered' && decidesItself(service)) return `  last readiness ${service.readiness.kind}: ${probe.verdict.reason}`;
  return probe ? `  last readiness probe: ${describeProbe(probe, service.healthUrl ?? service.name)}` : '  no readiness probe was answered';
}

/** A readiness command or function: the user's code decides, and the diagnosis quotes its answer. */
const decidesItself = (service: ServiceConfig) => service.readiness.kind === 'command' || service.readiness.kind === 'function';

/** Every message about a service that did not become ready is built here, so they read the same. */
export function diagnoseNotReady(
  handle: RunningService,
  outcome: Exclude<ReadinessOutcome, { ok: true } | { reason: 'aborted' }>,
  /** Which address families answer (harness/network/readiness-families.ts), when the service is alive but silent. */
  addressFamilies?: string,
  /** What made it exit, when known better than "its start command fails" (a port another service holds: port-clash.ts). */
  exitCause?: string,
): { summary: string; diagnosis: string } {
  const { service } = handle;
  // Every branch that names a URL is reached only by a service that has one: an answer, a timeout of an HTTP request.
  const served = service as ServedService;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  let summary: string;
  let cause: string;
  switch (outcome.reason) {
    case 'exited':
      summary = `${service.name} ${describeExit(outcome.exit)} before it was ready (${seconds(outcome.exit.at - handle.spawnedAt)} after start)`;
      cause = exitCause
        ?? (outcome.exit.exitCode === 0 && !service.detached ? exitedZeroBeforeReady(handle)
          : `  likely cause: its start command fails. Run it yourself to see why: ${service.command}  (set by ${service.setBy.command})`);
      break;
    case 'timeout': {
      const answered = outcome.lastProbe?.kind === 'answered' ? outcome.lastProbe.verdict : undefined;
      const crash = watcherCrash(handle);
      if (crash) {
        // The watcher stays alive after its app crashed: the process looks alive, the crash is in its log.
        summary = `${service.name}'s app crashed under its file watcher (${crash.watcher}), which stays alive and waits for file changes, so it ${outcome.early ? `could not become ready (seen ${seconds(outcome.timeoutMs)} after its start)` : `never became ready within ${seconds(outcome.timeoutMs)}`}`;
        cause = [`  the crash, from its log (${handle.log.file}):`, ...crash.lines.map((line) => `    | ${line}`), `  likely cause: the error above; fix it, or run the command yourself to see it: ${service.command}  (set by ${service.setBy.command})`].join('\n');
      } else if (decidesItself(service)) {
        ({ summary, cause } = neverSaidReady(service, outcome.timeoutMs));
      } else if (answered?.state === 'down') {
        // It serves, and says a critical invariant is violated: the contract's own message is the diagnosis. When it
        // answered so is said as it was (the first "down" may come late, the last long before the deadline).
        summary = `${service.name} answered "down" ${downSpan(outcome.down, outcome.timeoutMs)} and never became ready${answered.reason.replace(/^down/, '')}`;
        cause = `  likely cause: what its failing checks name (above, and in its log). Check it with: npx preflight health ${served.healthUrl}`;
      } else if (answered && service.readiness.kind === 'contract') {
        summary = `${service.name} answered its readiness contract at ${served.healthUrl} with a ${answered.reason} until the ${seconds(outcome.timeoutMs)} deadline`;
        cause = `  ${CONTRACT_FIX}. Check it with: npx preflight health ${served.healthUrl}`;
      } else if (answered) {
        summary = `${service.name} ${answered.reason} at ${served.healthUrl} until the ${seconds(outcome.timeoutMs)} deadline`;
        cause = `  fix: make ${served.healthUrl.pathname} answer the accepted status, or change readiness.status or readiness.path of ${service.name} in the gate configuration (docs/gate-config.md).`;
      } else if (outcome.lastProbe?.kind === 'timeout') {
        summary = `${service.name} accepts TCP connections on ${served.url.host} but never answered the HTTP request GET ${served.healthUrl} within ${seconds(outcome.timeoutMs)} (each probe waited ${outcome.lastProbe.timeoutMs} ms)`;
        cause = `  likely cause: it is stuck after accepting connections: a handler that never responds (a middleware that never calls next(), a request to a dependency without a timeout, a blocked event loop), or this port speaks another protocol than HTTP. Check its log, or: curl -v ${served.healthUrl}`;
      } else {
        summary = service.detached && handle.exit
          ? `${service.name} never ${expectation(service)} within ${seconds(outcome.timeoutMs)}; ${describeDetachedStart(handle, handle.exit)}`
          : `${service.name} is alive (${describeAlive(handle)}) but never ${expectation(service)} within ${seconds(outcome.timeoutMs)}`;
        cause = service.readiness.kind === 'log' && outcome.lastProbe?.kind === 'unreachable' && outcome.lastProbe.code === 'LOG_PENDING'
          ? `  likely cause: it prints another line when it is ready, or is stuck starting. Check its log, correct readiness.pattern of ${service.name}, or raise its time to ready.`
          : service.detached && handle.exit && procAvailable && !leftRunning(handle)
            ? detachedDaemonGone(handle)
            : `  likely cause: it listens on another host or port than ${service.urlText} (set by ${service.setBy.url}), or is stuck starting. Check its log, the URL, or raise its time to ready.`;
      }
      break;
    }
    case 'down':
      ({ summary, cause } = downForAWhile(served, outcome));
      break;
    case 'certificate':
      ({ summary, cause } = refusedCertificate(served, outcome));
      break;
    case 'violation':
      if (service.readiness.kind === 'command') {
        ({ summary, cause } = commandCannotRun(service, outcome.lastProbe.verdict.reason));
        break;
      }
      summary = `${service.name} answered its readiness contract at ${served.healthUrl} with a ${outcome.lastProbe.verdict.reason}`;
      cause = `  ${CONTRACT_FIX}. Check it with: npx preflight health ${served.healthUrl}`;
      break;
  }
  const deadline = outcome.reason === 'timeout' && !outcome.early ? timeToReady(service, outcome.timeoutMs) : undefined;
  const lines = [summary, lastProbe(outcome.lastProbe, service), addressFamilies, logTail(handle), deadline, cause];
  return { summary, diagnosis: lines.filter((line) => line !== undefined).join('\n') };
}

/** When a service answered "down", against its time to ready: "from 0.4 s to 5.9 s of its 6.0 s time to ready". */
function downSpan(down: DownSpan | undefined, timeoutMs: number): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const of = `of its ${seconds(timeoutMs)} time to ready`;
  if (!down) return `within its ${seconds(timeoutMs)} time to ready`;
  return seconds(down.firstMs) === seconds(down.lastMs) ? `at ${seconds(down.firstMs)} ${of}` : `from ${seconds(down.firstMs)} to ${seconds(down.lastMs)} ${of}`;
}

/** A readiness command or function that never said ready: its last answer (or throw) is quoted above this. */
function neverSaidReady(service: ServiceConfig, timeoutMs: number): { summary: string; cause: string } {
  const seconds = `${(timeoutMs / 1000).toFixed(1)} s`;
  const where = `${service.setBy.service}.readiness`;
  if (service.readiness.kind === 'command') {
    return {
      summary: `${service.name}'s readiness command never exited with code 0 within ${seconds}: ${service.readiness.command}`,
      cause: `  likely cause: what its last attempt printed (above); run it yourself in ${service.cwd} to see it, or correct ${where}.command.`,
    };
  }
  return {
    summary: `${service.name}'s readiness function (${where}.check) never said ready within ${seconds}`,
    cause: `  likely cause: what its last attempt answered or threw (above). A throw counts as "not ready yet", so a check that always throws (a typo, a wrong URL) waits out the whole time: correct ${where}.check.`,
  };
}

/** A readiness command the shell could not run at all (not found, not executable): no later attempt would. */
function commandCannotRun(service: ServiceConfig, reason: string): { summary: string; cause: string } {
  const command = service.readiness.kind === 'command' ? service.readiness.command : '';
  return {
    summary: `${service.name}'s readiness command cannot run, so preflight stopped waiting at once: ${reason.replace(/^not ready: /, '')}`,
    cause: `  fix: install what it calls, or correct ${service.setBy.service}.readiness.command (it runs with sh in ${service.cwd}: ${command})`,
  };
}

/** A "down" whose reason did not change for downForMs: waiting out the rest of the timeout would not change it either. */
function downForAWhile(service: ServedService, outcome: Extract<ReadinessOutcome, { reason: 'down' }>): { summary: string; cause: string } {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const reason = outcome.lastProbe.verdict.reason.replace(/^down:? ?/, '');
  return {
    summary: `${service.name} answered "down" with the same reason for ${seconds(outcome.downForMs)}, so preflight stopped waiting before its ${seconds(outcome.timeoutMs)} time to ready${reason ? `: ${reason}` : ''}`,
    cause: [
      `  likely cause: what its failing checks name (above, and in its log). Check it with: npx preflight health ${service.healthUrl}`,
      `  if it recovers by itself given longer, raise ${service.setBy.service}.readiness.downForMs (now ${outcome.downForMs} ms, docs/gate-config.md)`,
    ].join('\n'),
  };
}

/** A local https service whose certificate the probe refused: named at once, with the setting that trusts it. */
function refusedCertificate(service: ServedService, outcome: Extract<ReadinessOutcome, { reason: 'certificate' }>): { summary: string; cause: string } {
  const { code } = outcome.lastProbe;
  const problem = certificateProblem(code)!;
  const where = `${service.setBy.service}.tls`;
  const summary = service.tls?.caFile
    ? `${service.name}'s certificate at ${service.url.origin} is ${problem} (${code}), even for the authority of ${where}.ca (${service.tls.caFile}), so preflight stopped waiting at once`
    : `${service.name}'s certificate at ${service.url.origin} is ${problem} (${code}), so preflight stopped waiting at once: no wait makes it trusted`;
  const otherHost = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `  or use the host name the certificate names in the URL (${service.setBy.url})` : undefined;
  const cause = service.tls?.caFile
    ? [`  fix: point ${where}.ca at the authority that issued this certificate, renew the certificate, or accept any certificate for this local service with ${where}: { insecure: true } (docs/gate-config.md)`, otherHost]
    : [
        `  fix: if it is this local service's own certificate, opt in for it, in ${service.setBy.service}:`,
        "    tls: { insecure: true }                    accept any certificate (a dev server's self-signed one)",
        "    tls: { ca: '<the authority's PEM file>' }  trust the authority that issued it (mkcert: $(mkcert -CAROOT)/rootCA.pem)",
        '  the probes then trust it, and the local browser project ignores certificate errors; the production project never does (docs/gate-config.md).',
        otherHost,
      ];
  return { summary, cause: cause.filter((line) => line !== undefined).join('\n') };
}

/** The line every timeout carries: how long it waited, and every setting that sets it (services.ts, timeoutSetBy). */
export function timeToReady(service: ServiceConfig, timeoutMs: number): string {
  return `  time to ready: ${(timeoutMs / 1000).toFixed(1)} s, set by ${service.setBy.timeout}`;
}

/** What "ready" means for this service, as a person reads it. */
function expectation(service: ServiceConfig): string {
  switch (service.readiness.kind) {
    case 'contract':
      return `answered the readiness contract at ${service.healthUrl}`;
    case 'http':
      return `answered GET ${service.healthUrl} with HTTP ${service.readiness.status.min === service.readiness.status.max ? service.readiness.status.min : `${service.readiness.status.min}-${service.readiness.status.max}`}`;
    case 'tcp':
      return `accepted TCP connections on ${service.url?.host}`;
    case 'log':
      return `printed a line matching ${service.readiness.pattern}${service.url ? ` and accepted TCP connections on ${service.url.host}` : ''}`;
    case 'command':
      return `passed its readiness command (${service.readiness.command})`;
    case 'function':
      return 'passed its readiness function';
  }
}

// Commands that keep a watcher process alive while the app they run crashed, and what they print when it did.
const WATCHER = /(?:^|[\s/])(node\s+(?:[^|;&]*\s)?--watch(?:-path)?\b|tsx\s+watch|nodemon|next\s+dev|ts-node-dev|vite)\b/;
// What watchers print once their app crashed and they wait for a file to change (node --watch, nodemon, tsx watch).
const WATCHER_WAITING = /Failed running|app crashed - waiting for file changes|waiting for file changes before|Waiting for file changes/i;
const CRASH_LINE = /\b(?:[A-Z][A-Za-z]*Error|Error|Exception)\b|app crashed|Failed running|failed to compile|Unhandled/;

/** True once an app run under a file watcher crashed and the watcher only waits for changes: waiting longer cannot help. */
export function watcherGaveUp(handle: RunningService): boolean {
  if (!WATCHER.test(handle.service.command)) return false;
  return handle.log.tail(20).some((line) => WATCHER_WAITING.test(line));
}

/** The crash of an app under a file watcher (node --watch, tsx watch, nodemon, next dev), quoted from its log. */
function watcherCrash(handle: RunningService): { watcher: string; lines: string[] } | undefined {
  const watcher = WATCHER.exec(handle.service.command)?.[1];
  if (!watcher) return undefined;
  const tail = handle.log.tail(60).filter((line) => !line.startsWith('# preflight:'));
  const first = tail.findIndex((line) => CRASH_LINE.test(line));
  if (first === -1) return undefined;
  return { watcher: watcher.replace(/\s+/g, ' '), lines: tail.slice(first, first + 12) };
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
    return `  the OS does not tell which process holds port ${port} (it may belong to another user or another network namespace; how each OS is asked: docs/platforms.md)`;
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
  service: ServedService,
  holders: ProcessEntry[],
  reuse: { tried: false } | { tried: true; probe: ProbeOutcome },
): { summary: string; diagnosis: string } {
  const port = portOfUrl(service.url)!;
  const who = holders.length ? ` (pid ${holders.map((holder) => holder.pid).join(', ')})` : '';
  const kill = holders.length ? `stop it (kill ${holders.map((holder) => holder.pid).join(' ')}), ` : 'stop it, ';
  if (!reuse.tried) {
    const summary = `${service.name}: port ${port} is already taken${who}, so ${service.name} was not started`;
    return {
      summary,
      diagnosis: [
        summary,
        describeHolders(holders, port),
        `  fix: ${kill}point ${service.setBy.url} at a free port, or turn reuse on (${service.setBy.reuse}) to test the service that runs there (it must pass its readiness check).`,
      ].join('\n'),
    };
  }
  const summary = `${service.name}: reuse is on (${service.setBy.reuse}), but what already runs on port ${port}${who} fails its readiness check, so it cannot be reused`;
  return {
    summary,
    diagnosis: [
      summary,
      `  readiness probe: ${describeProbe(reuse.probe, service.healthUrl)}`,
      describeHolders(holders, port),
      `  fix: ${kill}so that preflight starts ${service.name} itself, or point ${service.setBy.url} at the service you meant to reuse.`,
    ].join('\n'),
  };
}

/** A service that was not started because services it depends on did not become ready. */
export function diagnoseDependencyFailed(service: ServiceConfig, dependencies: string[]): { summary: string; diagnosis: string } {
  const names = dependencies.join(' and ');
  const summary = `${service.name} was not started: it depends on ${names}, which did not become ready`;
  return { summary, diagnosis: `${summary}\n  likely cause: ${names} (its diagnosis is above); fix that first. The dependency is declared in dependsOn of ${service.name} (docs/gate-config.md).` };
}

/**
 * A line for a service that exited while the services it is judged ready after (readyAfter) were not ready yet: it
 * may be one that cannot start without them.
 */
export function exitedBeforeReadyAfter(service: ServiceConfig): string {
  const names = service.readyAfter.join(' and ');
  return `  note: it exited before ${names} (its readyAfter) ${service.readyAfter.length > 1 ? 'were' : 'was'} ready. If ${service.name} cannot start without ${names}, move ${names} from readyAfter to dependsOn of ${service.name}: it then starts only once ${names} ${service.readyAfter.length > 1 ? 'are' : 'is'} ready (docs/gate-config.md).`;
}

/** A ready service that stopped answering its liveness route during the run, while its process lives on. */
export function diagnoseStoppedServing(handle: RunningService, url: URL, failures: ProbeOutcome[], since: number): string {
  const last = failures[failures.length - 1]!;
  const answer = last.kind === 'answered' ? `${url} ${last.verdict.reason}` : describeProbe(last, url);
  return [
    `${handle.service.name} (pid ${handle.pid}) stopped serving during the run, after it was ready: its liveness route failed ${failures.length} times in a row since ${new Date(since).toISOString()} while its process stayed alive`,
    `  last liveness probe: ${answer}`,
    logTail(handle),
    `  likely cause: the service hangs or lost something it needs (its log above); specs after ${new Date(since).toISOString()} ran against a service that did not serve. Start it yourself to reproduce: ${handle.service.command}`,
  ].join('\n');
}

export function diagnoseDiedDuringRun(handle: RunningService, exit: ExitInfo): string {
  return [
    `${handle.service.name} (pid ${handle.pid}) ${describeExit(exit)} during the run, after it was ready`,
    logTail(handle),
    `  likely cause: the service crashed; specs after ${new Date(exit.at).toISOString()} ran against nothing. Start it yourself to reproduce: ${handle.service.command}`,
  ].join('\n');
}

/** Processes that still carry the service's tag once its command exited: what it left running (its daemon). */
function leftRunning(handle: RunningService): string | undefined {
  if (!procAvailable) return undefined;
  const pids = processesWithEnv(handle.tree.tag.name, handle.tree.tag.value).filter((pid) => pid !== handle.pid);
  if (pids.length === 0) return undefined;
  const shown = pids.slice(0, 3).map((pid) => `pid ${pid} (${readProcess(pid)?.command ?? 'gone'})`);
  return `${shown.join(', ')}${pids.length > 3 ? ` and ${pids.length - 3} more` : ''}`;
}

/**
 * A service whose command exited with code 0 before it was ready, and is not declared detached: a clean exit means it
 * had nothing more to do. What it left running tells which: a daemon it started still runs with preflight's marks
 * (`pg_ctl start`, `docker compose up -d`), or nothing does and the command simply does not stay in the foreground.
 */
function exitedZeroBeforeReady(handle: RunningService): string {
  const { service } = handle;
  const its = `Its command: ${service.command}  (set by ${service.setBy.command})`;
  const detached = `services.${service.name}: { detached: true, stop: { command: '...' } } (docs/gate-config.md, "Daemonizing services")`;
  const left = leftRunning(handle);
  if (left || !procAvailable) {
    const seen = left ? `what it started still runs with preflight's marks (${left}); preflight took it for a crash and stops it` : 'preflight cannot see what it left running on this OS, and took it for a crash';
    return [
      `  likely cause: it may have started a daemon and returned (as \`pg_ctl start\` or \`docker compose up -d\` do), so its exit 0 would be the start, not the end of the service: ${seen}.`,
      `  fix: declare it detached, with the command that stops the daemon: ${detached}; or start it in the foreground (\`postgres -D <dir>\`, \`docker compose up <service>\`). ${its}`,
    ].join('\n');
  }
  return [
    "  likely cause: it exited 0 before serving: its command does not stay in the foreground (a build or setup step instead of the server, a server sent to the background with & or nohup, a script that returns), and nothing it started still runs with preflight's marks.",
    `  fix: make its command the one that serves and keeps running until it is stopped. ${its}. If it does start a daemon that clears its environment (a container), declare it detached with the command that stops it: ${detached}.`,
  ].join('\n');
}

/** A detached service whose start command returned 0 and of which nothing runs with preflight's marks any more. */
function detachedDaemonGone(handle: RunningService): string {
  return [
    `  likely cause: its daemon died (or never started) after its start command returned: nothing it started still runs with preflight's marks. Its own log says why; a daemon that clears its environment (a container) is not seen here, so check whether it runs (docker ps).`,
    `  fix: run its start command yourself and read the daemon's log: ${handle.service.command}  (set by ${handle.service.setBy.command})`,
  ].join('\n');
}

/** A detached service's start, once its command exited 0: when, and what it left running. */
function describeDetachedStart(handle: RunningService, exit: NonNullable<RunningService['exit']>): string {
  const after = `its start command exited with code ${exit.exitCode} ${((exit.at - handle.spawnedAt) / 1000).toFixed(1)} s after start (detached)`;
  if (!procAvailable) return after;
  const left = leftRunning(handle);
  return left ? `${after}; still running with its marks: ${left}` : `${after}, and nothing it started still runs with preflight's marks (a container, or a daemon that clears its environment, is not seen); check the daemon's own log`;
}

/**
 * The exited service's output names a port that another service of this gate holds (the OS says which process):
 * that service started first and took it. The fix is the start order, unless the order already puts it first.
 */
export function portClashCause(exited: ServiceConfig, clash: PortClash, services: ServiceConfig[]): string {
  const holder = clash.holder.service;
  const held = `  port ${clash.port}, which its output names, is held by ${holder.name}, another service of this gate: pid ${clash.process.pid} (${clash.process.command})`;
  const byName = new Map(services.map((service) => [service.name, service]));
  const waitsFor = (service: ServiceConfig, name: string, seen = new Set<string>()): boolean =>
    [...service.dependsOn, ...service.readyAfter].some((dependency) => {
      if (dependency === name) return true;
      if (seen.has(dependency)) return false;
      seen.add(dependency);
      const next = byName.get(dependency);
      return next !== undefined && waitsFor(next, name, seen);
    });
  if (waitsFor(exited, holder.name)) {
    return [held, `  likely cause: ${exited.name} starts only once ${holder.name} is ready, so ${holder.name} always holds port ${clash.port} first. fix: the two need different ports: change the port ${exited.name} expects free, or ${holder.name}'s (${holder.setBy.url}).`].join('\n');
  }
  const order = holder.readyAfter.includes(exited.name)
    ? `move ${exited.name} from readyAfter to dependsOn of ${holder.name}`
    : `add ${exited.name} to dependsOn of ${holder.name}`;
  return [
    held,
    `  likely cause: ${holder.name} started at the same time as ${exited.name} and took port ${clash.port} first; ${exited.name} needs it free at its start.`,
    `  fix: start ${holder.name} only once ${exited.name} is ready: ${order} (docs/gate-config.md, "Start order").`,
  ].join('\n');
}

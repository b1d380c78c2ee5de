import { capturedVariable, isServed, serviceVariable, type PreflightConfig, type ServedService, type ServiceConfig } from '../config/types.ts';
import { addSecretValues } from '../secrets/redact.ts';
import { portOfUrl } from '../core/default-port.ts';
import { addressFamilyLine } from '../network/readiness-families.ts';
import { hostOf } from '../network/resolve-host.ts';
import type { ProbeOutcome } from '../readiness/probe.ts';
import { attemptTimeoutMs, failsAtOnce, probeTcp, serviceProbe, type ServiceProbe } from '../readiness/service-probe.ts';
import { waitUntilReady } from '../readiness/wait-until-ready.ts';
import type { ServiceRecord } from '../core/service-record.ts';
import { diagnoseDiedDuringRun, diagnoseDependencyFailed, diagnoseNotReady, diagnosePortTaken, exitedBeforeReadyAfter, portClashCause, watcherGaveUp } from './diagnosis.ts';
import { findPortClash } from './port-clash.ts';
import type { ExitInfo } from '../core/exit-info.ts';
import { launchService, type RunningService } from './launch.ts';
import type { RunIdentity } from './run-identity.ts';
import { watchLiveness } from './liveness.ts';
import { findPortHolders } from '../platform/index.ts';
import { portAnswers } from './port-holder.ts';

export interface BootOutcome {
  ok: boolean;
  services: ServiceRecord[];
  /** The diagnoses of the services that did not become ready, joined for a person to read. */
  diagnosis?: string;
}

export interface Boot {
  /** Settles once every service is ready, or as soon as one fails. */
  outcome: Promise<BootOutcome>;
  /** Stops every service this boot started. Safe to call at any time, more than once. */
  teardown(): Promise<void>;
}

export interface BootOptions {
  logDir: string;
  env?: NodeJS.ProcessEnv;
  /** The run the services belong to: its marks let leftovers be recognised (harness/services/run-identity.ts). */
  run?: RunIdentity;
  /** Called with each record as it changes, so the run state stays current. */
  onRecord?(record: ServiceRecord): void;
  /** Called with each readiness probe's outcome while a service is awaited (the console's progress lines). */
  onProbe?(service: string, outcome: ProbeOutcome): void;
}

/** PREFLIGHT_<NAME>_URL of every declared service: each service finds the others there (the frontend its backend, ...). */
export function serviceUrlEnvironment(config: Pick<PreflightConfig, 'services'>): Record<string, string> {
  return Object.fromEntries(config.services.filter(isServed).map((service) => [serviceVariable(service, 'URL'), service.urlText]));
}

/** The URLs a service's dependencies (dependsOn, readyAfter) give under their urlAs: DATABASE_URL from its database. */
export function dependencyUrlEnvironment(service: ServiceConfig, config: Pick<PreflightConfig, 'services'>): Record<string, string> {
  const dependencies = new Set([...service.dependsOn, ...service.readyAfter]);
  return Object.fromEntries(
    config.services.filter(isServed).flatMap((dependency) => (dependency.urlAs && dependencies.has(dependency.name) ? [[dependency.urlAs, dependency.urlText]] : [])),
  );
}

/**
 * Boots the services: each starts as soon as the services it depends on are ready (those that depend on nothing
 * start together), and waits until it is ready by its readiness kind. The first failure ends the boot.
 */
export function bootServices(config: PreflightConfig, options: BootOptions): Boot {
  const started: RunningService[] = [];
  const stopWatching: Array<() => void> = [];
  const abort = new AbortController();
  let tearingDown = false;
  // Each service's readiness, for its dependents: true when ready, false when it failed or was not started.
  const readiness = new Map<string, { promise: Promise<boolean>; settle(ready: boolean): void }>();
  for (const service of config.services) {
    let settle!: (ready: boolean) => void;
    const promise = new Promise<boolean>((resolve) => (settle = resolve));
    readiness.set(service.name, { promise, settle });
  }
  const serviceEnv = { ...options.env, ...serviceUrlEnvironment(config) };
  // What ready services' log patterns captured (PREFLIGHT_<NAME>_<GROUP>), for every service started after them.
  const exported: Record<string, string> = {};

  const publish = (record: ServiceRecord) => options.onRecord?.(record);

  const bootOne = async (service: ServiceConfig): Promise<ServiceRecord> => {
    const record: ServiceRecord = { name: service.name, url: service.urlText, healthUrl: service.healthUrl?.href, reused: false };
    if (service.dependsOn.length) {
      const ready = await Promise.all(service.dependsOn.map((name) => readiness.get(name)!.promise));
      const failed = service.dependsOn.filter((_, index) => !ready[index]);
      if (failed.length && tearingDown) {
        record.contractReason = 'not started: the run ended first';
        publish(record);
        return record;
      }
      if (failed.length) {
        const failedRecords = failed.map((name) => records.get(name)).filter((known) => known !== undefined);
        if (failedRecords.some((known) => known.failure || known.notStartedBecause)) {
          record.failure = diagnoseDependencyFailed(service, failed);
          record.notStartedBecause = failed;
        } else record.contractReason = 'not started: another service failed to become ready';
        publish(record);
        return record;
      }
    }
    // A service started on a taken port would fail to bind while the old process answered its probes: the gate would test the wrong thing.
    // (A service without a URL listens on no port: there is nothing to check.)
    const port = isServed(service) ? portOfUrl(service.url)! : undefined;
    if (isServed(service) && port !== undefined && (await portAnswers(hostOf(service.url), port))) {
      const existing = service.reuseExisting ? await reuseProbe(service, { ...service.env, ...serviceEnv, ...exported })(attemptTimeoutMs(service) ?? 2_000) : undefined;
      if (existing?.kind === 'answered' && (existing.verdict.state === 'ready' || existing.verdict.state === 'degraded')) {
        Object.assign(record, contractFields(existing.verdict), { reused: true, msToReady: 0 });
        publish(record);
        return record;
      }
      const holders = findPortHolders(port);
      record.failure = diagnosePortTaken(service, holders, existing ? { tried: true, probe: existing } : { tried: false });
      if (existing?.kind === 'answered') Object.assign(record, contractFields(existing.verdict));
      publish(record);
      return record;
    }
    // Another service failed, or the run ended, while this one's port was checked: start nothing more.
    if (abort.signal.aborted) {
      record.contractReason = tearingDown ? 'not started: the run ended first' : 'not started: another service failed to become ready';
      publish(record);
      return record;
    }
    let handle: RunningService;
    const launchedEnv = { ...service.env, ...serviceEnv, ...exported, ...dependencyUrlEnvironment(service, config) };
    try {
      handle = await launchService(service, { logDir: options.logDir, env: launchedEnv, run: options.run });
    } catch (error) {
      // A service that cannot even be spawned (no log directory, no shell) is a failed boot, not a crash of the runner.
      const why = (error as Error).message;
      const summary = why.startsWith(`${service.name} could not be started`) ? why : `${service.name} could not be started: ${why}`;
      record.failure = { summary, diagnosis: `${summary}\n  command: ${service.command}  (set by ${service.setBy.command})` };
      publish(record);
      return record;
    }
    started.push(handle);
    Object.assign(record, { pid: handle.pid, logFile: handle.log.file, spawnedAt: new Date(handle.spawnedAt).toISOString() });
    publish(record);

    // readyAfter: started already, judged ready only once these are (their failure ends its wait).
    const after = service.readyAfter.length ? allReady(service.readyAfter.map((name) => readiness.get(name)!.promise)) : undefined;
    let afterReady = !after;
    void after?.then((ready) => (afterReady = ready));
    const probe = serviceProbe(service, () => handle.log.tail(200), launchedEnv);
    const outcome = await waitUntilReady({
      probe: async (timeoutMs) => {
        const answer = await probe(timeoutMs);
        options.onProbe?.(service.name, answer);
        return answer;
      },
      failsAtOnce: failsAtOnce(service),
      timeoutMs: service.timeoutMs,
      attemptTimeoutMs: attemptTimeoutMs(service),
      downForMs: service.readiness.kind === 'contract' ? service.readiness.downForMs : undefined,
      hopeless: () => watcherGaveUp(handle),
      exited: service.detached ? failedStart(handle) : handle.exited,
      signal: abort.signal,
      after,
    });
    record.probes = outcome.probes;
    // Stopped by the end of the run (Ctrl+C, teardown) rather than failing by itself: not the service's fault.
    if (!outcome.ok && tearingDown) {
      record.contractReason = 'not waited for: the run ended before it was ready';
      publish(record);
      return record;
    }
    const notReadyAfter = !outcome.ok && outcome.reason === 'aborted' ? service.readyAfter.filter((name) => records.get(name) && !isReady(records.get(name)!)) : [];
    if (notReadyAfter.length) {
      record.contractReason = `not waited for: it is judged ready after ${notReadyAfter.join(' and ')}, which did not become ready`;
      publish(record);
      return record;
    }
    if (!outcome.ok && outcome.reason === 'aborted') {
      record.contractReason = 'not waited for: another service failed to become ready';
      publish(record);
      return record;
    }
    if (!outcome.ok) {
      const silent = outcome.reason === 'timeout' && outcome.lastProbe?.kind !== 'answered' && outcome.lastProbe?.kind !== 'timeout';
      const families = silent && service.readiness.kind !== 'log' && isServed(service) ? await addressFamilyLine(service) : undefined;
      const clash = outcome.reason === 'exited' ? findPortClash(handle, started) : undefined;
      record.failure = diagnoseNotReady(handle, outcome, families, clash && portClashCause(service, clash, config.services));
      if (outcome.reason === 'exited' && !afterReady) record.failure.diagnosis += `\n${exitedBeforeReadyAfter(service)}`;
      if (outcome.reason === 'exited') record.exitedAt = new Date(outcome.exit.at).toISOString();
      // What the contract last said (down, a violation) is part of the record, whatever ended the wait.
      if (outcome.lastProbe?.kind === 'answered') Object.assign(record, contractFields(outcome.lastProbe.verdict));
      publish(record);
      return record;
    }
    Object.assign(record, contractFields(outcome.verdict), {
      readyAt: new Date(outcome.readyAt).toISOString(),
      msToReady: outcome.readyAt - handle.spawnedAt,
      exports: exportsOf(service, outcome.verdict.captured),
    });
    if (record.exports) {
      // A captured token is hidden like the runner's own secrets (by its variable's name).
      addSecretValues(record.exports);
      Object.assign(exported, record.exports);
    }
    publish(record);
    const diedDuringRun = (died: NonNullable<ServiceRecord['diedDuringRun']>) => {
      if (tearingDown || record.diedDuringRun) return;
      record.diedDuringRun = died;
      publish(record);
    };
    // A detached service's command has done its work once its daemon runs; the daemon is watched by its liveness.
    if (!service.detached) {
      void handle.exited.then((exit) => {
        diedDuringRun({ exitCode: exit.exitCode, signal: exit.signal, at: new Date(exit.at).toISOString(), diagnosis: diagnoseDiedDuringRun(handle, exit) });
      });
    }
    if (service.liveness) stopWatching.push(watchLiveness(handle, service.liveness, diedDuringRun));
    return record;
  };

  const records = new Map<string, ServiceRecord>();
  let stopped: Promise<void> | undefined;
  const teardown = () => {
    tearingDown = true;
    abort.abort();
    for (const stop of stopWatching) stop();
    for (const entry of readiness.values()) entry.settle(false);
    stopped ??= (async () => {
      await Promise.all(started.map((handle) => handle.stop()));
      await Promise.all(started.map((handle) => handle.log.close()));
    })();
    return stopped;
  };

  const outcome = (async (): Promise<BootOutcome> => {
    const pending = config.services.map(async (service) => {
      const record = await bootOne(service);
      records.set(service.name, record);
      const ready = isReady(record);
      // One service failing ends the boot at once: the others are not waited for.
      if (record.failure) abort.abort();
      readiness.get(service.name)!.settle(ready);
      return record;
    });
    const services = await Promise.all(pending);
    const failed = services.filter((record) => record.failure);
    if (failed.length === 0 && !tearingDown) return { ok: true, services };
    // A failed boot stops what it started now, not at the end of the run.
    void teardown();
    if (failed.length === 0) return { ok: false, services, diagnosis: 'preflight: the run ended before every service was ready; nothing was tested.' };
    // The cause first, then the services it kept from starting.
    const ordered = [...failed.filter((record) => !record.notStartedBecause), ...failed.filter((record) => record.notStartedBecause)];
    return { ok: false, services, diagnosis: ordered.map((record) => record.failure!.diagnosis).join('\n\n') };
  })();

  return { outcome, teardown };
}

function contractFields(verdict: { state: ServiceRecord['contract']; reason: string; body?: { version?: string; releaseId?: string } }) {
  return {
    contract: verdict.state,
    contractReason: verdict.reason,
    version: verdict.body?.version,
    releaseId: verdict.body?.releaseId,
  };
}

/** The named groups a service's log pattern captured, as the variables later services and the specs get. */
function exportsOf(service: ServiceConfig, captured: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!captured || Object.keys(captured).length === 0) return undefined;
  return Object.fromEntries(Object.entries(captured).map(([group, value]) => [capturedVariable(service, group), value]));
}

/**
 * A detached service's start command ends once its daemon is started: exit 0 is its start (noted in its log), and only
 * another exit (a code, a signal) is a failed start that ends the wait.
 */
function failedStart(handle: RunningService): Promise<ExitInfo> {
  return new Promise((resolve) => {
    void handle.exited.then((exit) => {
      if (exit.exitCode !== 0) return resolve(exit);
      handle.log.note(`# preflight: ${handle.service.name}: its start command exited with code 0 (detached): its daemon is judged by its readiness from now on`);
    });
  });
}

/**
 * Whether a service that already runs may be reused, judged by its readiness. A service judged by its output was not
 * started here, so there is no output to read: its port accepting connections is what can be judged. A readiness
 * command runs with `env`, as it would for a service started here.
 */
function reuseProbe(service: ServedService, env: NodeJS.ProcessEnv): ServiceProbe {
  return service.readiness.kind === 'log' ? (timeoutMs) => probeTcp(service.url, timeoutMs) : serviceProbe(service, undefined, env);
}

const isReady = (record: ServiceRecord) => !record.failure && (record.readyAt !== undefined || record.reused);

/** True once every one is true; false as soon as one is false. */
function allReady(readiness: Promise<boolean>[]): Promise<boolean> {
  return new Promise((resolve) => {
    let waiting = readiness.length;
    for (const ready of readiness) void ready.then((ok) => (!ok ? resolve(false) : --waiting === 0 && resolve(true)));
  });
}

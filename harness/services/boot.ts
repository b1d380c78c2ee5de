import { serviceVariable, type PreflightConfig, type ServiceConfig } from '../config/load-config.ts';
import { addressFamilyLine } from '../network/readiness-families.ts';
import { hostOf, portOf } from '../network/resolve-host.ts';
import { probeReadiness } from '../readiness/probe.ts';
import { waitUntilReady } from '../readiness/wait-until-ready.ts';
import type { ServiceRecord } from '../core/service-record.ts';
import { diagnoseDiedDuringRun, diagnoseNotReady, diagnosePortTaken } from './diagnosis.ts';
import { launchService, type RunningService } from './launch.ts';
import type { RunIdentity } from './run-identity.ts';
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
}

/** Boots every service at the same time and waits until each answers the readiness contract. */
export function bootServices(config: PreflightConfig, options: BootOptions): Boot {
  const started: RunningService[] = [];
  const abort = new AbortController();
  let tearingDown = false;

  const publish = (record: ServiceRecord) => options.onRecord?.(record);

  const bootOne = async (service: ServiceConfig): Promise<ServiceRecord> => {
    const record: ServiceRecord = { name: service.name, url: service.url.origin, healthUrl: service.healthUrl.href, reused: false };
    // A service started on a taken port would fail to bind while the old process answered its probes: the gate would test the wrong thing.
    if (await portAnswers(hostOf(service.url), portOf(service.url))) {
      const existing = config.reuseExisting ? await probeReadiness(service.healthUrl) : undefined;
      if (existing?.kind === 'answered' && (existing.verdict.state === 'ready' || existing.verdict.state === 'degraded')) {
        Object.assign(record, contractFields(existing.verdict), { reused: true, msToReady: 0 });
        publish(record);
        return record;
      }
      const holders = findPortHolders(portOf(service.url));
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
    try {
      handle = await launchService(service, { logDir: options.logDir, env: options.env, run: options.run });
    } catch (error) {
      // A service that cannot even be spawned (no log directory, no shell) is a failed boot, not a crash of the runner.
      const why = (error as Error).message;
      const summary = why.startsWith(`${service.name} could not be started`) ? why : `${service.name} could not be started: ${why}`;
      record.failure = { summary, diagnosis: `${summary}\n  command: ${service.command}  (set by ${serviceVariable(service, 'CMD')})` };
      publish(record);
      return record;
    }
    started.push(handle);
    Object.assign(record, { pid: handle.pid, logFile: handle.log.file, spawnedAt: new Date(handle.spawnedAt).toISOString() });
    publish(record);

    const outcome = await waitUntilReady({ url: service.healthUrl, timeoutMs: config.readyTimeoutMs, exited: handle.exited, signal: abort.signal });
    // Stopped by the end of the run (Ctrl+C, teardown) rather than failing by itself: not the service's fault.
    if (!outcome.ok && tearingDown) {
      record.contractReason = 'not waited for: the run ended before it was ready';
      publish(record);
      return record;
    }
    if (!outcome.ok && outcome.reason === 'aborted') {
      record.contractReason = 'not waited for: another service failed to become ready';
      publish(record);
      return record;
    }
    if (!outcome.ok) {
      const families = outcome.reason === 'timeout' ? await addressFamilyLine(service) : undefined;
      record.failure = diagnoseNotReady(handle, outcome, families);
      if (outcome.reason === 'exited') record.exitedAt = new Date(outcome.exit.at).toISOString();
      // What the contract last said (down, a violation) is part of the record, whatever ended the wait.
      if (outcome.lastProbe?.kind === 'answered') Object.assign(record, contractFields(outcome.lastProbe.verdict));
      publish(record);
      return record;
    }
    Object.assign(record, contractFields(outcome.verdict), {
      readyAt: new Date(outcome.readyAt).toISOString(),
      msToReady: outcome.readyAt - handle.spawnedAt,
    });
    publish(record);
    void handle.exited.then((exit) => {
      if (tearingDown) return;
      record.diedDuringRun = {
        exitCode: exit.exitCode,
        signal: exit.signal,
        at: new Date(exit.at).toISOString(),
        diagnosis: diagnoseDiedDuringRun(handle, exit),
      };
      publish(record);
    });
    return record;
  };

  let stopped: Promise<void> | undefined;
  const teardown = () => {
    tearingDown = true;
    abort.abort();
    stopped ??= (async () => {
      await Promise.all(started.map((handle) => handle.stop()));
      await Promise.all(started.map((handle) => handle.log.close()));
    })();
    return stopped;
  };

  const outcome = (async (): Promise<BootOutcome> => {
    const pending = config.services.map(async (service) => {
      const record = await bootOne(service);
      // One service failing ends the boot at once: the others are not waited for.
      if (record.failure) abort.abort();
      return record;
    });
    const services = await Promise.all(pending);
    const failed = services.filter((record) => record.failure);
    if (failed.length === 0 && !tearingDown) return { ok: true, services };
    // A failed boot stops what it started now, not at the end of the run.
    void teardown();
    if (failed.length === 0) return { ok: false, services, diagnosis: 'preflight: the run ended before every service was ready; nothing was tested.' };
    return { ok: false, services, diagnosis: failed.map((record) => record.failure!.diagnosis).join('\n\n') };
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

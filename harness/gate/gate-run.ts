import type { DriftFinding } from '../core/findings.ts';
import type { ServiceRecord, SetupProblem } from '../core/service-record.ts';
import { newRunIdentity, type RunIdentity } from '../services/run-identity.ts';
import type { BootOutcome } from '../services/boot.ts';
import { BootProgress } from './boot-progress.ts';
import type { BlockedWrite } from '../production/blocked-writes.ts';
import type { BrowserLaunch } from '../browser/shared-browser.ts';

/** The gate once it started: the boot of every service, and how to stop it. */
export interface GateStart {
  /** Settles once every service is ready, or as soon as one fails. */
  outcome: Promise<BootOutcome>;
  teardown(): Promise<void>;
}

/**
 * One run of the gate: everything the runner learns between the configuration and the exit code. Owned by the
 * runner process (harness/gate/runner-process.ts holds it); every stage of harness/gate/pipeline.ts gets it as
 * an argument. Workers never see it: they ask the boot channel.
 */
export class GateRun {
  readonly startedAt = new Date().toISOString();
  /** Marks every service of this run carries, so its leftovers can be told apart (harness/services/run-identity.ts). */
  readonly identity: RunIdentity = newRunIdentity();
  readonly services = new Map<string, ServiceRecord>();
  readonly setupProblems: SetupProblem[] = [];
  /** Configuration drift found before boot (harness/drift): critical and warning findings. */
  readonly drift: DriftFinding[] = [];
  /** Writes to production the read-only proxy refused (harness/production/read-only-proxy.ts), as they came. */
  readonly productionWrites: BlockedWrite[] = [];
  /** Why configuration drift was not checked (no rules file), if it was not: the verdict says so in one line. */
  driftNotChecked?: string;
  /** The boot's progress on the console (harness/gate/boot-progress.ts). */
  readonly progress = new BootProgress(Date.parse(this.startedAt));
  /** Set when the harness itself ended the run early (a service failed to boot): why. Not a Ctrl+C. */
  stoppedEarly?: string;
  /** Whether a spec has begun: from then on Playwright handles a SIGINT as a Ctrl+C during the tests. */
  testsBegan = false;
  /** An early stop decided before any spec began, sent once one does (harness/gate/runner-process.ts). */
  stopPending = false;
  /** The exit code the gate reporter decided; unset until it has (the exit guard reads it). */
  verdictExitCode?: number;
  /**
   * The launch the local project's workers will ask for, when gatePlaywrightConfig() knows it: the runner launches
   * that browser once, while the services boot, and the workers connect to it (harness/browser/shared-browser.ts).
   */
  browserLaunch?: BrowserLaunch;
  /** The gate start, begun once: by playwright.config.ts while Playwright loads the specs, or by global setup. */
  start?: Promise<GateStart>;

  record(service: ServiceRecord): void {
    this.services.set(service.name, service);
  }

  /**
   * The services in start order, as every report lists them: those found already serving (reused) first, then by
   * the time each was started; those never started last, in the order their records came.
   */
  serviceList(): ServiceRecord[] {
    const rank = (record: ServiceRecord) => (record.reused ? -Infinity : record.spawnedAt ? Date.parse(record.spawnedAt) : Infinity);
    return [...this.services.values()].sort((a, b) => rank(a) - rank(b) || 0);
  }
}

import type { ServiceConfig } from '../config/types.ts';
import type { ServiceRecord } from '../core/service-record.ts';
import type { ProbeOutcome } from '../readiness/probe.ts';

/** How often a service still awaited gets a line saying what is awaited and what its last probe said. */
export const PROGRESS_INTERVAL_MS = 5_000;

type Phase = 'starting' | 'settled';

/**
 * The boot as it happens, one console line at a time: each service starting and ready (name, url, time since the
 * gate began), and every few seconds what a service still awaited waits for and what its last probe said.
 * Lines wait until the run has begun (Playwright's "Running N tests" line) and a printer is attached
 * (harness/gate/playwright-private.ts: through the reporters, so the list reporter's live lines stay intact).
 */
export class BootProgress {
  private services: ServiceConfig[] = [];
  private readonly phase = new Map<string, Phase>();
  private readonly spawnedAt = new Map<string, number>();
  private readonly lastProbe = new Map<string, ProbeOutcome>();
  private readonly queue: string[] = [];
  private print?: (line: string) => void;
  private begun = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly startedAt: number,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The boot begins: these services are awaited from now on. */
  watch(services: ServiceConfig[]): void {
    this.services = services;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Each record the boot publishes (harness/services/boot.ts onRecord); prints each change of phase once. */
  record(record: ServiceRecord): void {
    const { name } = record;
    const phase = this.phase.get(name);
    if (phase === 'settled') return;
    if (record.failure) this.settle(name, `not ready: ${record.failure.summary}`);
    else if (record.reused) this.settle(name, `reused: already serving at ${record.url}`);
    else if (record.readyAt) {
      const where = [record.url && ` on ${record.url}`, record.msToReady !== undefined && ` ${seconds(record.msToReady)} after it started`].filter(Boolean).join(',');
      const reason = withoutReadyPrefix(record.contractReason ?? 'ready');
      this.settle(name, `ready${where}${reason === 'ready' ? '' : `: ${reason}`}`);
    }
    // Not started, or not waited for, because of another service or the end of the run.
    else if (record.contractReason) this.settle(name, record.contractReason);
    else if (record.spawnedAt && !phase) {
      this.phase.set(name, 'starting');
      this.spawnedAt.set(name, Date.parse(record.spawnedAt));
      this.line(name, `starting${record.url ? ` on ${record.url}` : ''}`);
    }
  }

  /** What a readiness probe of a service just said: the next waiting line quotes it. */
  probe(name: string, outcome: ProbeOutcome): void {
    this.lastProbe.set(name, outcome);
  }

  /** The boot settled: one closing line, and no more waiting lines. */
  settled(outcome: { ok: boolean; services: ServiceRecord[] }): void {
    if (outcome.ok) this.emit(`${this.stamp()} all ${outcome.services.length} service${outcome.services.length === 1 ? '' : 's'} ready; the specs start`);
    this.stop();
  }

  /** Where lines go once the run has begun. */
  attach(print: (line: string) => void): void {
    this.print = print;
    this.flush();
  }

  /** The run has begun (Playwright printed its "Running N tests" line): lines held until now are printed. */
  begin(): void {
    this.begun = true;
    this.flush();
  }

  /** No more lines: the boot is over, or the run is. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
    this.stopped = true;
  }

  private tick(): void {
    for (const service of this.services) {
      const phase = this.phase.get(service.name);
      if (phase === 'settled') continue;
      if (!phase) {
        const waitsFor = service.dependsOn.filter((name) => this.phase.get(name) !== 'settled');
        if (waitsFor.length) this.line(service.name, `not started yet: it starts once ${waitsFor.join(' and ')} ${waitsFor.length === 1 ? 'is' : 'are'} ready (dependsOn)`);
        continue;
      }
      const waited = seconds(this.now() - this.spawnedAt.get(service.name)!);
      const first = service.readyAfter.filter((name) => this.phase.get(name) !== 'settled');
      const after = first.length ? `; it is judged ready only after ${first.join(' and ')} (readyAfter)` : '';
      const probe = this.lastProbe.get(service.name);
      this.line(service.name, `waiting ${waited} for ${awaited(service)}${after}; last probe: ${probe ? describeOutcome(probe) : 'none yet'}`);
    }
  }

  private settle(name: string, text: string): void {
    this.phase.set(name, 'settled');
    this.line(name, text);
  }

  private line(name: string, text: string): void {
    this.emit(`${this.stamp()} ${name}: ${text}`);
  }

  private stamp(): string {
    return `[preflight +${seconds(this.now() - this.startedAt).replace(' ', '')}]`;
  }

  private emit(line: string): void {
    if (this.stopped) return;
    this.queue.push(line);
    this.flush();
  }

  private flush(): void {
    if (!this.begun || !this.print) return;
    for (const line of this.queue.splice(0)) this.print(`${line}\n`);
  }
}

/** What readiness waits for, as a person would check it by hand. */
function awaited(service: ServiceConfig): string {
  const { readiness } = service;
  switch (readiness.kind) {
    case 'tcp':
      return `a TCP connection on ${service.url!.host}`;
    case 'log':
      return `a line of its output matching ${readiness.pattern}${service.url ? `, then a TCP connection on ${service.url.host}` : ''}`;
    default:
      return `${service.healthUrl}`;
  }
}

/** A probe's outcome in a few words; the full diagnosis is the verdict's. */
export function describeOutcome(outcome: ProbeOutcome): string {
  switch (outcome.kind) {
    case 'answered':
      return outcome.verdict.httpStatus ? `HTTP ${outcome.verdict.httpStatus}, ${outcome.verdict.reason}` : outcome.verdict.reason;
    case 'timeout':
      return `accepted the connection but sent no answer within ${outcome.timeoutMs} ms`;
    case 'unreachable':
      if (outcome.code === 'LOG_PENDING') return outcome.message;
      return outcome.code === 'ECONNREFUSED' ? 'connection refused (nothing listens there yet)' : `${outcome.code} ${outcome.message}`;
  }
}

const withoutReadyPrefix = (reason: string) => reason.replace(/^ready: /, '');
const seconds = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;

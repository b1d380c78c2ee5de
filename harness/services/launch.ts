import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ServiceConfig } from '../config/types.ts';
import type { ExitInfo } from '../core/exit-info.ts';
import { environmentForServices } from '../core/worker-environment.ts';
import { procAvailable } from './process-table.ts';
import { newRunIdentity, RUN_ID_VAR, RUN_OWNER_VAR, SERVICE_TAG_VAR, type RunIdentity } from './run-identity.ts';
import { ServiceLog } from './service-log.ts';
import { killServiceTreeNow, terminateServiceTree } from '../platform/index.ts';
import type { ServiceTree } from './terminate.ts';
import { runStopCommand, runStopCommandNow, type StopCommand } from './stop-command.ts';
import { removeStopRecord, writeStopRecord } from './stop-records.ts';

export { SERVICE_TAG_VAR };


/**
 * How long a service's output may still arrive after its process exited: a descendant (a log forwarder) may keep
 * the pipe open for ever, and the exit must still be reported.
 */
const OUTPUT_DRAIN_MS = 2_000;

const WATCHDOG = fileURLToPath(new URL('./watchdog.sh', import.meta.url));

export interface RunningService {
  service: ServiceConfig;
  pid: number;
  /** Epoch ms when the process was spawned. */
  spawnedAt: number;
  log: ServiceLog;
  tree: ServiceTree;
  /** Settles when the process leader exited and its output is in the log, however it exits. */
  exited: Promise<ExitInfo>;
  exit?: ExitInfo;
  /** Stops the whole tree (its stop signal, then SIGKILL after its grace period); notes in the log what it had to do. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  logDir: string;
  env?: NodeJS.ProcessEnv;
  /** The run this service belongs to (harness/services/run-identity.ts); a new one if not given. */
  run?: RunIdentity;
}

// Every service tree this runner started, with its stop command and watchdog; stopped if the runner exits with any of them still alive.
const startedTrees = new Map<ServiceTree, { stop?: StopCommand; watchdog?: ChildProcess }>();
let exitHookInstalled = false;

/**
 * Starts a service's shell command in its own directory and process group, its output going to its log, with a watchdog that
 * stops it if the runner dies. Rejects, saying why, when the command cannot even be spawned.
 */
export async function launchService(service: ServiceConfig, options: LaunchOptions): Promise<RunningService> {
  const log = new ServiceLog(options.logDir, service.name);
  log.note(`# preflight: ${service.name} started at ${new Date().toISOString()}, ${service.url ? `expected to serve ${service.urlText ?? service.url.href}` : `ready when its output matches its readiness pattern`}`);
  const tag = { name: SERVICE_TAG_VAR, value: `${service.name}-${randomUUID()}` };
  const run = options.run ?? newRunIdentity();
  const spawnedAt = Date.now();
  // node:child_process, not execa: this module is loaded before the first service starts, and every module on that
  // path delays it (docs/benchmark.md). The inherited environment is extended, as execa's extendEnv would.
  const marks = { [tag.name]: tag.value, [RUN_ID_VAR]: run.runId, [RUN_OWNER_VAR]: run.owner };
  let subprocess: ChildProcess;
  try {
    subprocess = spawn(service.command, {
      shell: true,
      detached: true, // own process group: the whole tree can be signalled, and Ctrl+C in the terminal does not reach it first
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: service.cwd,
      env: { ...environmentForServices(), ...options.env, ...marks },
    });
    // Spawning failed at run time (EAGAIN, no shell, no such cwd): Node says why on 'error', and there is no pid.
    if (subprocess.pid === undefined) throw ((await once(subprocess, 'error')) as [Error])[0];
  } catch (error) {
    // Or at once (E2BIG: a variable longer than the kernel takes).
    const message = `${service.name} could not be started: ${(error as Error).message}`;
    log.note(`# preflight: ${message}`);
    await log.close();
    throw new Error(message);
  }
  // A later 'error' (a failed kill) must not crash the runner: the exit is reported through `exited`.
  subprocess.on('error', () => {});
  const pid = subprocess.pid;
  subprocess.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
  subprocess.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
  const tree: ServiceTree = { pgid: pid, tag };
  // The daemon's own way to stop (stop.command), run with the service's folder, environment and marks.
  const stop: StopCommand | undefined = service.stop.command
    ? { service: service.name, command: service.stop.command, cwd: service.cwd, env: { ...environmentForServices(), ...options.env, ...marks }, timeoutMs: service.stop.timeoutMs }
    : undefined;
  const record = stop && procAvailable ? writeStopRecord({ ...stop, env: { ...options.env, ...marks }, runId: run.runId, owner: run.owner, tag: tag.value }) : undefined;
  const watchdog = startWatchdog(tree, service.stop.graceMs, { ...options.env, [RUN_ID_VAR]: run.runId, [RUN_OWNER_VAR]: run.owner }, service.cwd, stop && { ...stop, record });

  const handle: RunningService = {
    service,
    pid,
    spawnedAt,
    log,
    tree,
    exited: exitWithOutput(subprocess).then((exit) => (handle.exit = exit)),
    stop: async () => {
      const { signal, graceMs } = service.stop;
      if (stop) await runStopCommand(stop, log);
      const result = await terminateServiceTree(tree, graceMs, signal);
      if (result.killed.length) {
        log.note(`# preflight: ${service.name}: pid ${result.killed.join(', ')} still ran ${graceMs} ms after ${signal}; killed with SIGKILL`);
      }
      if (result.survivors.length) {
        log.note(`# preflight: ${service.name}: pid ${result.survivors.join(', ')} survived SIGKILL (uninterruptible I/O?); stop it yourself: kill -9 ${result.survivors.join(' ')}`);
      }
      startedTrees.delete(tree);
      removeStopRecord(record);
      await stopWatchdog(watchdog);
    },
  };
  startedTrees.set(tree, { stop, watchdog });
  installExitHook();
  return handle;
}

/** The leader's exit, reported once its output has drained ('close'), so a crash's last words are in the log. */
function exitWithOutput(subprocess: ChildProcess): Promise<ExitInfo> {
  return new Promise((resolve) => {
    let exit: ExitInfo | undefined;
    subprocess.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => resolve(exit ?? { exitCode, signal, at: Date.now() }));
    subprocess.once('exit', (exitCode, signal) => {
      exit = { exitCode, signal, at: Date.now() };
      const settled = exit;
      setTimeout(() => resolve(settled), OUTPUT_DRAIN_MS).unref();
    });
  });
}

/**
 * A tiny process (harness/services/watchdog.sh) whose stdin is a pipe from this runner: when the runner ends,
 * even by SIGKILL, the pipe closes and the watchdog runs the service's stop command, if it has one, then stops the
 * service's tree. It has the service's environment and folder, for the stop command, but not its tag: it is not one
 * of the service's processes. Linux only (it reads /proc).
 */
function startWatchdog(
  tree: ServiceTree,
  graceMs: number,
  serviceEnv: NodeJS.ProcessEnv,
  cwd: string,
  stop: (StopCommand & { record?: string }) | undefined,
): ChildProcess | undefined {
  if (!procAvailable) return undefined;
  const { [tree.tag.name]: _tag, ...env } = { ...process.env, ...serviceEnv };
  const stopArgs = stop ? [String(stop.timeoutMs), stop.command, stop.record ?? ''] : [];
  const watchdog = spawn('/bin/sh', [WATCHDOG, String(tree.pgid), `${tree.tag.name}=${tree.tag.value}`, String(graceMs), ...stopArgs], {
    detached: true, // not in the terminal's foreground group: Ctrl+C is for the runner
    stdio: ['pipe', 'ignore', 'ignore'],
    cwd,
    env,
  });
  watchdog.on('error', () => {}); // a watchdog that cannot start leaves the runner's own exit hook as the guard
  watchdog.stdin?.on('error', () => {});
  // Neither the watchdog nor its pipe keeps the runner alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?(): void } | null)?.unref?.();
  return watchdog;
}

/** After a teardown there is nothing left to watch: the watchdog is ended at once, and waited for. */
async function stopWatchdog(watchdog: ChildProcess | undefined): Promise<void> {
  if (!watchdog || watchdog.exitCode !== null || watchdog.signalCode !== null || watchdog.pid === undefined) return;
  const gone = once(watchdog, 'exit').catch(() => undefined);
  watchdog.ref(); // waited for now
  watchdog.kill('SIGKILL');
  await gone;
}

/** Whatever happens to the runner, no service it started outlives it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const [tree, { stop, watchdog }] of startedTrees) {
      // A watchdog that lives on runs the stop command once the runner is gone, then stops the tree: it is left to it.
      if (stop && watchdog && watchdog.exitCode === null && watchdog.signalCode === null) continue;
      if (stop) runStopCommandNow(stop);
      killServiceTreeNow(tree);
    }
  };
  process.once('exit', killAll);
  // A runner ended by SIGTERM or SIGHUP (a cancelled CI job, a closed terminal) takes its services with it,
  // then dies of the same signal as it would have.
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAll();
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

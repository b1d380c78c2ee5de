import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import type { ServiceConfig } from '../config/load-config.ts';
import type { ExitInfo } from '../core/exit-info.ts';
import { ServiceLog } from './service-log.ts';
import { killServiceTreeNow, terminateServiceTree, type ServiceTree } from './terminate.ts';

/** Set in each service's environment (and so in all it starts), to find its whole tree at teardown. */
export const SERVICE_TAG_VAR = 'PREFLIGHT_SERVICE_TAG';


export interface RunningService {
  service: ServiceConfig;
  pid: number;
  /** Epoch ms when the process was spawned. */
  spawnedAt: number;
  log: ServiceLog;
  tree: ServiceTree;
  /** Settles when the process leader exits, however it exits. */
  exited: Promise<ExitInfo>;
  exit?: ExitInfo;
  /** Stops the whole tree (its stop signal, then SIGKILL after its grace period); notes in the log what it had to do. */
  stop(): Promise<void>;
}

// Every service tree this runner started; killed whole if the runner exits with any of them still alive.
const startedTrees = new Set<ServiceTree>();
let exitHookInstalled = false;

/** Starts a service's shell command in its own directory and process group, its output going to its log. */
export function launchService(service: ServiceConfig, options: { logDir: string; env?: NodeJS.ProcessEnv }): RunningService {
  const log = new ServiceLog(options.logDir, service.name);
  log.note(`# preflight: ${service.name} started at ${new Date().toISOString()}, expected to serve ${service.url.origin}`);
  const tag = { name: SERVICE_TAG_VAR, value: `${service.name}-${randomUUID()}` };
  const spawnedAt = Date.now();
  const subprocess = execa({
    shell: true,
    detached: true, // own process group: the whole tree can be signalled, and Ctrl+C in the terminal does not reach it first
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    cwd: service.cwd,
    env: { ...options.env, [tag.name]: tag.value },
  })`${service.command}`;
  subprocess.catch(() => {});

  if (subprocess.pid === undefined) {
    throw new Error(`${service.name}: could not spawn "${service.command}"`);
  }
  const pid = subprocess.pid;
  subprocess.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
  subprocess.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
  const tree: ServiceTree = { pgid: pid, tag };

  const handle: RunningService = {
    service,
    pid,
    spawnedAt,
    log,
    tree,
    exited: new Promise<ExitInfo>((resolve) => {
      subprocess.once('exit', (exitCode, signal) => {
        handle.exit = { exitCode, signal, at: Date.now() };
        resolve(handle.exit);
      });
    }),
    stop: async () => {
      const { signal, graceMs } = service.stop;
      const result = await terminateServiceTree(tree, graceMs, signal);
      if (result.killed.length) {
        log.note(`# preflight: ${service.name}: pid ${result.killed.join(', ')} still ran ${graceMs} ms after ${signal}; killed with SIGKILL`);
      }
      if (result.survivors.length) {
        log.note(`# preflight: ${service.name}: pid ${result.survivors.join(', ')} survived SIGKILL (uninterruptible I/O?); stop it yourself: kill -9 ${result.survivors.join(' ')}`);
      }
      startedTrees.delete(tree);
    },
  };
  startedTrees.add(tree);
  installExitHook();
  return handle;
}

/** Whatever happens to the runner, no service it started outlives it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const tree of startedTrees) killServiceTreeNow(tree);
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

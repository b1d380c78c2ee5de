import { execa } from 'execa';
import type { ServiceConfig } from '../config/load-config.ts';
import type { ExitInfo } from './exit-info.ts';
import { ServiceLog } from './service-log.ts';
import { killProcessGroupNow, terminateProcessGroup } from './terminate.ts';

export interface RunningService {
  service: ServiceConfig;
  pid: number;
  /** Epoch ms when the process was spawned. */
  spawnedAt: number;
  log: ServiceLog;
  /** Settles when the process leader exits, however it exits. */
  exited: Promise<ExitInfo>;
  exit?: ExitInfo;
  stop(graceMs?: number): Promise<void>;
}

// Every process group this runner started; killed whole if the runner exits with any of them still alive.
const startedGroups = new Set<number>();
let exitHookInstalled = false;

/** Starts a service's shell command in its own process group, its output going to its log. */
export function launchService(service: ServiceConfig, options: { logDir: string; env?: NodeJS.ProcessEnv }): RunningService {
  const log = new ServiceLog(options.logDir, service.name);
  log.note(`# preflight: ${service.name} started at ${new Date().toISOString()}, expected to serve ${service.url.origin}`);
  const spawnedAt = Date.now();
  const subprocess = execa({
    shell: true,
    detached: true, // own process group: the whole tree can be signalled, and Ctrl+C in the terminal does not reach it first
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    env: options.env,
  })`${service.command}`;
  subprocess.catch(() => {});

  if (subprocess.pid === undefined) {
    throw new Error(`${service.name}: could not spawn "${service.command}"`);
  }
  const pid = subprocess.pid;
  subprocess.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
  subprocess.stderr?.on('data', (chunk: Buffer) => log.write(chunk));

  const handle: RunningService = {
    service,
    pid,
    spawnedAt,
    log,
    exited: new Promise<ExitInfo>((resolve) => {
      subprocess.once('exit', (exitCode, signal) => {
        handle.exit = { exitCode, signal, at: Date.now() };
        resolve(handle.exit);
      });
    }),
    stop: (graceMs) => terminateProcessGroup(pid, handle.exited, graceMs),
  };
  startedGroups.add(pid);
  installExitHook();
  return handle;
}

/** Whatever happens to the runner, no service it started outlives it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pgid of startedGroups) killProcessGroupNow(pgid);
  });
}

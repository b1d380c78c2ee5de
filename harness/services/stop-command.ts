import { spawn, spawnSync } from 'node:child_process';

/** Where a stop command's output and preflight's notes about it go: the service's log (ServiceLog), or the console. */
export interface StopOutput {
  write(chunk: Buffer | string): void;
  note(line: string): void;
}

/** A service's stop command (stop.command) and what it runs with: the service's folder, environment and marks. */
export interface StopCommand {
  service: string;
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/**
 * Runs the stop command at teardown, its output in the service's log. Resolves when it exits or its time is up;
 * what it left running carries the service's marks and is stopped with the rest of the tree.
 */
export function runStopCommand(stop: StopCommand, log: StopOutput): Promise<void> {
  log.note(`# preflight: ${stop.service}: running its stop command: ${stop.command}`);
  return new Promise((resolve) => {
    const child = spawn(stop.command, { shell: true, cwd: stop.cwd, env: stop.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
    const timer = setTimeout(() => {
      log.note(`# preflight: ${stop.service}: its stop command still ran after ${stop.timeoutMs} ms (stop.timeoutMs); what is left is stopped by signal`);
      resolve();
    }, stop.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      log.note(`# preflight: ${stop.service}: its stop command could not be started: ${error.message}`);
      resolve();
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (exitCode !== 0) log.note(`# preflight: ${stop.service}: its stop command ${signal ? `was killed by ${signal}` : `exited with code ${exitCode}`}; what is left of the service is stopped by signal`);
      resolve();
    });
  });
}

/** The same, synchronously: for the runner's exit hook, where nothing asynchronous runs any more. */
export function runStopCommandNow(stop: StopCommand): void {
  spawnSync(stop.command, { shell: true, cwd: stop.cwd, env: stop.env, stdio: 'ignore', timeout: stop.timeoutMs, killSignal: 'SIGKILL' });
}

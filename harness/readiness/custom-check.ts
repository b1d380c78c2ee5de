// The readiness kinds where the user decides (Playwright's open request microsoft/playwright#34833, "webserver: add
// option for custom health check"): a command whose exit 0 is ready, or a function of the gate file.
import { spawn } from 'node:child_process';
import type { ReadinessCheck, ReadinessCheckResult } from '../config/gate-schema.ts';
import type { ReadinessVerdict } from './contract.ts';
import type { ProbeOutcome } from './probe.ts';

// Readiness commands in flight: killed with the runner, whatever ends it, as its services are.
const running = new Set<number>();
let exitHookInstalled = false;

/** Exit codes of a shell that could not run the command at all: no attempt later will run it either. */
export const COMMAND_NOT_RUNNABLE = new Set([126, 127]);

/**
 * One attempt of a readiness command, in the service's folder and environment: exit 0 is ready; otherwise the last
 * line of its output is the reason. Killed (its whole process group) when `timeoutMs` is up.
 */
export function probeCommand(command: string, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<ProbeOutcome> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, detached: true, cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    // Its last lines are all a reason needs: a command that prints a lot keeps only its end.
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_192));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    if (child.pid !== undefined) {
      running.add(child.pid);
      installExitHook();
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const done = (verdict: ReadinessVerdict) => {
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      resolve({ kind: 'answered', verdict, latencyMs: latency() });
    };
    child.once('error', (error) => done(notReady(`\`${command}\` could not be run: ${error.message}`)));
    child.once('close', (exitCode, signal) => {
      const last = lastLine(output);
      if (timedOut) return done(notReady(`\`${command}\` did not finish within ${options.timeoutMs} ms (readiness.attemptTimeoutMs)${last ? `; it printed: ${last}` : ''}`));
      if (exitCode === 0) return done({ state: 'ready', reason: `ready: \`${command}\` exited with code 0${last ? `: ${last}` : ''}`, httpStatus: 0, exitCode });
      const how = exitCode === null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
      done({ ...notReady(`\`${command}\` ${how}${last ? `: ${last}` : ''}`), exitCode: exitCode ?? undefined });
    });
  });
}

/**
 * One attempt of a readiness function: its answer, a throw (the error and where in the gate file it was thrown), or no
 * answer within `timeoutMs` (its signal aborts then: a function that passes it to fetch stops too).
 */
export async function probeFunction(check: ReadinessCheck, context: { url: URL | undefined; name: string; timeoutMs: number }): Promise<ProbeOutcome> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), context.timeoutMs)));
  try {
    const answer = await Promise.race([Promise.resolve().then(() => check({ url: context.url, signal: controller.signal, name: context.name })), expired]);
    if (answer === 'expired') {
      controller.abort(new Error(`the readiness check of ${context.name} did not settle within ${context.timeoutMs} ms`));
      return { kind: 'answered', verdict: notReady(`its readiness check did not settle within ${context.timeoutMs} ms (readiness.attemptTimeoutMs); pass it the signal it is given (fetch(url, { signal }))`), latencyMs: latency() };
    }
    return { kind: 'answered', verdict: functionVerdict(answer), latencyMs: latency() };
  } catch (error) {
    return { kind: 'answered', verdict: notReady(`its readiness check threw ${describeThrow(error)}`), latencyMs: latency() };
  } finally {
    clearTimeout(timer);
  }
}

function functionVerdict(answer: ReadinessCheckResult): ReadinessVerdict {
  const ready = typeof answer === 'boolean' ? answer : Boolean(answer?.ready);
  const reason = typeof answer === 'object' && answer !== null && typeof answer.reason === 'string' ? answer.reason : undefined;
  if (typeof answer !== 'boolean' && (typeof answer !== 'object' || answer === null || typeof answer.ready !== 'boolean')) {
    return notReady(`its readiness check returned ${JSON.stringify(answer) ?? String(answer)}; expected true, false or { ready, reason }`);
  }
  if (ready) return { state: 'ready', reason: `ready: ${reason ?? 'its readiness check said so'}`, httpStatus: 0 };
  return notReady(reason ?? 'its readiness check returned false');
}

/** "TypeError: fetch failed (cause: connect ECONNREFUSED 127.0.0.1:4100), at check (e2e/preflight.config.ts:14:22)". */
function describeThrow(error: unknown): string {
  if (!(error instanceof Error)) return JSON.stringify(error) ?? String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  // The first frame outside Node and preflight: the line of the user's own function.
  const frame = (error.stack ?? '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().replace(/^at /, ''))
    .find((line) => !/node:|\/harness\/readiness\/|node_modules/.test(line));
  return `${error.name}: ${error.message}${cause}${frame ? `, at ${frame.replace(/file:\/\//, '')}` : ''}`;
}

const notReady = (reason: string): ReadinessVerdict => ({ state: 'violation', reason: `not ready: ${reason}`, httpStatus: 0 });

function lastLine(output: string): string | undefined {
  return output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

// Runs the real demo database/backend/frontend as child processes for the selftests, and always tears them down.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Resolves with undefined after `ms`, without keeping the test process alive for it (a deadline, not a wait). */
export const deadline = (ms: number): Promise<undefined> => delay(ms, undefined, { ref: false });

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DemoProcess {
  readonly service: DemoService;
  readonly child: ChildProcess;
  readonly startedAt: number;
  readonly exited: Promise<ProcessExit>;
  /** Exit once it happened, else undefined. */
  exit(): ProcessExit | undefined;
  stdout(): string;
  stderr(): string;
  /** Both streams, for failure messages. */
  logs(): string;
  /** Resolves at its next output, or at its exit. */
  nextOutput(): Promise<void>;
}

export type DemoService = 'backend' | 'frontend' | 'database';

const running = new Set<DemoProcess>();

/** Starts `node --import tsx demo-app/<service>/server.ts` with only the given PREFLIGHT_/DEMO_ variables. */
export function startDemoProcess(service: DemoService, env: Record<string, string>): DemoProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) =>
      !/^(PREFLIGHT_|DEMO_)/.test(key) && !['NODE_ENV', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT'].includes(key)),
  );
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', `demo-app/${service}/server.ts`], {
    cwd: repoRoot,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const output = new EventEmitter();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), output.emit('data')));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), output.emit('data')));
  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('close', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', (error) => {
      stderr += `spawn error: ${error.message}\n`;
    });
  });
  const demo: DemoProcess = {
    service,
    child,
    startedAt,
    exited,
    exit: () => exit,
    stdout: () => stdout,
    stderr: () => stderr,
    logs: () => `--- ${service} stdout ---\n${stdout}--- ${service} stderr ---\n${stderr}`,
    nextOutput: () => Promise.race([once(output, 'data').then(() => undefined), exited.then(() => undefined)]),
  };
  running.add(demo);
  void exited.then(() => running.delete(demo));
  return demo;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with how the process ended. */
export async function stopDemoProcess(demo: DemoProcess, graceMs = 3000): Promise<ProcessExit> {
  if (demo.exit() === undefined) {
    demo.child.kill('SIGTERM');
    const stopped = await Promise.race([demo.exited, deadline(graceMs)]);
    if (stopped === undefined) demo.child.kill('SIGKILL');
  }
  return demo.exited;
}

export async function stopAllDemoProcesses(): Promise<void> {
  await Promise.all([...running].map((demo) => stopDemoProcess(demo)));
}

export interface ServedResponse {
  status: number;
  text: string;
  json(): any;
}

/**
 * Polls `url` until the process answers HTTP at all (any status), racing against its exit and a deadline.
 * Throws with the process's logs when it exits or the deadline passes first.
 */
export async function waitUntilServing(demo: DemoProcess, url: string, timeoutMs = 10_000): Promise<ServedResponse> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt yet';
  while (Date.now() < deadline) {
    const exit = demo.exit();
    if (exit) throw new Error(`${demo.service} exited (code ${exit.code}, signal ${exit.signal}) before serving ${url}\n${demo.logs()}`);
    try {
      return await request(url);
    } catch (error) {
      lastError = String((error as { cause?: unknown }).cause ?? error);
    }
    await Promise.race([delay(50), demo.exited]);
  }
  throw new Error(`${demo.service} did not serve ${url} within ${timeoutMs} ms (last error: ${lastError})\n${demo.logs()}`);
}

/** Waits for the process to exit by itself within `timeoutMs`. */
export async function waitForExit(demo: DemoProcess, timeoutMs = 10_000): Promise<ProcessExit> {
  const result = await Promise.race([demo.exited, deadline(timeoutMs)]);
  if (result === undefined) throw new Error(`${demo.service} still running after ${timeoutMs} ms\n${demo.logs()}`);
  return result;
}

/** Waits until `pattern` appears in the process's stdout or stderr: checked at each output, until its exit or the deadline. */
export async function waitForOutput(demo: DemoProcess, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const passed = deadline(timeoutMs).then(() => true);
  for (;;) {
    // Listen before looking, so output between the two is not missed.
    const next = demo.nextOutput().then(() => false);
    const match = pattern.exec(demo.stdout() + demo.stderr());
    if (match) return match[0];
    if (demo.exit() || (await Promise.race([next, passed]))) break;
  }
  throw new Error(`${demo.service} never printed ${pattern}\n${demo.logs()}`);
}

export async function request(url: string, init: RequestInit = {}): Promise<ServedResponse> {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000), ...init });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<ServedResponse> {
  return request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<ServedResponse> {
  return request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/**
 * A folder for the demo database: PostgreSQL runs as the user postgres when we are root, so the folder (made 0700
 * by mkdtemp) is opened to every user.
 */
export async function databaseDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'preflight-db-'));
  await chmod(dir, 0o755);
  return dir;
}

export interface RunningDatabase {
  process: DemoProcess;
  /** PREFLIGHT_DATABASE_URL */
  url: string;
  port: number;
  dir: string;
}

/** Starts the demo database on `port` in `dir` (new ones by default) and waits for its listening line. */
export async function startDatabase(options: { port: number; dir?: string; env?: Record<string, string> }): Promise<RunningDatabase> {
  const dir = options.dir ?? (await databaseDir());
  const url = `tcp://127.0.0.1:${options.port}`;
  const demo = startDemoProcess('database', { PREFLIGHT_DATABASE_URL: url, DEMO_DB_DIR: dir, ...options.env });
  await waitForOutput(demo, /\[demo-database\] listening on /, 60_000);
  return { process: demo, url, port: options.port, dir };
}

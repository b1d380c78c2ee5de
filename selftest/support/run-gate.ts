// Runs the real gate, `npx playwright test`, as a subprocess on free ports with its own reports folder,
// the way Playwright's own tests run its runner. Several gates can run side by side.
import fs from 'node:fs';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot, startDatabase, stopDemoProcess } from './demo-process.ts';
import { freePort } from './ports.ts';
import { contentDigest, sharedBuild } from './shared-build.ts';

export interface GateRun {
  exitCode: number | undefined;
  signal: string | undefined;
  /** stdout and stderr interleaved, as a person would see them. */
  output: string;
  durationMs: number;
  reportsDir: string;
  backendUrl: string;
  frontendUrl: string;
  databaseUrl: string;
  /** reports/verdict.json, if the run wrote one. */
  verdict: any;
  /** Value of GATE_MARK_VAR in the gate's environment: every process of the run inherits it (see leftovers.ts). */
  mark: string;
}

/** Set in every gate's environment, so the processes a run left behind can be found. */
export const GATE_MARK_VAR = 'SELFTEST_GATE_MARK';

export interface GateOptions {
  env?: Record<string, string>;
  args?: string[];
  timeoutMs?: number;
  /** Runs while the gate runs; the gate is then the leader of its own process group (to signal it like a terminal does). */
  during?(gate: { pid: number; reportsDir: string }): Promise<void>;
}

let databaseTemplate: Promise<string> | undefined;

/**
 * A demo database cluster initialised once for every test process (support/shared-build.ts) and copied (ownership
 * kept) into each gate's data folder: a gate run then measures a PostgreSQL start, not an initdb
 * (selftest/e2e/demo-app.test.ts tests initdb). Made again when the demo, the harness or PostgreSQL's package change.
 */
function initialisedCluster(): Promise<string> {
  databaseTemplate ??= sharedBuild({
    kind: 'demo-database',
    // PostgreSQL's version is in the lock file.
    digest: contentDigest(['demo-app', 'harness', 'package-lock.json']),
    async make(dir) {
      const database = await startDatabase({ port: await freePort(), dir });
      await stopDemoProcess(database.process);
    },
  });
  return databaseTemplate;
}

/** The environment a gate runs in: no PREFLIGHT_/DEMO_ variables leak in from the caller. */
export async function gateEnvironment(extra: Record<string, string> = {}) {
  // One folder per gate: its reports (new, so preflight may own it: docs/safety.md), its demo data and its history beside them.
  const gateDir = await mkdtemp(path.join(tmpdir(), 'preflight-gate-'));
  // The demo database keeps its cluster below (DEMO_DATA_DIR); PostgreSQL runs as the user postgres when we are root.
  await chmod(gateDir, 0o755);
  const reportsDir = path.join(gateDir, 'reports');
  const backendUrl = `http://127.0.0.1:${await freePort()}`;
  const frontendUrl = `http://127.0.0.1:${await freePort()}`;
  const databaseUrl = `tcp://127.0.0.1:${await freePort()}`;
  const dataDir = path.join(gateDir, 'demo-data');
  fs.mkdirSync(dataDir);
  await promisify(execFile)('cp', ['-a', await initialisedCluster(), path.join(dataDir, 'postgres')]);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(PREFLIGHT_|DEMO_|NODE_TEST_CONTEXT$|NODE_OPTIONS$)/.test(key)),
  );
  const env = {
    ...inherited,
    PREFLIGHT_REPORTS_DIR: reportsDir,
    PREFLIGHT_BACKEND_URL: backendUrl,
    PREFLIGHT_FRONTEND_URL: frontendUrl,
    PREFLIGHT_DATABASE_URL: databaseUrl,
    DEMO_DATA_DIR: dataDir,
    // Each gate its own history, not the project's (docs/history.md).
    PREFLIGHT_HISTORY_FILE: path.join(gateDir, 'history.jsonl'),
    [GATE_MARK_VAR]: randomUUID(),
    // One spec file at a time: npm test runs several gates at once already, and the machine has few cores. Tests of
    // the default (spec files at once, one shared browser) pass PREFLIGHT_WORKERS: '' (unset), as the bench and the soak do.
    PREFLIGHT_WORKERS: '1',
    ...extra,
  };
  return { env, reportsDir, backendUrl, frontendUrl, databaseUrl: env.PREFLIGHT_DATABASE_URL, mark: env[GATE_MARK_VAR] };
}

export async function runGate(options: GateOptions = {}): Promise<GateRun> {
  const { env, reportsDir, backendUrl, frontendUrl, databaseUrl, mark } = await gateEnvironment(options.env);
  const started = Date.now();
  const subprocess = execa('npx', ['playwright', 'test', ...(options.args ?? [])], {
    cwd: repoRoot,
    env,
    extendEnv: false,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 120_000,
    detached: options.during !== undefined,
  });
  const during = options.during?.({ pid: subprocess.pid!, reportsDir }).then(() => undefined, (error: unknown) => error);
  const result = await subprocess;
  const duringError = await during;
  if (duringError) throw duringError;
  return gateRunResult(result, { started, reportsDir, backendUrl, frontendUrl, databaseUrl, mark });
}

/** What a finished `playwright test` or `merge-reports` subprocess tells: its exit, output and verdict.json. */
export function gateRunResult(
  result: { exitCode?: number; signal?: string; all?: string },
  run: { started: number; reportsDir: string; backendUrl: string; frontendUrl: string; databaseUrl: string; mark: string },
): GateRun {
  const verdictFile = path.join(run.reportsDir, 'verdict.json');
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    output: result.all ?? '',
    durationMs: Date.now() - run.started,
    reportsDir: run.reportsDir,
    backendUrl: run.backendUrl,
    frontendUrl: run.frontendUrl,
    databaseUrl: run.databaseUrl,
    verdict: fs.existsSync(verdictFile) ? JSON.parse(fs.readFileSync(verdictFile, 'utf8')) : undefined,
    mark: run.mark,
  };
}

/** A message for assert failures: the exit code and the last lines of the run. */
export function explain(run: GateRun): string {
  return `exit ${run.exitCode} after ${run.durationMs} ms; last output:\n${run.output.split('\n').slice(-40).join('\n')}`;
}

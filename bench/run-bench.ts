// `npm run bench`: preflight against Playwright's own webServer, side by side in one run, on this machine.
// Alternates N runs of each on the same scenario and reports medians, ranges, and the wall-time ratio.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { chooseChromium } from '../harness/browser/chromium.ts';
import { defaultConfig, loadConfig, longestChain, parseConfig } from '../harness/config/load-config.ts';
import { type ServiceConfig } from '../harness/config/types.ts';
import { reportPaths } from '../harness/core/report-paths.ts';
import { gateEnvironment } from '../selftest/support/run-gate.ts';
import { databaseDir, repoRoot, startDatabase, stopDemoProcess } from '../selftest/support/demo-process.ts';
import { loadGateFile } from '../harness/config/gate-file.ts';
import { freePort } from '../selftest/support/ports.ts';
import { sampleTree, stillAlive } from './process-tree.ts';
import { formatChainTable, formatDistance, formatGoals, formatTable, judgeGoals, range, summarize, type RunLike } from './summary.ts';

/**
 * A backend and a frontend that take 1.5 s and 1.0 s to start listening (issue 7's scenario), after the database.
 * BENCH_DEMO_FAULT replaces it (empty: the demo as it is, nothing slowed).
 */
const SCENARIO = process.env.BENCH_DEMO_FAULT ?? 'backend:slow-start=1500,frontend:slow-start=1000';
const SAMPLE_EVERY_MS = 25;

/**
 * A dependency chain (issue 11): the shop of selftest/fixtures/shop, its database 1.0 s to listen, then its backend
 * (which needs the database) answering "down" for 0.5 s; its frontend 1.0 s to listen, in parallel.
 */
const CHAIN = {
  config: 'selftest/fixtures/shop/configs/shop.config.ts',
  env: { SHOP_DATABASE_STARTUP_MS: '1000', SHOP_WARM_UP_MS: '500', SHOP_FRONTEND_STARTUP_MS: '1000' },
  baselineConfig: 'bench/webserver-chain.config.ts',
};

type Contender = 'preflight' | 'baseline';
type Scenario = 'two-services' | 'chain';

interface RunFigures extends RunLike {
  exitCode: number | undefined;
  /** First spec body's start to the last spec's end: the specs' own time (one after another in webServer's run). */
  specsMs?: number;
  /** webServer's runs only: the longest spec's body, start to end. */
  longestSpecMs?: number;
  /** preflight only: how far its first spec was from the chain's limit, and the wall time had it begun there. */
  chain?: ChainFigures;
}

/** One demo database cluster for every run, initialised before the first: each run measures a start, not an initdb. */
let benchDbDir = '';

async function scenarioEnvironment(scenario: Scenario, contender: Contender, timingFile: string) {
  // The gate as users run it: its default workers (PREFLIGHT_WORKERS unset), or BENCH_PREFLIGHT_WORKERS.
  const common = { BENCH_TIMING_FILE: timingFile, PREFLIGHT_WORKERS: process.env.BENCH_PREFLIGHT_WORKERS ?? '', ...(contender === 'baseline' ? { DEBUG: 'pw:webserver', DEBUG_COLORS: 'false' } : {}) };
  if (scenario === 'two-services') return gateEnvironment({ DEMO_FAULT: SCENARIO, DEMO_DB_DIR: benchDbDir, ...common });
  return gateEnvironment({ PREFLIGHT_CONFIG: CHAIN.config, PREFLIGHT_DATABASE_URL: `tcp://127.0.0.1:${await freePort()}`, ...CHAIN.env, ...common });
}

async function runOnce(contender: Contender, scenario: Scenario = 'two-services'): Promise<RunFigures> {
  const timingFile = path.join(os.tmpdir(), `preflight-bench-timing-${process.pid}-${Date.now()}.json`);
  const { env, reportsDir } = await scenarioEnvironment(scenario, contender, timingFile);
  const baselineConfig = scenario === 'chain' ? CHAIN.baselineConfig : 'bench/webserver-baseline.config.ts';
  const args = ['playwright', 'test', ...(contender === 'baseline' ? ['--config', baselineConfig] : [])];

  const started = Date.now();
  const child = execa('npx', args, { cwd: repoRoot, env, extendEnv: false, reject: false, all: true, stdin: 'ignore' });
  const seen = new Set<number>();
  let peakRss = 0;
  const sampler = setInterval(() => {
    if (!child.pid) return;
    const tree = sampleTree(child.pid);
    tree.pids.forEach((pid) => seen.add(pid));
    peakRss = Math.max(peakRss, tree.rssBytes);
  }, SAMPLE_EVERY_MS);
  const result = await child;
  const ended = Date.now();
  clearInterval(sampler);
  // A process of the run that outlives the runner is a leak; give the kernel a moment to reap what was killed.
  const leftovers = await settleLeftovers(seen);

  const output = result.all ?? '';
  const listenedAt = listeningTimes(contender, output, reportsDir);
  let declaredReady: { backend?: number; frontend?: number };
  let timing: { firstTestStartedAt?: number; lastTestEndedAt?: number; longestSpecMs?: number } = {};
  let chain: ChainFigures | undefined;
  if (contender === 'preflight') {
    const verdict = JSON.parse(fs.readFileSync(reportPaths(repoRoot, { PREFLIGHT_REPORTS_DIR: reportsDir }).verdict, 'utf8'));
    chain = chainFigures(verdict, env, started, ended);
    declaredReady = Object.fromEntries(verdict.services.map((s: { name: string; readyAt: string }) => [s.name, Date.parse(s.readyAt)]));
    timing = { firstTestStartedAt: Date.parse(verdict.timing?.firstTestStartedAt), lastTestEndedAt: Date.parse(verdict.timing?.lastTestEndedAt) };
  } else {
    // webServer boots in config order and logs "WebServer available" once per server.
    const available = [...output.matchAll(/^(\S+) pw:webserver WebServer available/gm)].map((m) => Date.parse(m[1]));
    const order = demoServices().map((service) => service.name);
    declaredReady = { backend: available[order.indexOf('backend')], frontend: available[order.indexOf('frontend')] };
    if (fs.existsSync(timingFile)) timing = JSON.parse(fs.readFileSync(timingFile, 'utf8'));
  }
  fs.rmSync(timingFile, { force: true });
  fs.rmSync(reportsDir, { recursive: true, force: true });

  // From the moment it could first be judged ready: listening, and what it is judged ready after (readyAfter) ready.
  const readyAfter: Record<string, string[]> = contender === 'preflight' ? Object.fromEntries(demoServices().map((service) => [service.name, service.readyAfter])) : {};
  const delay = (name: 'backend' | 'frontend') => {
    const listened = listenedAt[name];
    const ready = declaredReady[name];
    if (listened === undefined || ready === undefined || !Number.isFinite(ready)) return undefined;
    const waitedFor = (readyAfter[name] ?? []).map((dependency) => declaredReady[dependency as 'backend' | 'frontend'] ?? -Infinity);
    return ready - Math.max(listened, ...waitedFor);
  };
  return {
    exitCode: result.exitCode,
    wallMs: ended - started,
    firstTestMs: Number.isFinite(timing.firstTestStartedAt) ? timing.firstTestStartedAt! - started : undefined,
    longestSpecMs: timing.longestSpecMs,
    specsMs: Number.isFinite(timing.firstTestStartedAt) && Number.isFinite(timing.lastTestEndedAt) ? timing.lastTestEndedAt! - timing.firstTestStartedAt! : undefined,
    readinessDelayMs: { backend: delay('backend'), frontend: delay('frontend') },
    teardownMs: Number.isFinite(timing.lastTestEndedAt) ? ended - timing.lastTestEndedAt! : undefined,
    peakMemoryMb: Math.round(peakRss / 1024 / 1024),
    leftoverProcesses: leftovers.length,
    chain,
  };
}

interface ChainFigures {
  /** Command start to the first service's spawn: the runner's own start. */
  runnerStartMs: number;
  /** Each service's own time to ready, summed along the longest dependency chain. */
  longestChainMs: number;
  /** runner start + longest chain: no gate could begin its specs sooner (the specs themselves add the same to both). */
  limitMs: number;
  /** Command start to the first spec's body. */
  firstSpecMs: number;
  /** firstSpecMs - limitMs. */
  distanceMs: number;
  /** This run's wall time had its first spec begun at the limit: its specs and teardown after the limit. */
  floorWallMs: number;
}

/**
 * preflight's distance to the chain's limit, from its verdict.json and the gate configuration. A service's own time
 * to ready is its msToReady; for one judged ready after others (readyAfter), only its time after they were ready,
 * since it started with them (its wait for them is already in the chain).
 */
function chainFigures(verdict: any, env: Record<string, string>, started: number, ended: number): ChainFigures | undefined {
  const loaded = parseConfig(env, loadGateFile(env));
  if (!loaded.ok) return undefined;
  const records = new Map<string, { spawnedAt: string; readyAt: string; msToReady: number }>(verdict.services.map((record: any) => [record.name, record]));
  const runnerStartMs = Math.min(...[...records.values()].map((record) => Date.parse(record.spawnedAt))) - started;
  const ownTime = (service: ServiceConfig): number => {
    const record = records.get(service.name);
    if (!record) return NaN;
    if (!service.readyAfter.length) return record.msToReady;
    const couldBeReady = Math.max(Date.parse(record.spawnedAt), ...service.readyAfter.map((name) => Date.parse(records.get(name)?.readyAt ?? '')));
    return Math.max(0, Date.parse(record.readyAt) - couldBeReady);
  };
  const longestChainMs = longestChain(loaded.config.services, ownTime);
  const limitMs = runnerStartMs + longestChainMs;
  const firstSpecMs = Date.parse(verdict.timing?.firstTestStartedAt) - started;
  return { runnerStartMs, longestChainMs, limitMs, firstSpecMs, distanceMs: firstSpecMs - limitMs, floorWallMs: limitMs + (ended - started - firstSpecMs) };
}

/**
 * The figures of preflight's runs against the chain's limit, the ratio a gate at the limit would reach, and the serial
 * limit: the chain's limit, then the specs one after another (as long as webServer's run of them took, its median),
 * then preflight's teardown. No gate that runs the same specs one after another can end sooner.
 */
function distanceFigures(runs: RunFigures[], baseline: ReturnType<typeof summarize>, baselineRuns: RunFigures[]) {
  const floorWallMs = range(runs.map((run) => run.chain?.floorWallMs));
  const serialSpecsMs = range(baselineRuns.map((run) => run.specsMs)).median;
  const serialLimit = (run: RunFigures) => (run.chain && run.teardownMs !== undefined ? run.chain.limitMs + serialSpecsMs + run.teardownMs : undefined);
  // With the specs at once, no gate ends before its longest spec has run after the chain's limit.
  const longestSpecMs = range(baselineRuns.map((run) => run.longestSpecMs)).median;
  const parallelLimit = (run: RunFigures) => (run.chain && run.teardownMs !== undefined ? run.chain.limitMs + longestSpecMs + run.teardownMs : undefined);
  const parallelLimitMs = range(runs.map(parallelLimit));
  return {
    longestSpecMs,
    parallelLimitMs,
    parallelLimitRatio: Math.round((parallelLimitMs.median / baseline.wallMs.median) * 100) / 100,
    serialSpecsMs,
    serialLimitMs: range(runs.map(serialLimit)),
    belowSerialLimitMs: range(runs.map((run) => (serialLimit(run) === undefined ? undefined : serialLimit(run)! - run.wallMs))),
    limitRatio: range(runs.map((run) => (run.chain ? (run.chain.firstSpecMs / run.chain.limitMs) * 1000 : undefined))),
    limitMs: range(runs.map((run) => run.chain?.limitMs)),
    firstSpecMs: range(runs.map((run) => run.chain?.firstSpecMs)),
    distanceMs: range(runs.map((run) => run.chain?.distanceMs)),
    runnerStartMs: range(runs.map((run) => run.chain?.runnerStartMs)),
    longestChainMs: range(runs.map((run) => run.chain?.longestChainMs)),
    floorWallMs,
    floorRatio: Math.round((floorWallMs.median / baseline.wallMs.median) * 100) / 100,
  };
}

/** The demo's services as the gate configuration declares them, in its order (the order webServer boots them in). */
function demoServices(): ServiceConfig[] {
  const loaded = loadConfig();
  return (loaded.ok ? loaded.config : defaultConfig()).services;
}

/** When each demo service printed `listening on ... (pid N, t=<epoch ms>)`. */
function listeningTimes(contender: Contender, output: string, reportsDir: string): { backend?: number; frontend?: number } {
  const text =
    contender === 'preflight'
      ? ['backend', 'frontend'].map((name) => readIfExists(path.join(reportsDir, 'logs', `${name}.log`))).join('\n')
      : output;
  const times: { backend?: number; frontend?: number } = {};
  for (const match of text.matchAll(/\[demo-(backend|frontend)\] listening on \S+ \(pid \d+, t=(\d+)\)/g)) {
    times[match[1] as 'backend' | 'frontend'] = Number(match[2]);
  }
  return times;
}

function readIfExists(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** A bare `npx playwright test --list` (bench/bare/): Playwright's own start, the yardstick of preflight's runner start. */
async function bareListMs(): Promise<number> {
  const started = Date.now();
  const result = await execa('npx', ['playwright', 'test', '--list', '--config', 'bench/bare/playwright.config.ts'], { cwd: repoRoot, reject: false, stdin: 'ignore', env: gateEnvironmentless() });
  if (result.exitCode !== 0) throw new Error(`bench: the bare listing failed (exit ${result.exitCode}):\n${result.stderr}`);
  return Date.now() - started;
}

/** The environment without preflight's variables: the bare runner is Playwright alone. */
function gateEnvironmentless(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PREFLIGHT_')));
}

async function settleLeftovers(pids: Set<number>): Promise<number[]> {
  const deadline = Date.now() + 2_000;
  let alive = stillAlive(pids);
  while (alive.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    alive = stillAlive(pids);
  }
  return alive;
}

function machine() {
  const cpus = os.cpus();
  const chromium = chooseChromium(undefined);
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    playwright: JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/@playwright/test/package.json'), 'utf8')).version,
    browser: chromium.kind === 'missing' ? 'none' : `${chromium.kind}: ${browserVersion(chromium.executablePath)}`,
  };
}

function browserVersion(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return binary;
  }
}

async function main(): Promise<number> {
  const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 5);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`bench: the number of runs must be a positive whole number, got ${process.argv[2] ?? process.env.BENCH_RUNS}`);
    return 3;
  }
  console.log(`bench: ${runs} runs each of preflight and Playwright's webServer, alternating; scenario DEMO_FAULT=${SCENARIO || '(none: the demo as it is)'}`);
  benchDbDir = await databaseDir();
  const warmUp = await startDatabase({ port: await freePort(), dir: benchDbDir });
  await stopDemoProcess(warmUp.process);
  const figures: Record<Contender, RunFigures[]> = { preflight: [], baseline: [] };
  const bareList: number[] = [];
  for (let round = 0; round < runs; round++) {
    // Alternate which goes first, so neither always runs on a warmer machine.
    const order: Contender[] = round % 2 === 0 ? ['preflight', 'baseline'] : ['baseline', 'preflight'];
    for (const contender of order) {
      const run = await runOnce(contender);
      figures[contender].push(run);
      console.log(`  round ${round + 1} ${contender.padEnd(9)} exit ${run.exitCode}, wall ${run.wallMs} ms`);
    }
    bareList.push(await bareListMs());
    console.log(`  round ${round + 1} bare \`npx playwright test --list\` ${bareList.at(-1)} ms`);
  }
  const preflight = summarize(figures.preflight);
  const baseline = summarize(figures.baseline);
  const ratio = Math.round((preflight.wallMs.median / baseline.wallMs.median) * 100) / 100;
  const distance = distanceFigures(figures.preflight, baseline, figures.baseline);

  console.log(`\nbench: ${runs} runs each on a dependency chain (${CHAIN.config}: database, then backend; frontend in parallel) against webServer's array form`);
  const chainRuns: Record<Contender, RunFigures[]> = { preflight: [], baseline: [] };
  for (let round = 0; round < runs; round++) {
    const order: Contender[] = round % 2 === 0 ? ['preflight', 'baseline'] : ['baseline', 'preflight'];
    for (const contender of order) {
      const run = await runOnce(contender, 'chain');
      chainRuns[contender].push(run);
      console.log(`  round ${round + 1} ${contender.padEnd(9)} exit ${run.exitCode}, wall ${run.wallMs} ms${run.chain ? `, ${run.chain.distanceMs} ms from the chain's limit` : ''}`);
    }
  }
  const chainPreflight = summarize(chainRuns.preflight);
  const chainBaseline = summarize(chainRuns.baseline);
  const chainRatio = Math.round((chainPreflight.wallMs.median / chainBaseline.wallMs.median) * 100) / 100;
  const chainDistance = distanceFigures(chainRuns.preflight, chainBaseline, chainRuns.baseline);
  const chain = { scenario: CHAIN, preflight: chainPreflight, baseline: chainBaseline, ratio: chainRatio, distance: chainDistance, raw: chainRuns };
  const goals = judgeGoals({ ratio, chainDistance, runnerStartMs: distance.runnerStartMs.median, bareListMs: range(bareList).median, preflight, baseline });
  const report = { measuredAt: new Date().toISOString(), machine: machine(), scenario: SCENARIO, runs, preflight, baseline, ratio, distance, bareListMs: range(bareList), goals, raw: figures, chain };
  const out = reportPaths(repoRoot);
  fs.mkdirSync(out.dir, { recursive: true });
  const file = path.join(out.dir, 'bench.json');
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  fs.rmSync(benchDbDir, { recursive: true, force: true });
  console.log(`\n${formatTable(preflight, baseline, ratio, report.machine)}\n${formatDistance(distance)}`);
  console.log(`\ndependency chain:\n${formatChainTable(chainPreflight, chainBaseline, chainRatio, chainDistance)}`);
  console.log(`\n${formatGoals(goals)}\n\nwritten: ${path.relative(process.cwd(), file)}`);
  const failed = [...figures.preflight, ...figures.baseline, ...chainRuns.preflight, ...chainRuns.baseline].filter((run) => run.exitCode !== 0).length;
  if (failed) console.error(`bench: ${failed} run(s) did not exit 0: the figures compare runs that did not all pass.`);
  return failed ? 1 : 0;
}

process.exitCode = await main();

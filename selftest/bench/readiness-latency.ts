// How fast the gate sees a service become ready: per run and service, the time from spawn to ready, and the
// lag between the demo's own "listening ... t=<epoch ms>" line and the moment preflight declared it ready.
// Usage: node --import tsx selftest/bench/readiness-latency.ts [runs=5]
import fs from 'node:fs';
import path from 'node:path';
import { explain, runGate } from '../support/run-gate.ts';

const runs = Number(process.argv[2] ?? 5);
const lags: number[] = [];
console.log('run  service    spawn->ready ms  listening->ready ms');
for (let i = 1; i <= runs; i++) {
  const run = await runGate();
  if (run.exitCode !== 0) throw new Error(`run ${i} did not pass: ${explain(run)}`);
  for (const service of run.verdict.services) {
    const log = fs.readFileSync(path.join(run.reportsDir, 'logs', `${service.name}.log`), 'utf8');
    const listeningAt = Number(/listening on \S+ \(pid \d+, t=(\d+)\)/.exec(log)?.[1]);
    const lag = Date.parse(service.readyAt) - listeningAt;
    lags.push(lag);
    console.log(`${String(i).padEnd(4)} ${service.name.padEnd(10)} ${String(service.msToReady).padStart(15)}  ${String(lag).padStart(19)}`);
  }
}
lags.sort((a, b) => a - b);
console.log(`listening->ready over ${lags.length} samples: median ${lags[Math.floor(lags.length / 2)]} ms, max ${lags.at(-1)} ms`);

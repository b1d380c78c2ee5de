// `node --import tsx selftest/support/time-gate.ts [runs]`: the whole gate on the bundled demo app (three services,
// the full recorded flow), run N times on free ports; prints each wall time and the median. For people, not asserted.
import { explain, runGate } from './run-gate.ts';

const runs = Number(process.argv[2] ?? 5);
const times: number[] = [];
for (let index = 0; index < runs; index++) {
  const run = await runGate();
  if (run.exitCode !== 0) throw new Error(`run ${index + 1} did not pass: ${explain(run)}`);
  times.push(run.durationMs);
  console.log(`run ${index + 1}: exit ${run.exitCode} in ${run.durationMs} ms`);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`median ${sorted[Math.floor(sorted.length / 2)]} ms (min ${sorted[0]}, max ${sorted.at(-1)}) over ${runs} runs`);

// `npm run bench:browser-evidence [N]`: what the browser-evidence collector costs per spec. The same spec (a fresh
// context, the foreign fixture app's broken page and its clean page) runs N times with and N times without the
// collector, alternating, in one Chromium; prints the medians and their difference (docs/browser-evidence.md).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chromium, type Browser } from '@playwright/test';
import { chooseChromium, chromiumLaunchOptions } from '../harness/browser/chromium.ts';
import { BrowserEvidenceCollector } from '../harness/browser-evidence/collector.ts';
import { freePort } from '../selftest/support/ports.ts';
import { repoRoot } from '../selftest/support/demo-process.ts';

const rounds = Number(process.argv[2] ?? 40);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function spec(browser: Browser, origin: string, withCollector: boolean): Promise<{ ms: number; watchMs: number; handlerMs: number; seen: number }> {
  const started = performance.now();
  const context = await browser.newContext({ baseURL: origin });
  const collector = new BrowserEvidenceCollector([origin]);
  // Times the collector's own listeners: the work it adds to every event the spec's browser sends.
  let handlerMs = 0;
  const on = context.on.bind(context) as (event: string, listener: (...args: unknown[]) => void) => unknown;
  (context as any).on = (event: string, listener: (...args: unknown[]) => void) =>
    on(event, (...args) => {
      const handlerStarted = performance.now();
      listener(...args);
      handlerMs += performance.now() - handlerStarted;
    });
  const watchStarted = performance.now();
  if (withCollector) await collector.watch(context);
  const watchMs = performance.now() - watchStarted;
  const page = await context.newPage();
  await page.goto('/broken');
  await page.locator('body[data-done=yes]').waitFor({ state: 'attached' });
  await page.goto('/clean');
  await page.getByRole('heading', { name: 'All clean' }).waitFor();
  await context.close();
  if (process.env.BENCH_SHOW_EVIDENCE) console.log(collector.items);
  return { ms: performance.now() - started, watchMs, handlerMs, seen: collector.count };
}

const origin = `http://127.0.0.1:${await freePort()}`;
const app = spawn(process.execPath, ['--import', 'tsx', 'selftest/fixtures/browser-errors/app.ts', 'BENCH_APP_URL'], {
  cwd: repoRoot,
  env: { ...process.env, BENCH_APP_URL: origin },
  stdio: ['ignore', 'pipe', 'inherit'],
});
// However this script ends (an error, a closed pipe), the app it started ends with it.
process.on('exit', () => app.kill('SIGTERM'));
try {
  const [line] = (await once(app.stdout!, 'data')) as [Buffer];
  if (!line.toString().startsWith('listening')) throw new Error(`the fixture app did not start: ${line}`);
  const browser = await chromium.launch(chromiumLaunchOptions(chooseChromium(process.env.PREFLIGHT_CHROMIUM_PATH)));
  try {
    await spec(browser, origin, true); // warm-up: the first context pays for the browser's own start
    const times = { with: [] as number[], without: [] as number[], watch: [] as number[], handlers: [] as number[] };
    let seen = 0;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [true, false] : [false, true];
      for (const withCollector of order) {
        const result = await spec(browser, origin, withCollector);
        (withCollector ? times.with : times.without).push(result.ms);
        if (withCollector) [seen] = [result.seen, times.watch.push(result.watchMs), times.handlers.push(result.handlerMs)];
      }
    }
    const [withMs, withoutMs] = [median(times.with), median(times.without)];
    console.log(`browser evidence overhead, ${rounds} specs each way (2 pages per spec, ${seen} problems seen per spec):`);
    console.log(`  median per spec without the collector: ${withoutMs.toFixed(1)} ms`);
    console.log(`  median per spec with the collector:    ${withMs.toFixed(1)} ms`);
    const quartiles = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `${sorted[Math.floor(sorted.length / 4)].toFixed(0)}-${sorted[Math.floor((sorted.length * 3) / 4)].toFixed(0)} ms`;
    };
    console.log(`  spread (quartiles): without ${quartiles(times.without)}, with ${quartiles(times.with)}`);
    console.log(`  overhead per spec, end to end: ${(withMs - withoutMs).toFixed(1)} ms (ratio ${(withMs / withoutMs).toFixed(3)}; budget 5 ms)`);
    console.log(`  the collector's own work per spec: setting it up (listeners, init script) median ${median(times.watch).toFixed(2)} ms,`);
    console.log(`    its listeners for the spec's events median ${median(times.handlers).toFixed(2)} ms: ${(median(times.watch) + median(times.handlers)).toFixed(2)} ms (budget 5 ms)`);
  } finally {
    await browser.close();
  }
} finally {
  app.kill('SIGTERM');
}

// The boot as a person watches it: real gate runs (`npx playwright test`, output not a terminal, as in CI logs)
// against the ticket office (selftest/fixtures/ticketing: a ledger that replays its journal before it accepts TCP
// connections, a fares API that answers "down" while it loads, a kiosk judged ready after the fares API), under
// the list reporter and under the line reporter CI gets. Each service's start and readiness, and what a service
// still awaited waits for, are printed between Playwright's "Running" line and the first spec's result.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { leftoverProcesses } from '../support/leftovers.ts';
import { freePort } from '../support/ports.ts';
import { explain, runGate, type GateRun } from '../support/run-gate.ts';

const CONFIG = 'selftest/fixtures/ticketing/gate.config.ts';

async function runTicketing(env: Record<string, string>): Promise<{ run: GateRun; text: string; urls: Record<string, string> }> {
  const urls = {
    ledger: `tcp://127.0.0.1:${await freePort()}`,
    fares: `http://127.0.0.1:${await freePort()}`,
    kiosk: `http://127.0.0.1:${await freePort()}`,
  };
  const run = await runGate({
    env: { PREFLIGHT_CONFIG: CONFIG, PREFLIGHT_LEDGER_URL: urls.ledger, PREFLIGHT_FARES_URL: urls.fares, PREFLIGHT_KIOSK_URL: urls.kiosk, ...env },
  });
  assert.deepEqual(leftoverProcesses(run), [], `nothing of the run is left\n${explain(run)}`);
  // What a CI log viewer shows: the line reporter's cursor movements and the colours taken out.
  return { run, text: run.output.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''), urls };
}

interface ProgressLine {
  at: number;
  seconds: number;
  service: string;
  text: string;
}

function progressLines(text: string): ProgressLine[] {
  return [...text.matchAll(/^\[preflight \+(\d+\.\d)s\] ([\w-]+): (.*)$/gm)].map((match) => ({
    at: match.index!,
    seconds: Number(match[1]),
    service: match[2]!,
    text: match[3]!,
  }));
}

/** The index of the first line of `service` matching `pattern`, asserting there is one. */
function find(lines: ProgressLine[], service: string, pattern: RegExp, context: string): number {
  const index = lines.findIndex((line) => line.service === service && pattern.test(line.text));
  assert.ok(index >= 0, `no progress line "${service}: ${pattern}"\n${context}`);
  return index;
}

function assertBootTold(text: string, urls: Record<string, string>, firstResult: RegExp): void {
  const lines = progressLines(text);
  const context = text.split('\n').slice(0, 40).join('\n');
  const port = (url: string) => new URL(url).port;

  assert.ok(lines.length > 0, `no progress line at all\n${context}`);
  const running = text.search(/^Running 1 test using 1 worker/m);
  assert.ok(running >= 0 && running < lines[0]!.at, `the progress follows Playwright's "Running" line\n${context}`);
  for (let index = 1; index < lines.length; index++) assert.ok(lines[index]!.seconds >= lines[index - 1]!.seconds, `time since the start only grows\n${context}`);

  const ledgerStarting = find(lines, 'ledger', new RegExp(`^starting on ${urls.ledger}$`), context);
  const ledgerWaiting = find(lines, 'ledger', new RegExp(`^waiting \\d+\\.\\d s for a TCP connection on 127\\.0\\.0\\.1:${port(urls.ledger)}; last probe: connection refused`), context);
  const ledgerReady = find(lines, 'ledger', new RegExp(`^ready on ${urls.ledger}, \\d+\\.\\d s after it started: accepts TCP connections on 127\\.0\\.0\\.1:${port(urls.ledger)}$`), context);
  assert.ok(ledgerStarting < ledgerWaiting && ledgerWaiting < ledgerReady, context);

  const faresQueued = find(lines, 'fares', /^not started yet: it starts once ledger is ready \(dependsOn\)$/, context);
  const faresStarting = find(lines, 'fares', new RegExp(`^starting on ${urls.fares}$`), context);
  const faresWaiting = find(lines, 'fares', new RegExp(`^waiting \\d+\\.\\d s for ${urls.fares}/status/ready; last probe: HTTP 503, down: loading the fare tables$`), context);
  const faresReady = find(lines, 'fares', new RegExp(`^ready on ${urls.fares}, \\d+\\.\\d s after it started$`), context);
  assert.ok(faresQueued < faresStarting && ledgerReady < faresStarting && faresStarting < faresWaiting && faresWaiting < faresReady, context);

  const kioskStarting = find(lines, 'kiosk', new RegExp(`^starting on ${urls.kiosk}$`), context);
  find(lines, 'kiosk', new RegExp(`^waiting \\d+\\.\\d s for ${urls.kiosk}/; it is judged ready only after fares \\(readyAfter\\); last probe: `), context);
  const kioskReady = find(lines, 'kiosk', new RegExp(`^ready on ${urls.kiosk}, \\d+\\.\\d s after it started: answered HTTP 200$`), context);
  assert.ok(kioskStarting < ledgerReady, 'the kiosk, which depends on nothing, started with the ledger');
  assert.ok(faresReady < kioskReady, context);

  const allReady = text.indexOf('all 3 services ready; the specs start');
  assert.ok(allReady > lines[kioskReady]!.at, context);
  const result = text.search(firstResult);
  assert.ok(result > allReady, `every ready line comes before the first spec's result\n${context}`);
  assert.equal(lines.filter((line) => line.at > result).length, 0, 'no progress line after the specs began to report');
}

describe('the boot on the console, while it happens', { timeout: 5 * 60_000 }, () => {
  it('list reporter (a developer\'s run) and line reporter (CI): each service starting, awaited and ready, before the first result; the reports in start order', async () => {
    const [list, line] = await Promise.all([runTicketing({ CI: 'false' }), runTicketing({ CI: 'true' })]);
    // A gate of services named unlike the demo's passes (issue "any app"); the progress before its spec is the point here.
    assert.equal(list.run.exitCode, 0, explain(list.run));
    assert.equal(line.run.exitCode, 0, explain(line.run));
    assertBootTold(list.text, list.urls, /^\s+[✓✘]\s+1 \[local\]/m);
    assertBootTold(line.text, line.urls, /^\s+(1\) \[local\]|1 passed \()/m);

    // The same run's reports: the services in start order, and the TCP service's log saying where it serves.
    const started = list.run.verdict.services.map((service: { name: string; spawnedAt: string }) => [service.name, Date.parse(service.spawnedAt)] as const);
    assert.equal(started.at(-1)[0], 'fares', 'ledger and kiosk at once, fares once the ledger was ready');
    assert.ok(started.every(([, time]: readonly [string, number], index: number) => index === 0 || time >= started[index - 1][1]), JSON.stringify(started));
    const header = fs.readFileSync(path.join(list.run.reportsDir, 'logs', 'ledger.log'), 'utf8').split('\n')[0];
    assert.match(header!, new RegExp(`^# preflight: ledger started at \\S+, expected to serve ${list.urls.ledger}$`));
  });
});

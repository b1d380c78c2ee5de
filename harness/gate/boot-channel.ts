import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceRecord } from '../core/service-record.ts';
import type { BootOutcome } from '../services/boot.ts';
import type { BlockedWrite } from '../production/blocked-writes.ts';
import type { SharedBrowserAddress } from '../browser/shared-browser.ts';

/**
 * Services boot in the runner process while workers start and launch the browser; a worker asks this
 * loopback endpoint for the outcome, which answers as soon as the boot settles.
 */
export async function openBootChannel(
  outcome: Promise<BootOutcome>,
  liveServices: () => ServiceRecord[] = () => [],
  blockedWrites: () => BlockedWrite[] = () => [],
  sharedBrowser: Promise<SharedBrowserAddress | undefined> = Promise.resolve(undefined),
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    // The browser the workers share, once launched ({} when there is none: each worker launches its own).
    if (req.url === '/browser') {
      sharedBrowser.then(
        (browser) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(browser ? { wsEndpoint: browser.wsEndpoint, key: browser.key } : {})),
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
      );
      return;
    }
    // What the runner knows about the services now (e.g. one died during the run), asked before each spec.
    if (req.url === '/services') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(liveServices()));
      return;
    }
    // The writes the read-only proxy refused, asked after each spec by the worker that may have sent them.
    if (req.url === '/blocked-writes') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(blockedWrites()));
      return;
    }
    if (req.url !== '/boot') {
      res.writeHead(404).end();
      return;
    }
    outcome.then(
      (value) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value)),
      (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`boot failed: ${error.message}`),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/boot`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits (in a worker) for the boot outcome published by the runner. */
export async function awaitBootOutcome(channelUrl: string, timeoutMs: number): Promise<BootOutcome> {
  const { status, body } = await getLoopback(channelUrl, timeoutMs);
  if (status !== 200) throw new Error(body);
  return JSON.parse(body) as BootOutcome;
}

/** Asks (in a worker) for the writes to production the read-only proxy refused so far. */
export async function fetchBlockedWrites(channelUrl: string): Promise<BlockedWrite[]> {
  return JSON.parse((await getLoopback(new URL('/blocked-writes', channelUrl).href, 5_000)).body) as BlockedWrite[];
}

/**
 * In a worker, once the boot outcome arrived: what the services' log patterns captured (PREFLIGHT_<NAME>_<GROUP>) goes
 * into its environment, as webServer's wait.stdout does for the runner. Workers are forked before the boot settles,
 * so they cannot inherit it: specs read it in their body, hooks and fixtures, not at the top of the file.
 */
export function exportToWorker(outcome: BootOutcome, env: NodeJS.ProcessEnv = process.env): void {
  for (const service of outcome.services) Object.assign(env, service.exports);
}

/** Asks (in a worker) for the browser the runner launched for the workers; undefined when there is none. */
export async function fetchSharedBrowser(channelUrl: string): Promise<SharedBrowserAddress | undefined> {
  const answer = JSON.parse((await getLoopback(new URL('/browser', channelUrl).href, 30_000)).body) as Partial<SharedBrowserAddress>;
  return answer.wsEndpoint && answer.key ? { wsEndpoint: answer.wsEndpoint, key: answer.key } : undefined;
}

/** Asks (in a worker) for what the runner knows about the services now. */
export async function fetchLiveServices(channelUrl: string): Promise<ServiceRecord[]> {
  return JSON.parse((await getLoopback(new URL('/services', channelUrl).href, 5_000)).body) as ServiceRecord[];
}

/**
 * One GET of the runner's loopback channel with node:http: this module is loaded by every worker and, in a project
 * that loads the fixtures as CommonJS, through a require hook that a dynamic import() would not survive.
 */
function getLoopback(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`the boot channel ${url} did not answer within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

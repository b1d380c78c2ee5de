// Starts a demo server the way a real service would (and misbehaves on purpose when a fault says so),
// prints the listening line, and shuts down cleanly on SIGTERM/SIGINT.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { DemoFaults } from './faults.ts';
import { formatServiceUrl, listenAddressFromUrl } from './listen-address.ts';

export interface ServiceLaunch {
  logPrefix: string;
  server: Server;
  /** The URL the service is configured to serve at; host and port are taken from it. */
  serviceUrl: URL;
  faults: DemoFaults;
  /** Runs after the server stopped accepting connections, before exit 0 (e.g. finish pending writes). */
  onShutdown?: () => Promise<void>;
}

const shutdownGraceMs = 5000;

export async function launchService(launch: ServiceLaunch): Promise<void> {
  const { logPrefix, server, faults } = launch;
  installShutdown(launch);

  if (faults.crashOnStart) {
    console.error(`${logPrefix} fault crash-on-start: exiting with code 1 before listening`);
    process.exit(1);
  }
  if (faults.neverListen) {
    console.log(`${logPrefix} fault never-listen: staying alive without ever listening`);
    setInterval(() => undefined, 60_000);
    return;
  }
  if (faults.slowStartMs !== undefined) {
    console.log(`${logPrefix} fault slow-start: waiting ${faults.slowStartMs} ms before listening`);
    await delay(faults.slowStartMs);
  }

  const { host, port } = listenAddressFromUrl(launch.serviceUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    console.error(`${logPrefix} cannot listen on ${launch.serviceUrl.origin} (host ${host}, port ${port}): ${code}; exiting with code 1`);
    process.exit(1);
  }

  const bound = server.address() as AddressInfo;
  const url = formatServiceUrl(launch.serviceUrl.protocol, host, bound.port);
  console.log(`${logPrefix} listening on ${url} (pid ${process.pid}, t=${Date.now()})`);

  if (faults.dieAfterReadyMs !== undefined) {
    const ms = faults.dieAfterReadyMs;
    setTimeout(() => {
      console.error(`${logPrefix} fault die-after-ready: exiting with code 7, ${ms} ms after listening`);
      process.exit(7);
    }, ms);
  }
}

function installShutdown({ logPrefix, server, onShutdown }: ServiceLaunch): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${logPrefix} received ${signal}, shutting down`);
    // A stuck close must not turn a clean stop into a hang.
    setTimeout(() => process.exit(0), shutdownGraceMs).unref();
    if (server.listening) {
      server.close();
      server.closeAllConnections();
    }
    void (onShutdown?.() ?? Promise.resolve())
      .catch((error: unknown) => console.error(`${logPrefix} error during shutdown: ${String(error)}`))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

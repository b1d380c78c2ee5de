import net from 'node:net';
import { portOfUrl } from '../core/default-port.ts';
import { hostOf } from '../network/resolve-host.ts';
import { serviceVariable, type PreflightConfig, type ServiceConfig } from '../config/types.ts';

/** A free TCP port on `host`, as the OS chooses it: listen on port 0, read the port, close. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error(`no port from ${String(address)}`))));
    });
  });
}

/** The URL as written, its port 0 replaced (not re-serialised: `http://host:3000` must not gain a slash). */
const withPort = (text: string, port: number) => text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#]*):0(?=[/?#]|$)/i, `$1:${port}`);

/**
 * Each service declared on port 0 (a postgres() database, by default) gets a free port on its host for this run; its
 * URL, readiness and liveness URLs change with it. Returns the new PREFLIGHT_<NAME>_URL of each, for the runner to
 * publish to the processes that read the configuration after it (the workers: harness/gate/runner-process.ts).
 */
export async function assignFreePorts(config: Pick<PreflightConfig, 'services'>): Promise<Record<string, string>> {
  const assigned: Record<string, string> = {};
  for (const service of config.services) {
    if (!service.url || !service.urlText || portOfUrl(service.url) !== 0) continue;
    const port = await freePort(hostOf(service.url));
    moveToPort(service, port);
    assigned[serviceVariable(service, 'URL')] = service.urlText!;
  }
  return assigned;
}

function moveToPort(service: ServiceConfig, port: number): void {
  const url = new URL(withPort(service.urlText!, port));
  const rebase = (old: URL) => new URL(`${old.pathname}${old.search}`, url);
  service.healthUrl = service.healthUrl && rebase(service.healthUrl);
  if (service.liveness) service.liveness = { ...service.liveness, url: rebase(service.liveness.url) };
  service.url = url;
  service.urlText = withPort(service.urlText!, port);
}

import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import type { LaunchOptions } from '@playwright/test';
import { acceptingKeys } from './browser-trust.ts';
import { PACKAGE_ROOT } from '../core/project-root.ts';

/**
 * How the clients of a run reach production through the read-only proxy (./read-only-proxy.ts). The runner starts
 * the proxy in global setup and publishes it to the workers in PREFLIGHT_PRODUCTION_PROXY; each worker then loads
 * playwright.config.ts, which gives the production project's browsers and API request contexts the proxy, and
 * routes the worker's own Node clients and its child processes through it. A worker cannot know its project when
 * the config loads, so every worker of a run with the proxy routes its Node clients through it; only traffic to
 * production is judged there, the rest passes untouched.
 */

export const PROXY_VAR = 'PREFLIGHT_PRODUCTION_PROXY';

export interface PublishedProxy {
  /** One port per worker slot (TEST_PARALLEL_INDEX). */
  ports: number[];
  /** SHA-256 of the key of the proxy's certificates, base64: Chromium accepts it (--ignore-certificate-errors-spki-list). */
  spkiSha256: string;
}

/** The proxy the runner published, if any. */
export function publishedProxy(env: NodeJS.ProcessEnv = process.env): PublishedProxy | undefined {
  const text = env[PROXY_VAR];
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as PublishedProxy;
    return Array.isArray(parsed.ports) && parsed.ports.length && typeof parsed.spkiSha256 === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where nothing answers: the production project's clients are sent here when the proxy should run and was not
 * published (a fault of the harness), so that no request of theirs leaves unjudged.
 */
const NO_PROXY_STARTED = 'http://preflight-read-only-proxy-was-not-started.invalid:9';

/** This worker's proxy address: its slot's port, so the proxy knows which worker sent what. */
export function proxyServer(proxy: PublishedProxy | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (!proxy) return NO_PROXY_STARTED;
  const slot = Number(env.TEST_PARALLEL_INDEX ?? 0);
  return `http://127.0.0.1:${proxy.ports[(Number.isInteger(slot) && slot >= 0 ? slot : 0) % proxy.ports.length]}`;
}

/**
 * The production project's browser options: every browser it launches (its own, and `chromium.launch()` in a spec,
 * which gets the project's launch options) uses the proxy and accepts the proxy's certificates, and nothing else
 * more than before: the key is this run's own.
 */
export function throughReadOnlyProxy(launchOptions: LaunchOptions, proxy: PublishedProxy | undefined): { proxy: { server: string }; launchOptions: LaunchOptions } {
  const server = { server: proxyServer(proxy) };
  return { proxy: server, launchOptions: { ...acceptingKeys(launchOptions, proxy ? [proxy.spkiSha256] : []), proxy: server } };
}

/** Opens a tunnel through the proxy to host:port (an HTTP CONNECT), as every proxy-aware client does. */
function tunnel(proxyPort: number, host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const authority = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
    const socket = net.connect(proxyPort, '127.0.0.1', () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
    let answer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      answer = Buffer.concat([answer, chunk]);
      const end = answer.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer.subarray(0, end).toString('latin1'))?.[1];
      if (status !== '200') {
        socket.destroy();
        return reject(new Error(`preflight's read-only proxy refused the tunnel to ${authority} (${status ?? 'no answer'})`));
      }
      if (answer.length > end + 4) socket.unshift(answer.subarray(end + 4));
      resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

type ConnectionOptions = { host?: string | null; hostname?: string | null; port?: number | string | null; servername?: string };
type Created = ((error: Error | null, socket: net.Socket) => void) | undefined;

/** Node's http and https default agents, tunnelling through the proxy (all but the runner's own loopback channels). */
function tunnellingAgents(proxyPort: number, exempt: (host: string, port: number) => boolean) {
  const target = (options: ConnectionOptions, defaultPort: number) => ({
    host: String(options.host ?? options.hostname ?? 'localhost').replace(/^\[|\]$/g, ''),
    port: Number(options.port ?? defaultPort),
  });
  class TunnellingHttpAgent extends http.Agent {
    override createConnection(options: ConnectionOptions, created: Created): net.Socket | undefined {
      const { host, port } = target(options, 80);
      if (exempt(host, port)) return (http.Agent.prototype as unknown as { createConnection: Function }).createConnection.call(this, options, created);
      tunnel(proxyPort, host, port).then((socket) => created?.(null, socket), (error: Error) => created?.(error, undefined as never));
      return undefined;
    }
  }
  class TunnellingHttpsAgent extends https.Agent {
    override createConnection(options: ConnectionOptions, created: Created): net.Socket | undefined {
      const { host, port } = target(options, 443);
      tunnel(proxyPort, host, port).then(
        (socket) => {
          const secure = tls.connect({ ...(options as tls.ConnectionOptions), socket, servername: options.servername ?? (net.isIP(host) ? undefined : host) });
          created?.(null, secure);
        },
        (error: Error) => created?.(error, undefined as never),
      );
      return undefined;
    }
  }
  return { http: new TunnellingHttpAgent({ keepAlive: true }), https: new TunnellingHttpsAgent({ keepAlive: true }) };
}

const ROUTED = Symbol.for('preflight.routed-through-read-only-proxy');

/**
 * In a worker: Node's fetch (undici's global dispatcher, read at each call, so a `fetch` saved at import time too),
 * Node's http and https default agents, and the child processes this worker starts (HTTP_PROXY, HTTPS_PROXY) go
 * through the proxy. Node trusts the proxy's authority through NODE_EXTRA_CA_CERTS, set by the runner before it
 * forked this worker.
 */
export function routeWorkerThroughProxy(proxy: PublishedProxy, env: NodeJS.ProcessEnv = process.env): void {
  const holder = globalThis as { [ROUTED]?: true };
  if (holder[ROUTED]) return;
  holder[ROUTED] = true;
  const server = proxyServer(proxy, env);
  const port = Number(new URL(server).port);
  // require, not import(): the config loads synchronously, and a project may load the harness through a require
  // hook (as CommonJS, without import.meta): undici is found from preflight's own package.
  const { ProxyAgent, setGlobalDispatcher } = createRequire(path.join(PACKAGE_ROOT, 'package.json'))('undici') as typeof import('undici');
  setGlobalDispatcher(new ProxyAgent(server));
  // The runner's own loopback channel (the boot outcome) is not traffic of the specs.
  const channel = env.PREFLIGHT_BOOT_CHANNEL ? new URL(env.PREFLIGHT_BOOT_CHANNEL) : undefined;
  const agents = tunnellingAgents(port, (host, to) => (channel !== undefined && host === channel.hostname && to === Number(channel.port)) || (host === '127.0.0.1' && proxy.ports.includes(to)));
  http.globalAgent = agents.http;
  https.globalAgent = agents.https;
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) env[name] = server;
  for (const name of ['NO_PROXY', 'no_proxy']) delete env[name];
}

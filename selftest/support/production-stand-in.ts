// The production stand-in: the demo app in production mode (NODE_ENV=production, a release id, an absolute data
// dir) behind the TLS proxy fixture on loopback. Every process is a real one, and `stop()` ends them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { deadline, repoRoot, startDatabase, startDemoProcess, stopDemoProcess, waitUntilServing, type DemoProcess } from './demo-process.ts';
import { freePort } from './ports.ts';
import type { IssuedCertificate } from './test-ca.ts';

export interface ProductionStandIn {
  /** The production frontend, as PREFLIGHT_PRODUCTION_URL. */
  url: string;
  /** The production backend, as PREFLIGHT_PRODUCTION_API_URL. */
  apiUrl: string;
  /** Production's database (PREFLIGHT_DATABASE_URL), to read what the gate stored there. */
  databaseUrl: string;
  /** Every request the proxy received, one line each ("request GET /path x-preflight-test=1 method-override=-"). */
  requests(): string[];
  stop(): Promise<void>;
}

export interface StandInOptions {
  /** Serve https with this certificate; plain http without it. */
  certificate?: IssuedCertificate;
  /** The host name the URLs use (default localhost); the proxy listens on 127.0.0.1. */
  host?: string;
  version?: string;
  releaseId?: string;
}

export async function startProductionStandIn(options: StandInOptions = {}): Promise<ProductionStandIn> {
  const { host = 'localhost', version = '0.1.0', releaseId = 'release-prod-1' } = options;
  const [backendPort, frontendPort, publicFrontendPort, publicApiPort, databasePort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const backendUrl = `http://127.0.0.1:${backendPort}`;
  const scheme = options.certificate ? 'https' : 'http';
  const publicUrl = `${scheme}://${host}:${publicFrontendPort}`;
  const publicApiUrl = `${scheme}://${host}:${publicApiPort}`;
  const database = await startDatabase({ port: databasePort });
  const env = {
    NODE_ENV: 'production',
    DEMO_RELEASE_ID: releaseId,
    DEMO_VERSION: version,
    PREFLIGHT_DATABASE_URL: database.url,
    PREFLIGHT_BACKEND_URL: backendUrl,
    PREFLIGHT_FRONTEND_URL: `http://127.0.0.1:${frontendPort}`,
    // The browser reaches production through the proxy, as it would through a tunnel.
    DEMO_PUBLIC_URL: publicUrl,
    DEMO_PUBLIC_API_URL: publicApiUrl,
  };
  const demo: DemoProcess[] = [database.process, startDemoProcess('backend', env), startDemoProcess('frontend', env)];
  const proxy = startTlsProxy([
    { listen: publicFrontendPort, upstream: env.PREFLIGHT_FRONTEND_URL },
    { listen: publicApiPort, upstream: backendUrl },
  ], options.certificate);
  const stop = async () => {
    proxy.child.kill('SIGTERM');
    await Promise.all([...demo.map((process) => stopDemoProcess(process)), proxy.exited]);
  };
  try {
    await Promise.all([
      waitUntilServing(demo[1]!, `${backendUrl}/ops/health/production`),
      waitUntilServing(demo[2]!, `${env.PREFLIGHT_FRONTEND_URL}/ops/health/production`),
      proxy.listening(2),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: publicUrl,
    apiUrl: publicApiUrl,
    databaseUrl: database.url,
    requests: () => proxy.output().split('\n').filter((line) => line.startsWith('request ')),
    stop,
  };
}

/** The TLS proxy fixture (selftest/fixtures/tls-proxy.ts): each route's port in front of its upstream, https with `certificate`; any app's production stand-in. */
export function startTlsProxy(routes: { listen: number; upstream: string }[], certificate?: IssuedCertificate) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(PREFLIGHT_|DEMO_|NODE_OPTIONS$|NODE_TEST_CONTEXT$)/.test(key)));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'selftest/fixtures/tls-proxy.ts'], {
    cwd: repoRoot,
    env: { ...inherited, PROXY_ROUTES: JSON.stringify(routes), ...(certificate ? { PROXY_CERT: certificate.cert, PROXY_KEY: certificate.key } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const printed = new EventEmitter();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => ((output += chunk), printed.emit('data')));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => ((output += chunk), printed.emit('data')));
  let ended = false;
  const exited = new Promise<void>((resolve) => child.once('close', () => ((ended = true), resolve())));
  return {
    child,
    exited,
    output: () => output,
    /** Waits until the proxy says it listens on `count` ports: checked at each output, until its exit or the deadline. */
    async listening(count: number, timeoutMs = 10_000) {
      const passed = deadline(timeoutMs).then(() => true);
      for (;;) {
        const next = Promise.race([once(printed, 'data'), exited]).then(() => false);
        if ((output.match(/^listening on /gm) ?? []).length >= count) return;
        if (ended || (await Promise.race([next, passed]))) throw new Error(`the TLS proxy fixture did not start listening:\n${output}`);
      }
    },
  };
}

import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { ProductionConfig } from '../config/types.ts';
import { redact } from '../secrets/redact.ts';
import { ProductionAddresses, bareHost, type ProductionMatch } from './production-addresses.ts';
import { createProxyAuthority, type ProxyAuthority } from './proxy-authority.ts';
import { blockedWriteMessage, type BlockedWrite } from './blocked-writes.ts';

/**
 * Production is read-only whatever a spec does (docs/safety.md): every client of the production project (its
 * browsers, API request contexts, Node's fetch and the child processes of its workers) sends through this forward
 * proxy, which runs in the runner. Toward production it reads each request (TLS ends here, with a certificate of
 * this run's own authority) and lets through only GET, HEAD and OPTIONS without a method-override header; every
 * other destination is passed through untouched. A redirect is a new request, so every hop is judged.
 */

/** Reads: what may reach production unless PREFLIGHT_ALLOW_PRODUCTION_WRITES=true. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Headers by which a server may treat a read as another method (a GET that deletes). */
const METHOD_OVERRIDES = ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'];
/** Headers of one connection, not of the request a proxy passes on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export interface ReadOnlyProxy {
  /** One port per worker slot: the port a request came in on names the worker that sent it. */
  ports: number[];
  authority: Pick<ProxyAuthority, 'caFile' | 'spkiSha256'>;
  close(): Promise<void>;
}

export interface ReadOnlyProxyOptions {
  production: Pick<ProductionConfig, 'urls'>;
  /** How many worker slots the run has (Playwright's `workers`). */
  workers: number;
  onBlocked(write: BlockedWrite): void;
}

interface Destination {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  match: ProductionMatch;
}

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

/** Why this request is a write ("POST", "GET (with X-HTTP-Method-Override: DELETE)"), or undefined for a read. */
function writeOf(method: string, headers: http.IncomingHttpHeaders): string | undefined {
  const verb = method.toUpperCase();
  if (!READ_METHODS.has(verb)) return verb;
  const override = METHOD_OVERRIDES.find((name) => headers[name.toLowerCase()] !== undefined);
  return override ? `${verb} (with ${override}: ${headerValue(headers[override.toLowerCase()])})` : undefined;
}

/** `rawHeaders` without the headers of one connection, in the flat [name, value, ...] list requests and responses take. */
function endToEnd(rawHeaders: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < rawHeaders.length; index += 2) if (!HOP_BY_HOP.has(rawHeaders[index]!.toLowerCase())) kept.push(rawHeaders[index]!, rawHeaders[index + 1]!);
  return kept;
}

/** The host and port of a CONNECT request's `host:port` or `[v6]:port` (a URL would drop port 80 as http's default). */
function hostAndPort(authority: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:/\s]+)):(\d{1,5})$/.exec(authority);
  return match ? { host: bareHost(match[1] ?? match[2]!), port: Number(match[3]) } : undefined;
}

export async function startReadOnlyProxy(options: ReadOnlyProxyOptions): Promise<ReadOnlyProxy> {
  const [addresses, authority] = await Promise.all([ProductionAddresses.of(options.production), createProxyAuthority()]);
  // Production's own names get their certificates while the workers start, not on the first request.
  for (const url of options.production.urls) if (url.protocol === 'https:') authority.contextFor(bareHost(url.hostname)).catch(() => undefined);
  const sockets = new Set<net.Socket>();
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  // Connections whose TLS (or plain HTTP) ends here: the production destination each was opened for.
  const destinations = new WeakMap<net.Socket, Destination & { worker: number }>();

  const block = (worker: number, destination: Destination, url: string, write: string) => {
    const [verb, ...rest] = write.split(' ');
    const how = 'address' in destination.match.by ? ` (production ${destination.match.production.origin}, reached by its address ${destination.match.by.address})` : '';
    const request = redact(`${verb} ${url}${rest.length ? ` ${rest.join(' ')}` : ''}${how}`);
    options.onBlocked({ at: Date.now(), worker, request });
    return blockedWriteMessage([request]);
  };

  /** Judges one request toward production, then passes it on or answers 403. */
  const judge = (worker: number, destination: Destination, req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    const url = `${destination.scheme}://${destination.host.includes(':') ? `[${destination.host}]` : destination.host}:${destination.port}${path}`;
    const write = writeOf(req.method ?? 'GET', req.headers);
    if (write) {
      const message = block(worker, destination, url, write);
      req.resume();
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'x-preflight-blocked': 'production is read-only' }).end(`${message}\n`);
      return;
    }
    // Upstream, the name the client gave in its TLS handshake, if any: the server may route by it.
    const servername = (req.socket as tls.TLSSocket).servername || undefined;
    forward(destination.scheme, destination.host, destination.port, req, res, path, servername);
  };

  const forward = (scheme: 'http' | 'https', host: string, port: number, req: http.IncomingMessage, res: http.ServerResponse, path: string, servername?: string) => {
    const client = scheme === 'https' ? https : http;
    const outbound = client.request({
      host,
      port,
      method: req.method,
      path,
      headers: endToEnd(req.rawHeaders) as unknown as http.OutgoingHttpHeaders,
      setHost: false,
      agent: agents[scheme],
      // Production's certificate is verified here, as the client would have (Node's roots and NODE_EXTRA_CA_CERTS).
      ...(scheme === 'https' ? { servername: servername ?? (net.isIP(host) ? undefined : host) } : {}),
    });
    outbound.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders) as unknown as http.OutgoingHttpHeaders);
      answer.pipe(res);
    });
    outbound.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`preflight proxy: ${scheme}://${net.isIPv6(host) ? `[${host}]` : host}:${port} failed: ${error.message}\n`);
    });
    req.pipe(outbound);
  };

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  // Where TLS (or plain HTTP inside a tunnel) toward production ends: each request is judged here.
  const inner = http.createServer((req, res) => {
    const destination = destinations.get(req.socket);
    if (!destination) return void res.writeHead(500).end();
    judge(destination.worker, destination, req, res, req.url ?? '/');
  });
  inner.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    // A WebSocket opens with a GET: judged like one, then its frames pass untouched (docs/safety.md).
    const destination = destinations.get(socket);
    if (!destination) return void socket.destroy();
    const write = writeOf(req.method ?? 'GET', req.headers);
    if (write) {
      block(destination.worker, destination, `${destination.scheme}://${destination.host}:${destination.port}${req.url}`, write);
      return void socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
    }
    const upstream =
      destination.scheme === 'https'
        ? tls.connect({ host: destination.host, port: destination.port, servername: net.isIP(destination.host) ? undefined : destination.host })
        : net.connect(destination.port, destination.host);
    track(upstream);
    upstream.once(destination.scheme === 'https' ? 'secureConnect' : 'connect', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let index = 0; index < req.rawHeaders.length; index += 2) lines.push(`${req.rawHeaders[index]}: ${req.rawHeaders[index + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.once('error', () => socket.destroy());
  });

  const tunnel = async (worker: number, req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    track(client);
    const target = hostAndPort(req.url ?? '');
    if (!target) return void client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    const match = await addresses.match(target.host, target.port);
    if (!match) {
      // Not production: a plain tunnel; the client verifies the server's own certificate.
      const upstream = net.connect(target.port, target.host);
      track(upstream);
      upstream.once('connect', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.once('error', (error) => client.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\n\r\npreflight proxy: ${error.message}\n`));
      return;
    }
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) client.unshift(head);
    const destination = { host: target.host, port: target.port, match, worker };
    // Production's own scheme says what the tunnel carries: TLS, or plain HTTP (production over http, when allowed).
    if (match.production.protocol === 'https:') {
      const secure = new tls.TLSSocket(client, {
        isServer: true,
        secureContext: await authority.contextFor(target.host),
        // A client may name the server otherwise than it addressed the tunnel (an address, with the name in SNI).
        SNICallback: (servername, done) => authority.contextFor(servername || target.host).then((context) => done(null, context), (error: Error) => done(error)),
        ALPNProtocols: ['http/1.1'],
      });
      track(secure);
      destinations.set(secure, { ...destination, scheme: 'https' });
      inner.emit('connection', secure);
    } else {
      destinations.set(client, { ...destination, scheme: 'http' });
      inner.emit('connection', client);
    }
  };

  const listen = async (worker: number): Promise<http.Server> => {
    const server = http.createServer(async (req, res) => {
      // A plain-http request through the proxy: its URL is absolute.
      let url: URL;
      try {
        url = new URL(req.url ?? '');
      } catch {
        return void res.writeHead(400, { 'content-type': 'text/plain' }).end('preflight proxy: expected an absolute URL\n');
      }
      const scheme = url.protocol === 'https:' ? 'https' : 'http';
      const host = bareHost(url.hostname);
      const port = Number(url.port || (scheme === 'https' ? 443 : 80));
      const match = await addresses.match(host, port);
      if (match) judge(worker, { scheme, host, port, match }, req, res, url.pathname + url.search);
      else forward(scheme, host, port, req, res, url.pathname + url.search);
    });
    server.on('connection', track);
    server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      tunnel(worker, req, socket, head).catch(() => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return server;
  };

  let servers: http.Server[];
  try {
    servers = await Promise.all(Array.from({ length: Math.max(1, options.workers) }, (_, worker) => listen(worker)));
  } catch (error) {
    authority.dispose();
    throw error;
  }
  return {
    ports: servers.map((server) => (server.address() as net.AddressInfo).port),
    authority,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      agents.http.destroy();
      agents.https.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      authority.dispose();
    },
  };
}

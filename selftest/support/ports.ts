// Free TCP ports, chosen by the OS: listen on port 0, read the port, close.
import { createServer } from 'node:net';
import http from 'node:http';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`no port from ${JSON.stringify(address)}`))));
    });
  });
}

/** A port free on both families (127.0.0.1 and ::1), so only the listener a test starts answers on it. */
export async function portFreeOnBoth(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort('::1');
    const free = await new Promise<boolean>((resolve) => {
      const probe = http.createServer().once('error', () => resolve(false));
      probe.listen({ host: '127.0.0.1', port }, () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no port free on both 127.0.0.1 and ::1 after 20 attempts');
}

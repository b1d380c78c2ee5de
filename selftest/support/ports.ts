// Free TCP ports for the services a test starts: picked outside the OS's ephemeral range, checked by a listen.
import { createServer } from 'node:net';
import http from 'node:http';

/**
 * Below the kernel's ephemeral range (32768-60999 on Linux): a port the OS hands out for a listen on port 0 (a runner's
 * boot channel, its shared browser) or an outgoing connection never comes from here, so a port a test picked cannot be
 * taken between the pick and the service's own listen.
 */
const PICK_FROM = 20_000;
const PICK_TO = 32_767;
/** Ports this test process handed out already: never twice. */
const handedOut = new Set<number>();

/** A free TCP port on `host`, outside the OS's ephemeral range: a random one that a listen here accepts. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_TO - PICK_FROM + 1));
    if (handedOut.has(port)) continue;
    if (await listens(host, port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port on ${host} between ${PICK_FROM} and ${PICK_TO} after 200 attempts`);
}

function listens(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host, port }, () => server.close(() => resolve(true)));
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

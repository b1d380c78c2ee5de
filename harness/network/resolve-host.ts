import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { portOfUrl } from '../core/default-port.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution, injectable: the tests resolve `localhost` to `::1` first on a machine whose hosts file says otherwise. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Node's own resolution, in the order Node uses it (its DNS result order). */
export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** The URL's host without IPv6 brackets: "[::1]" -> "::1". */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** The URL's port, or its scheme's default (harness/core/default-port.ts); 80 when the scheme has none. */
export function portOf(url: URL): number {
  return portOfUrl(url) ?? 80;
}

/** What a URL names: its literal address, or every address its host name resolves to, in resolution order. */
export async function addressesNamedBy(url: URL, resolver: HostResolver = systemResolver): Promise<ResolvedAddress[]> {
  const host = hostOf(url);
  const family = net.isIP(host);
  if (family) return [{ address: host, family: family === 6 ? 6 : 4 }];
  return resolver(host);
}

/** "127.0.0.1:3001", "::1:3001": the way Node's own errors name an address (ECONNREFUSED ::1:3000). */
export function formatAddress(address: string, port: number): string {
  return `${address}:${port}`;
}

const LOOPBACK: Record<4 | 6, string> = { 4: '127.0.0.1', 6: '::1' };

export const isLoopback = (address: string) => address === '::1' || address.startsWith('127.');

/** For loopback addresses, the other family's loopback: where a service bound to the wrong family is found. */
export function loopbackCounterparts(named: ResolvedAddress[]): ResolvedAddress[] {
  if (named.length === 0 || !named.every((entry) => isLoopback(entry.address))) return [];
  return ([4, 6] as const)
    .filter((family) => !named.some((entry) => entry.family === family))
    .map((family) => ({ address: LOOPBACK[family], family }));
}

import dns from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';
import type { ProductionConfig } from '../config/types.ts';

/**
 * Which destinations are production: by the addresses production's names resolve to and its port, never by how a
 * URL spells it. `https://localhost:8443`, `http://127.0.0.1:8443` and `http://[::1]:8443` are one server; so are
 * production's name and any other name that resolves to its addresses. When production is this machine (a stand-in
 * on loopback), every address of this machine at that port counts, since a server bound to all interfaces answers
 * on each of them.
 */
export interface ProductionMatch {
  /** Production's own URL this destination is (PREFLIGHT_PRODUCTION_URL or a service's PREFLIGHT_PRODUCTION_<NAME>_URL). */
  production: URL;
  /** How it was recognised: its name, or an address production resolves to (when the name differs). */
  by: { name: true } | { address: string };
}

interface Endpoint {
  url: URL;
  host: string;
  port: number;
  addresses: Set<string>;
}

const defaultPort = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));
/** A host as a URL writes it, as an address or name to compare: no brackets, no trailing dot, lower case. */
export const bareHost = (host: string) => host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
/** An IPv4 address written as IPv6 (::ffff:127.0.0.1) is the IPv4 address. */
const canonical = (address: string) => address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

const isLoopback = (address: string) => /^127\./.test(address) || address === '::1' || address === '0.0.0.0' || address === '::';

function thisMachine(): Set<string> {
  const addresses = new Set(['127.0.0.1', '::1', '0.0.0.0', '::']);
  for (const entries of Object.values(os.networkInterfaces())) for (const entry of entries ?? []) addresses.add(canonical(entry.address));
  return addresses;
}

async function resolve(host: string): Promise<string[]> {
  if (net.isIP(host)) return [canonical(host)];
  try {
    return (await dns.lookup(host, { all: true, verbatim: true })).map((entry) => canonical(entry.address));
  } catch {
    return [];
  }
}

export class ProductionAddresses {
  private constructor(
    private readonly endpoints: Endpoint[],
  ) {}

  /** Resolves production's names once, as the run begins. */
  static async of(production: Pick<ProductionConfig, 'urls'>): Promise<ProductionAddresses> {
    const urls = production.urls.filter((url, index, all) => all.findIndex((other) => other.origin === url.origin) === index);
    const local = thisMachine();
    const endpoints = await Promise.all(
      urls.map(async (url): Promise<Endpoint> => {
        const host = bareHost(url.hostname);
        const addresses = new Set(await resolve(host));
        // Production on this machine: any of its addresses reaches it.
        if ([...addresses].some((address) => isLoopback(address) || local.has(address))) for (const address of local) addresses.add(address);
        return { url, host, port: defaultPort(url), addresses };
      }),
    );
    return new ProductionAddresses(endpoints);
  }

  /** The production endpoint `host:port` reaches, or undefined. A name that cannot be resolved is judged by its spelling alone. */
  async match(host: string, port: number): Promise<ProductionMatch | undefined> {
    const name = bareHost(host);
    const atPort = this.endpoints.filter((endpoint) => endpoint.port === port);
    if (atPort.length === 0) return undefined;
    const named = atPort.find((endpoint) => endpoint.host === name);
    if (named) return { production: named.url, by: { name: true } };
    for (const address of await resolve(name)) {
      const reached = atPort.find((endpoint) => endpoint.addresses.has(address));
      if (reached) return { production: reached.url, by: { address } };
    }
    return undefined;
  }

}

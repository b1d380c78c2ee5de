import { loadUndici } from '../readiness/probe.ts';
import { addressesNamedBy, loopbackCounterparts, portOf, systemResolver, type HostResolver, type ResolvedAddress } from './resolve-host.ts';

export interface AddressProbe extends ResolvedAddress {
  port: number;
  /** Whether this address answered HTTP at all (any status): the family serves, whatever it said. */
  answered: boolean;
  /** "HTTP 200", "ECONNREFUSED", "no answer within 1000 ms". */
  detail: string;
  /** True when the URL names this address (literally, or by resolving to it); false for a loopback counterpart. */
  named: boolean;
}

export interface FamilyReport {
  url: URL;
  /** The addresses the URL names, in the order a client tries them. */
  named: ResolvedAddress[];
  /** One probe per address, named ones first, then loopback counterparts. */
  probes: AddressProbe[];
  /** Set when the host name could not be resolved at all. */
  resolveError?: string;
}

export interface FamilyProbeOptions {
  resolver?: HostResolver;
  timeoutMs?: number;
}

/**
 * GETs `url` on each address its host names, separately (and, for loopback, on the other family's loopback),
 * so a service bound to one family only is seen for what it is.
 */
export async function probeAddressFamilies(url: URL, options: FamilyProbeOptions = {}): Promise<FamilyReport> {
  const { resolver = systemResolver, timeoutMs = 1_000 } = options;
  let named: ResolvedAddress[];
  try {
    named = await addressesNamedBy(url, resolver);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    return { url, named: [], probes: [], resolveError: `${err.code ?? 'ERROR'} ${err.message}` };
  }
  const candidates = [...named.map((entry) => ({ ...entry, named: true })), ...loopbackCounterparts(named).map((entry) => ({ ...entry, named: false }))];
  const probes = await Promise.all(candidates.map((candidate) => probeAddress(url, candidate, timeoutMs)));
  return { url, named, probes };
}

/** One GET of `url` over a connection pinned to `target`, keeping the URL's host for the Host header and TLS SNI. */
export async function probeAddress(url: URL, target: ResolvedAddress & { named: boolean }, timeoutMs: number): Promise<AddressProbe> {
  const port = portOf(url);
  const { Agent, buildConnector, request } = await loadUndici();
  // Family reachability only: certificates are judged by the production TLS check, not here.
  const connector = buildConnector({ timeout: timeoutMs, rejectUnauthorized: false });
  const agent = new Agent({ pipelining: 0, connect: (options, callback) => connector({ ...options, hostname: target.address }, callback) });
  const base = { ...target, port };
  try {
    const response = await request(url, {
      dispatcher: agent,
      headers: { 'user-agent': 'preflight-family-probe' },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump();
    return { ...base, answered: true, detail: `HTTP ${response.statusCode}` };
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    if (err.name === 'TimeoutError' || err.code === 'UND_ERR_CONNECT_TIMEOUT' || err.code === 'UND_ERR_HEADERS_TIMEOUT') {
      return { ...base, answered: false, detail: `no answer within ${timeoutMs} ms` };
    }
    return { ...base, answered: false, detail: err.code ?? err.cause?.code ?? err.message };
  } finally {
    await agent.close().catch(() => {});
  }
}

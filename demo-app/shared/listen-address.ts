// Where a service listens, derived from the URL it is configured to serve at.

export interface ListenAddress {
  /** Host for server.listen(): brackets removed, so "[::1]" becomes "::1". */
  host: string;
  port: number;
}

export function listenAddressFromUrl(url: URL): ListenAddress {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { host, port };
}

/** The URL a client uses to reach host:port (IPv6 literals get brackets). */
export function formatServiceUrl(protocol: string, host: string, port: number): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `${protocol}//${hostPart}:${port}`;
}

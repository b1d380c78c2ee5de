/** The port a URL names when it names none: the one place that knows http is 80 and https is 443. */
const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };

/** The default port of a scheme ("http", "https:", ...), or undefined when the scheme has none (tcp://, postgres://). */
export function defaultPort(scheme: string): number | undefined {
  return DEFAULT_PORTS[scheme.replace(/:$/, '').toLowerCase()];
}

/** The port a URL names, or its scheme's default. */
export function portOfUrl(url: URL): number | undefined {
  return url.port ? Number(url.port) : defaultPort(url.protocol);
}

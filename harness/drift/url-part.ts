import { defaultPort } from '../core/default-port.ts';
import type { UrlPart } from './rules.ts';

// scheme://host[:port]... ; host may be an [IPv6] literal. Textual, so the rest of the URL is kept as written.
const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?)(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?/i;

/** The port or host of a URL; undefined when the value is not a URL with a host (e.g. `http_status:404`). */
export function readUrlPart(value: string, part: UrlPart): string | undefined {
  const match = AUTHORITY.exec(value.trim());
  if (!match || !match[2]) return undefined;
  if (part === 'host') return match[2].toLowerCase();
  const scheme = match[1]!.split(':')[0]!.toLowerCase();
  return match[3] || defaultPort(scheme)?.toString();
}

/** The same URL text with its port or host replaced; undefined when the value is not a URL with a host. */
export function writeUrlPart(value: string, part: UrlPart, next: string): string | undefined {
  const match = AUTHORITY.exec(value);
  if (!match || !match[2]) return undefined;
  const [whole, prefix, host, port] = match;
  const authority = part === 'host' ? `${prefix}${next}${port !== undefined ? `:${port}` : ''}` : `${prefix}${host}:${next}`;
  return authority + value.slice(whole.length);
}

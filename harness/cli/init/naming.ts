// Which service a piece of text refers to: an env key, an app or host name, a line of a script or a doc.
import { escapeRegExp } from '../../drift/port-mentions.ts';
import type { DetectedService, PortStatement } from './statements.ts';

/** The one service `text` names (by its name, else by a word for its kind: api, server / web, site, ...), if exactly one. */
export function serviceNamed(text: string, services: DetectedService[]): DetectedService | undefined {
  // NEXT_PUBLIC_API_URL is the API's URL: the framework's prefix names no service.
  const words = text.toLowerCase().replace(/(^|[^a-z])(?:next_public|nuxt_public|expo_public|vite|react_app)_/g, '$1');
  const byName = services.filter((service) => new RegExp(`(^|[^a-z])${escapeRegExp(service.name)}([^a-z]|$)`).test(words));
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) return undefined;
  const byKind = (kind: DetectedService['kind'], pattern: RegExp) => {
    const ofKind = services.filter((service) => service.kind === kind);
    return pattern.test(words) && ofKind.length === 1 ? ofKind[0] : undefined;
  };
  const backend = byKind('backend', /(^|[^a-z])(api|server|backend)([^a-z]|$)/);
  const frontend = byKind('frontend', /(^|[^a-z])(web|site|app|frontend|client|ui|public)([^a-z]|$)/);
  if (backend && !frontend) return backend;
  if (frontend && !backend) return frontend;
  return undefined;
}

/** The one backend whose routes start with the URL path's first segment (/api/..., /health/...), if exactly one. */
export function serviceByPath(urlPath: string, services: DetectedService[]): DetectedService | undefined {
  const first = /^\/[^/?#'"`\s]*/.exec(urlPath)?.[0];
  if (!first || first === '/') return undefined;
  const serving = services.filter((service) => service.kind === 'backend' && service.routePrefixes.includes(first));
  return serving.length === 1 ? serving[0] : undefined;
}

/** The one service whose own statement (PM2 app, env file, code) is this port, if exactly one. */
export function serviceByOwnPort(port: number, services: DetectedService[], statements: PortStatement[]): DetectedService | undefined {
  const owners = services.filter((service) => statements.some((statement) => statement.own && statement.service === service.name && statement.port === port));
  return owners.length === 1 ? owners[0] : undefined;
}

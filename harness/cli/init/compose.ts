// Docker Compose files: which folders they build (services of the app), which images they run (a database), and the
// ports they publish.
import path from 'node:path';
import YAML from 'yaml';
import { listDir, readText } from './repo-files.ts';

const COMPOSE_FILE = /^(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/;

export interface ComposeService {
  /** The compose file, relative to the root. */
  file: string;
  name: string;
  image?: string;
  /** The folder it builds, relative to the root. */
  buildFolder?: string;
  /** Published ports: host side and container side. */
  ports: { host: number; container: number }[];
  environment: Record<string, string>;
  dependsOn: string[];
}

function environmentOf(value: unknown): Record<string, string> {
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map(String).map((item) => {
      const at = item.indexOf('=');
      return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
    }));
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, item === null ? '' : String(item)]));
  return {};
}

function portsOf(value: unknown): ComposeService['ports'] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (item && typeof item === 'object') {
      const { published, target } = item as { published?: unknown; target?: unknown };
      return published && target ? [{ host: Number(published), container: Number(target) }] : [];
    }
    // "5432:5432", "127.0.0.1:5432:5432", "5432:5432/tcp"; a lone "5432" publishes on a random port.
    const parts = String(item).replace(/\/\w+$/, '').split(':');
    if (parts.length < 2) return [];
    const host = Number(parts[parts.length - 2]);
    const container = Number(parts[parts.length - 1]);
    return Number.isInteger(host) && Number.isInteger(container) ? [{ host, container }] : [];
  });
}

/** Every compose file at the root, its services read (a file that does not parse is named in notDetected). */
export function readComposeFiles(root: string, notDetected: string[]): ComposeService[] {
  const services: ComposeService[] = [];
  for (const entry of listDir(root).filter((item) => item.isFile() && COMPOSE_FILE.test(item.name)).sort((a, b) => a.name.localeCompare(b.name))) {
    let parsed: any;
    try {
      parsed = YAML.parse(readText(path.join(root, entry.name)) ?? '');
    } catch (error) {
      notDetected.push(`${entry.name} (compose) is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    for (const [name, service] of Object.entries<any>(parsed?.services ?? {})) {
      const build = typeof service?.build === 'string' ? service.build : service?.build?.context;
      const buildFolder = build ? path.posix.normalize(String(build).replace(/\\/g, '/')).replace(/^\.\/?/, '').replace(/\/$/, '') : undefined;
      const dependsOn = Array.isArray(service?.depends_on) ? service.depends_on.map(String) : Object.keys(service?.depends_on ?? {});
      services.push({ file: entry.name, name, image: service?.image ? String(service.image) : undefined, buildFolder, ports: portsOf(service?.ports), environment: environmentOf(service?.environment), dependsOn });
    }
  }
  return services;
}

/** A compose value with its `${VAR:-default}` resolved to the default (the value on a machine that sets nothing). */
export function composeDefault(value: string | undefined): { value?: string; variable?: string } {
  if (value === undefined) return {};
  const match = /^\$\{(\w+)(?::?-([^}]*))?\}$/.exec(value.trim());
  if (!match) return { value };
  return match[2] === undefined ? { variable: match[1] } : { value: match[2], variable: match[1] };
}

export const isPostgresImage = (image: string | undefined) => Boolean(image && /(^|\/)(postgres|postgis|postgresql)(:|$)/i.test(image.split('@')[0]!));

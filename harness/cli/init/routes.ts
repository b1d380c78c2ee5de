// The readiness and liveness paths of a service, found where it defines and mounts its routes: Express-style
// `app.use('/ops', opsRouter)` in one file and `router.get('/health/production', ...)` in the router's file make
// /ops/health/production. Only paths really found; a plain `request.url === '/healthz'` counts too.
import fs from 'node:fs';
import path from 'node:path';
import { readText, rel, walkFiles } from './repo-files.ts';

export interface FoundPath {
  path: string;
  /** file:line of the route, and of its mount when it has one. */
  where: string;
}

export interface FoundRoutes {
  readiness?: FoundPath & { contract: boolean };
  liveness?: FoundPath;
  /** First segments of every route (/api, /ops, /health): a URL with one of them calls this service. */
  prefixes: string[];
}

const SOURCE = /\.(?:[cm]?[jt]s|tsx)$/;
const MOUNT = /\b[\w$]+\.use\(\s*(['"`])(\/[^'"`]*)\1\s*,\s*(?:[\w$]+\s*,\s*)*?(?:require\(\s*['"]([^'"]+)['"]\s*\)(?:\.default)?|([\w$]+))\s*\)/g;
// Routes of an app or a router, not a client's calls (axios.get('/api/...'), a map's get).
const ROUTE = /\b(app|server|api|router|routes|r|[\w$]*Router|[\w$]*Routes|[\w$]*App)\.(?:get|all|head)\(\s*(['"`])(\/[^'"`]*)\2/g;
const IMPORT = /import\s+([\w$]+)(?:\s*,\s*\{[^}]*\})?\s+from\s+['"](\.{1,2}\/[^'"]+)['"]|(?:const|let|var)\s+([\w$]+)\s*=\s*require\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const PLAIN = /['"`](\/(?:ops\/health\/production|health\/production|health\/ready|health\/live|api\/health|healthz|livez|readyz|health|ready))['"`]/;

const READINESS = [/\/health\/production$/, /\/(?:health\/)?ready(?:z|iness)?$/, /\/api\/health$/, /\/healthz$/, /\/health$/];
const LIVENESS = [/\/(?:health\/)?live(?:z|ness)?$/];

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

function resolveModule(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const stripped = base.replace(/\.(?:[cm]?js)$/, '');
  for (const candidate of [base, ...['.ts', '.tsx', '.js', '.mjs', '.cjs'].map((ext) => stripped + ext), ...['index.ts', 'index.js'].map((index) => path.join(base, index))]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

interface Mount {
  prefix: string;
  parent: string;
  where: string;
}

/** Every GET route of the service under `dir`, with its full path: the prefixes it is mounted under, joined. */
export function routesOf(root: string, dir: string): { path: string; where: string; file: string }[] {
  const files = walkFiles(root, dir, { file: (name) => SOURCE.test(name), skipTests: true, maxDepth: 6, maxFiles: 800 });
  const texts = new Map(files.map((file) => [file, readText(file) ?? '']));
  const mounts = new Map<string, Mount[]>();
  for (const [file, text] of texts) {
    const imports = new Map<string, string>();
    for (const match of text.matchAll(IMPORT)) {
      const name = match[1] ?? match[3];
      const target = resolveModule(file, match[2] ?? match[4]!);
      if (name && target) imports.set(name, target);
    }
    for (const match of text.matchAll(MOUNT)) {
      const target = match[3] ? resolveModule(file, match[3]) : imports.get(match[4]!);
      if (!target) continue;
      mounts.set(target, [...(mounts.get(target) ?? []), { prefix: match[2]!.replace(/\/$/, ''), parent: file, where: `${rel(root, file)}:${lineOf(text, match.index!)}` }]);
    }
  }
  // Every prefix a file's routes live under, through the chain of mounts (a router mounted in a router).
  const prefixesOf = (file: string, seen: Set<string> = new Set()): { prefix: string; where?: string }[] => {
    const own = mounts.get(file);
    if (!own?.length || seen.has(file)) return [{ prefix: '' }];
    seen.add(file);
    return own.flatMap((mount) => prefixesOf(mount.parent, seen).map((outer) => ({ prefix: outer.prefix + mount.prefix, where: outer.where ?? mount.where })));
  };
  const routes: { path: string; where: string; file: string }[] = [];
  for (const [file, text] of texts) {
    for (const match of text.matchAll(ROUTE)) {
      for (const { prefix, where } of prefixesOf(file)) {
        const full = (prefix + (match[3] === '/' && prefix ? '' : match[3]!)) || '/';
        routes.push({ path: full, where: `${rel(root, file)}:${lineOf(text, match.index!)}${where ? `, mounted in ${where}` : ''}`, file });
      }
    }
  }
  return routes;
}

/** The readiness and liveness paths of the service in `dir`, from its routes; else from a path named in its entry files. */
export function findRoutes(root: string, dir: string, entryFiles: string[]): FoundRoutes {
  const routes = routesOf(root, dir);
  const pick = (patterns: RegExp[]) => {
    for (const pattern of patterns) {
      const route = routes.find((candidate) => pattern.test(candidate.path));
      if (route) return route;
    }
    return undefined;
  };
  const prefixes = [...new Set(routes.map((route) => `/${route.path.split('/')[1] ?? ''}`).filter((prefix) => prefix.length > 1))];
  const ready = pick(READINESS);
  const live = pick(LIVENESS);
  if (ready) {
    // The readiness contract (docs/readiness-contract.md) answers "ready-degraded"; its default path is this app's.
    const contract = ready.path === '/ops/health/production' || /['"`]ready-degraded['"`]/.test(readText(ready.file) ?? '');
    return { readiness: { path: ready.path, where: ready.where, contract }, liveness: live && live.path !== ready.path ? { path: live.path, where: live.where } : undefined, prefixes };
  }
  // No router: a path compared in a plain server (`request.url === '/healthz'`), in its entry files or top folder.
  const candidates = [...entryFiles.map((file) => path.join(dir, file)), ...walkFiles(root, dir, { file: (name) => SOURCE.test(name), skipTests: true, maxDepth: 0, maxFiles: 20 })];
  for (const file of [...new Set(candidates)]) {
    const text = readText(file) ?? '';
    const match = PLAIN.exec(text);
    if (match) {
      const found = { path: match[1]!, where: `${rel(root, file)}:${lineOf(text, match.index)}` };
      return LIVENESS.some((pattern) => pattern.test(found.path)) ? { liveness: found, prefixes } : { readiness: { ...found, contract: found.path === '/ops/health/production' }, prefixes };
    }
  }
  return { liveness: live ? { path: live.path, where: live.where } : undefined, prefixes };
}

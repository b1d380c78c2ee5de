// Whether the app needs PostgreSQL, and what a gate needs to give it one: the port, the app's own migration command,
// the variable its services read the address from, and which services those are.
import fs from 'node:fs';
import path from 'node:path';
import { composeDefault, isPostgresImage, type ComposeService } from './compose.ts';
import { listDir, readJson, readText } from './repo-files.ts';
import type { DetectedService } from './statements.ts';

const POSTGRES_URL = /^(?:#\s*)?(?:export\s+)?([A-Z][A-Z0-9_]*)\s*=\s*['"]?(postgres(?:ql)?:\/\/[^'"\s#]+)/;
const PG_CLIENTS = ['pg', 'postgres', 'pg-promise', '@neondatabase/serverless', '@vercel/postgres'];

export interface DetectedDatabase {
  /** Its name in preflight.config.ts. */
  name: string;
  engine: 'postgresql';
  /** What says the app needs it: `backend/prisma/schema.prisma (provider postgresql)`. */
  evidence: string[];
  port: number;
  portFrom: string;
  user: string;
  password: string;
  database: string;
  /** The variable the app reads its address from (DATABASE_URL, or the one its Prisma schema names). */
  urlVariable: string;
  /** The app's own migration command, run in `cwd` once the database accepts connections. */
  migration?: { command: string; cwd: string; from: string };
  /** The services that read urlVariable. */
  dependents: string[];
  /** A compose service that runs it, where Docker is the way. */
  compose?: { file: string; service: string };
  /** What init could not settle (no migration found, a password compose reads from the environment). */
  notes: string[];
}

interface PrismaSchema {
  file: string;
  folder: string;
  urlVariable?: string;
}

/** prisma/schema.prisma (or prisma/schema/*.prisma) with a postgresql datasource, in a service folder or the root. */
function prismaSchemas(root: string, folders: string[]): PrismaSchema[] {
  const found: PrismaSchema[] = [];
  for (const folder of folders) {
    const dir = path.join(root, folder, 'prisma');
    const files = [path.join(dir, 'schema.prisma'), ...listDir(path.join(dir, 'schema')).filter((entry) => entry.name.endsWith('.prisma')).map((entry) => path.join(dir, 'schema', entry.name))];
    for (const file of files) {
      const text = readText(file);
      const datasource = text && /datasource\s+\w+\s*\{([^}]*)\}/.exec(text)?.[1];
      if (!datasource || !/provider\s*=\s*["']postgres(?:ql)?["']/.test(datasource)) continue;
      found.push({ file: path.relative(root, file).split(path.sep).join('/'), folder, urlVariable: /url\s*=\s*env\(\s*["'](\w+)["']\s*\)/.exec(datasource)?.[1] });
      break;
    }
  }
  return found;
}

/** postgres:// URLs in committed env examples (commented-out ones too: the real app documents its URL that way). */
function envUrls(root: string, folder: string): { key: string; url: URL; where: string }[] {
  const found: { key: string; url: URL; where: string }[] = [];
  for (const entry of listDir(path.join(root, folder))) {
    if (!entry.isFile() || !/^\.env\.(example|sample|template|defaults?|development|dev|test)$/.test(entry.name)) continue;
    const file = path.posix.join(folder, entry.name);
    (readText(path.join(root, folder, entry.name)) ?? '').split(/\r?\n/).forEach((line, index) => {
      const match = POSTGRES_URL.exec(line.trim());
      if (!match) return;
      try {
        found.push({ key: match[1]!, url: new URL(match[2]!), where: `${file}:${index + 1}` });
      } catch {
        // a placeholder such as postgresql://user:pass@host:port/db is no URL: it still says "postgres"
        found.push({ key: match[1]!, url: new URL('postgresql://localhost/app'), where: `${file}:${index + 1}` });
      }
    });
  }
  return found;
}

/** The app's migration command: Prisma's deploy where Prisma is, else a package.json script named like migrate. */
function migrationOf(root: string, schemas: PrismaSchema[], services: DetectedService[], notes: string[]): DetectedDatabase['migration'] {
  const schema = schemas[0];
  if (schema) {
    if (!fs.existsSync(path.join(root, schema.folder, 'prisma', 'migrations'))) {
      notes.push(`${schema.folder ? `${schema.folder}/` : ''}prisma/migrations does not exist: \`prisma migrate deploy\` creates no tables; create them with \`npx prisma migrate dev\` once, or name another command`);
    }
    return { command: 'npx prisma migrate deploy', cwd: schema.folder, from: `${schema.file} (Prisma)` };
  }
  for (const service of services) {
    const scripts: Record<string, string> = readJson(path.join(root, service.cwd, 'package.json'))?.scripts ?? {};
    // One that applies migrations, not one that writes new ones (prisma migrate dev, knex migrate:make).
    const names = Object.keys(scripts).filter((name) => /migrat/i.test(name) && !/(make|create|new|generate|rollback|down|reset|dev|status)/i.test(`${name} ${scripts[name]}`));
    const name = names.find((candidate) => /deploy|latest|up|run/i.test(candidate)) ?? names[0];
    if (name) return { command: `npm run ${name}`, cwd: service.cwd, from: `${service.cwd ? `${service.cwd}/` : ''}package.json script "${name}"` };
  }
  notes.push('no migration command found (no Prisma schema, no package.json script named like migrate): the database starts empty; name the command that creates the tables');
  return undefined;
}

/** Whether the app needs PostgreSQL (its env examples, Prisma schema, compose files, dependencies), and how to give it one. */
export function detectDatabase(root: string, services: DetectedService[], compose: ComposeService[], serviceEnv: Map<string, Record<string, string>>): DetectedDatabase | undefined {
  const evidence: string[] = [];
  const dependents = new Set<string>();
  const folders = [...new Set(['', ...services.map((service) => service.cwd)])];
  const schemas = prismaSchemas(root, folders);
  for (const schema of schemas) {
    evidence.push(`${schema.file} (provider postgresql)`);
    for (const service of services) if (service.cwd === schema.folder) dependents.add(service.name);
  }
  const urls = folders.flatMap((folder) => envUrls(root, folder).map((found) => ({ ...found, folder })));
  for (const found of urls) {
    evidence.push(`${found.where} (${found.key})`);
    for (const service of services) if (service.cwd === found.folder && found.folder !== '') dependents.add(service.name);
  }
  for (const service of services) {
    const pkg = readJson(path.join(root, service.cwd, 'package.json'));
    const client = PG_CLIENTS.find((name) => name in { ...pkg?.dependencies, ...pkg?.devDependencies });
    if (client) {
      evidence.push(`${service.cwd ? `${service.cwd}/` : ''}package.json (dependency ${client})`);
      dependents.add(service.name);
    }
    const fromPm2 = Object.entries(serviceEnv.get(service.name) ?? {}).find(([, value]) => /^postgres(ql)?:\/\//.test(value));
    if (fromPm2) dependents.add(service.name);
  }
  const postgres = compose.find((service) => isPostgresImage(service.image));
  if (postgres) evidence.push(`${postgres.file} service ${postgres.name} (${postgres.image})`);
  if (!evidence.length) return undefined;
  if (postgres) {
    for (const service of compose.filter((candidate) => candidate.dependsOn.includes(postgres.name) && candidate.buildFolder !== undefined)) {
      const declared = services.find((candidate) => candidate.cwd === service.buildFolder);
      if (declared) dependents.add(declared.name);
    }
  }

  const notes: string[] = [];
  const example = urls.find((found) => found.url.port)?.url ?? urls[0]?.url;
  const published = postgres?.ports.find((port) => port.container === 5432) ?? postgres?.ports[0];
  const port = published?.host ?? (example?.port ? Number(example.port) : 5432);
  const portFrom = published ? `${postgres!.file} service ${postgres!.name}` : example?.port ? urls.find((found) => found.url.port)!.where : 'PostgreSQL\'s default';
  const env = postgres?.environment ?? {};
  const fromCompose = (key: string) => {
    const resolved = composeDefault(env[key]);
    if (resolved.value === undefined && resolved.variable) notes.push(`${postgres!.file} reads ${key} from \${${resolved.variable}}: set the same value in the DATABASE_URL of preflight.config.ts`);
    return resolved.value || undefined;
  };
  const user = fromCompose('POSTGRES_USER') ?? (example?.username ? decodeURIComponent(example.username) : 'postgres');
  const password = fromCompose('POSTGRES_PASSWORD') ?? 'postgres';
  const database = fromCompose('POSTGRES_DB') ?? (example && example.pathname.length > 1 ? decodeURIComponent(example.pathname.slice(1)) : user);
  const urlVariable = schemas.find((schema) => schema.urlVariable)?.urlVariable ?? urls[0]?.key ?? 'DATABASE_URL';
  const migration = migrationOf(root, schemas, services.filter((service) => dependents.has(service.name)), notes);
  // A backend is the one that reads it when nothing names one.
  if (dependents.size === 0) for (const service of services.filter((candidate) => candidate.kind === 'backend')) dependents.add(service.name);
  return {
    name: services.some((service) => service.name === 'database') ? 'postgres' : 'database',
    engine: 'postgresql',
    evidence,
    port,
    portFrom,
    user,
    password,
    database,
    urlVariable,
    migration,
    dependents: services.filter((service) => dependents.has(service.name)).map((service) => service.name),
    compose: postgres ? { file: postgres.file, service: postgres.name } : undefined,
    notes,
  };
}

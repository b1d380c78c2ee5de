// Which command starts a service on a fresh checkout: never one that builds first, never one that serves build output
// that is not there (a gate runs offline, where `next build` fails; the app's own dev setup is what runs).
import fs from 'node:fs';
import path from 'node:path';

type Scripts = Record<string, string>;

const RUN_SCRIPT = /^(?:npm|pnpm|yarn|bun)\s+(?:run(?:-script)?\s+)?([\w:.-]+)\s*$/;
const BUILDS = /(?:^|\s)(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?build(?::[\w-]+)?|(?:next|vite|nuxt|astro|nest|react-scripts|ng)\s+build|tsc(?:\s+-p\s+\S+)?\s*$|tsc\s+--build)(?:\s|$)/;
const BUILD_DIRS = /^(?:\.\/)?(dist|build|out|\.output|\.next)\//;

/** The body of an npm script a command runs (`npm run dev`, `npm start`, `yarn dev`), else undefined. */
function scriptOf(part: string, scripts: Scripts): string | undefined {
  const trimmed = part.trim();
  if (/^(?:npm|pnpm|yarn|bun)\s+start\s*$/.test(trimmed)) return scripts.start;
  const name = RUN_SCRIPT.exec(trimmed)?.[1];
  return name && name !== 'install' ? scripts[name] : undefined;
}

/** The command with npm scripts replaced by their bodies (a few levels), for the checks below. */
export function expandScripts(command: string, scripts: Scripts, depth = 0): string {
  if (depth > 3) return command;
  return command.split(/\s*(&&|;|\|\|)\s*/).map((part) => {
    if (['&&', ';', '||'].includes(part)) return ` ${part} `;
    const body = scriptOf(part, scripts);
    return body === undefined ? part : expandScripts(body, scripts, depth + 1);
  }).join('');
}

/**
 * Why `command` cannot start the service in `dir` as the repository is checked out: it builds first, or it serves
 * build output that is not there. undefined when it can.
 */
export function whyNotRunnable(command: string, dir: string, scripts: Scripts): string | undefined {
  const expanded = expandScripts(command, scripts);
  for (const part of expanded.split(/\s*(?:&&|;|\|\|)\s*/)) {
    if (BUILDS.test(part)) return `it builds first (\`${part.trim()}\`), which needs the network and time a gate does not have`;
    if (/(?:^|[\s/])next(?:\s+\S+)*?\s+start\b/.test(part) && !fs.existsSync(path.join(dir, '.next'))) return `\`${part.trim()}\` serves .next/, which is not built`;
    if (/(?:^|\s)vite\s+preview\b/.test(part) && !fs.existsSync(path.join(dir, 'dist'))) return `\`${part.trim()}\` serves dist/, which is not built`;
    for (const token of part.split(/\s+/)) {
      const file = token.replace(/\\/g, '/').replace(/^['"]|['"]$/g, '');
      if (BUILD_DIRS.test(file) && !fs.existsSync(path.join(dir, file))) return `\`${part.trim()}\` runs ${file}, which is built (not there)`;
    }
  }
  return undefined;
}

export interface ChosenCommand {
  command: string;
  script: string;
  /** Scripts not used, and why (start serves dist/, which is not built). */
  passedOver: string[];
}

/** A package's start command: `start` when it runs as checked out, else `dev`, else `serve`; `passedOver` says why not the others. */
export function choosePackageCommand(pkg: any, dir: string): { chosen?: ChosenCommand; passedOver: string[] } {
  const scripts: Scripts = pkg?.scripts ?? {};
  const passedOver: string[] = [];
  for (const script of ['start', 'dev', 'serve']) {
    if (!scripts[script]) continue;
    const command = `npm run ${script}`;
    const why = whyNotRunnable(command, dir, scripts);
    if (!why) return { chosen: { command, script, passedOver }, passedOver };
    passedOver.push(`script "${script}" is not used: ${why}`);
  }
  return { passedOver };
}

/** The source files a command runs (`node --import tsx ./src/server.ts`, `tsx watch src/server.ts`), that exist. */
export function entryFiles(command: string, dir: string, scripts: Scripts, main?: string): string[] {
  const expanded = expandScripts(command, scripts);
  const files = expanded.split(/\s+/)
    .map((token) => token.replace(/\\/g, '/').replace(/^['"]|['"]$/g, ''))
    .filter((token) => /\.(?:[cm]?[jt]s|tsx)$/.test(token) && !token.includes('node_modules'))
    .filter((token) => fs.existsSync(path.join(dir, token)));
  if (files.length === 0 && main && fs.existsSync(path.join(dir, main)) && !BUILD_DIRS.test(main)) files.push(main);
  return [...new Set(files.map((file) => path.posix.normalize(file)))];
}

// How the gate is run in a repository that may already have a Playwright suite of its own: the gate then gets its
// own config file beside preflight.config.ts (paths resolve from that folder) and an npm script, so
// `npx playwright test` keeps running the app's suite and `npm run gate` runs the gate.
import fs from 'node:fs';
import path from 'node:path';
import { readJson, readText } from './repo-files.ts';

const PLAYWRIGHT_CONFIGS = ['playwright.config.ts', 'playwright.config.js', 'playwright.config.mjs', 'playwright.config.cjs'];
export const OWN_GATE_CONFIG = 'playwright.preflight.config.ts';

export interface GatePlan {
  /** The gate's Playwright config file, relative to the root. */
  playwrightConfig: string;
  /** The app's own Playwright config, left as it is. */
  appConfig?: string;
  /** The command that runs the gate without npm scripts. */
  npx: string;
  /** The npm script that runs it: added, already there, or not possible (no package.json, the name taken). */
  script?: { name: string; command: string; state: 'add' | 'present' };
  /** Why no script was added. */
  noScript?: string;
  /** What to type. */
  run: string;
}

export function planGate(root: string): GatePlan {
  const existing = PLAYWRIGHT_CONFIGS.find((name) => fs.existsSync(path.join(root, name)));
  const ours = existing && /gatePlaywrightConfig/.test(readText(path.join(root, existing)) ?? '');
  const playwrightConfig = existing && !ours ? OWN_GATE_CONFIG : existing ?? 'playwright.config.ts';
  const npx = playwrightConfig === 'playwright.config.ts' || playwrightConfig === existing ? 'npx playwright test' : `npx playwright test -c ${playwrightConfig}`;
  const scriptCommand = npx.replace(/^npx /, '');
  const appConfig = existing && !ours ? existing : undefined;
  const pkg = readJson(path.join(root, 'package.json'));
  if (!pkg) return { playwrightConfig, appConfig, npx, run: npx, noScript: 'there is no package.json at the root' };
  const scripts: Record<string, string> = pkg.scripts ?? {};
  for (const name of ['gate', 'preflight:gate']) {
    if (scripts[name] === scriptCommand) return { playwrightConfig, appConfig, npx, script: { name, command: scriptCommand, state: 'present' }, run: `npm run ${name}` };
    if (scripts[name] === undefined) return { playwrightConfig, appConfig, npx, script: { name, command: scriptCommand, state: 'add' }, run: `npm run ${name}` };
  }
  return { playwrightConfig, appConfig, npx, run: npx, noScript: 'package.json already has scripts "gate" and "preflight:gate" for something else' };
}

/** Adds the script to package.json as text (its formatting kept), inside "scripts" or as a new "scripts" block. */
export function addScript(root: string, script: { name: string; command: string }): void {
  addPackageEntry(root, 'scripts', script.name, script.command);
}

/** Adds a package to package.json's devDependencies, as text (its formatting kept); `npm install` then installs it. */
export function addDevDependency(root: string, dependency: { name: string; version: string }): void {
  addPackageEntry(root, 'devDependencies', dependency.name, dependency.version);
}

/** Whether package.json already names the package, in any kind of dependency. */
export function hasDependency(root: string, name: string): boolean {
  const pkg = readJson(path.join(root, 'package.json'));
  return ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].some((section) => pkg?.[section]?.[name] !== undefined);
}

function addPackageEntry(root: string, section: string, key: string, value: string): void {
  const file = path.join(root, 'package.json');
  const text = fs.readFileSync(file, 'utf8');
  const entry = `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  const block = new RegExp(`("${section}"\\s*:\\s*\\{)([ \\t]*\\r?\\n([ \\t]*))?`).exec(text);
  let updated: string;
  if (block) {
    const at = block.index + block[1]!.length;
    const empty = /^\s*\}/.test(text.slice(at));
    const indent = block[3] ?? '    ';
    updated = block[2] && !empty ? `${text.slice(0, at)}${block[2]}${entry},\n${indent}${text.slice(at + block[2].length)}` : `${text.slice(0, at)} ${entry} ${text.slice(at).replace(/^\s*/, '')}`;
  } else {
    const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
    updated = text.replace(/\{/, `{\n${indent}"${section}": { ${entry} },`);
  }
  JSON.parse(updated); // never leave package.json broken
  fs.writeFileSync(file, updated);
}

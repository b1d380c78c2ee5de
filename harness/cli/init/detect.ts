// What `npx preflight init` finds in an existing repository. Sources in order of authority: the PM2 ecosystem file
// (dev first) for each service's command, folder and environment; compose files for databases and ports; package.json
// scripts; env examples. Then every place that states a service's port: env files, scripts, PM2, compose, a
// cloudflared-style tunnel, the service's code, URLs hard-coded in source files, and the Markdown files listed in
// drift.rules.ts `docs` (the others are counted).
import path from 'node:path';
import YAML from 'yaml';
import { loadDriftRules } from '../../drift/load-rules.ts';
import { choosePackageCommand, entryFiles, whyNotRunnable } from './commands.ts';
import { readComposeFiles, type ComposeService } from './compose.ts';
import { detectDatabase } from './database.ts';
import { serviceByOwnPort, serviceNamed } from './naming.ts';
import { readPm2Files, type Pm2App, type Pm2File } from './pm2.ts';
import { listDir, readJson, readText, rel, SKIP_DIRS } from './repo-files.ts';
import { findRoutes } from './routes.ts';
import { escapeRegExp, type DetectedService, type Detection, type PortStatement } from './statements.ts';
import { hardCodedStatements, markdownStatements } from './text-statements.ts';

const WEB_DEPENDENCIES = ['next', 'react', 'vue', 'vite', 'svelte', '@sveltejs/kit', 'nuxt', '@angular/core', 'astro'];
/** Env files that are not committed (they hold secrets): drift rules on them would fail on a fresh clone. */
const UNCOMMITTED_ENV = /^\.env(\.local|\..+\.local)?$/;
/** PM2 env keys whose values stay in the user's env files, never in preflight.config.ts. */
const SECRET_KEY = /SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|API_?KEY|_KEY$/i;
const CODE_PORT = /process\.env\.PORT\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})/;

/** Folders that may hold a service: the root's children, and the children of apps/, packages/, services/. */
function candidateFolders(root: string): string[] {
  const children = (dir: string) => listDir(dir).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)).map((entry) => path.join(dir, entry.name));
  return children(root).flatMap((dir) => (['apps', 'packages', 'services'].includes(path.basename(dir)) ? children(dir) : [dir]));
}

function isWeb(pkg: any, folder: string): boolean {
  const deps = { ...pkg?.dependencies, ...pkg?.devDependencies };
  return WEB_DEPENDENCIES.some((name) => name in deps) || /front|web|client|ui|site/i.test(folder);
}

const nameOf = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').replace(/^(?=\d)/, 's-') || 'app';

/** A service in `folder` started by `command`: its kind, entry files, and the routes found where it mounts them. */
function service(root: string, folder: string, name: string, command: string, commandFrom: string, env: Record<string, string> = {}, envLeftOut: string[] = []): DetectedService {
  const dir = path.join(root, folder);
  const pkg = readJson(path.join(dir, 'package.json'));
  const entries = entryFiles(command, dir, pkg?.scripts ?? {}, pkg?.main);
  const routes = findRoutes(root, dir, entries);
  return {
    name,
    cwd: folder,
    command,
    commandFrom,
    kind: isWeb(pkg, path.basename(dir)) ? 'frontend' : 'backend',
    readiness: routes.readiness,
    liveness: routes.liveness,
    routePrefixes: routes.prefixes,
    env,
    envLeftOut,
    entryFiles: entries,
  };
}

/** A service from a PM2 app: its command as PM2 runs it, unless that needs a build, then its package's command. */
function fromPm2App(root: string, file: string, app: Pm2App, taken: Set<string>, notDeclared: string[]): DetectedService | undefined {
  if (app.cwd === undefined) {
    notDeclared.push(`${file}: PM2 app "${app.name}" runs in ${app.rawCwd}, which is not a folder of this repository`);
    return undefined;
  }
  const dir = path.join(root, app.cwd);
  const pkg = readJson(path.join(dir, 'package.json'));
  const folder = app.cwd ? `${app.cwd}/` : '';
  const why = app.command ? whyNotRunnable(app.command, dir, pkg?.scripts ?? {}) : app.unusable;
  const name = [app.cwd && nameOf(path.basename(app.cwd)), nameOf(app.name.replace(/[-_.](dev|development|prod|production|local)$/i, ''))].find((candidate) => candidate && !taken.has(candidate)) ?? nameOf(app.name);
  if (!why) {
    // A secret, or a URL with a password in it, stays in the user's env files.
    const secret = ([key, value]: [string, string]) => SECRET_KEY.test(key) || /:\/\/[^/\s:@]+:[^@\s]+@/.test(value);
    const env = Object.fromEntries(Object.entries(app.env).filter((entry) => !secret(entry)));
    const leftOut = Object.entries(app.env).filter(secret).map(([key]) => key);
    return service(root, app.cwd, name, app.command!, `${file} app "${app.name}"`, env, leftOut);
  }
  const fallback = pkg ? choosePackageCommand(pkg, dir).chosen : undefined;
  if (!fallback) {
    notDeclared.push(`${file}: PM2 app "${app.name}" is not declared: ${why}`);
    return undefined;
  }
  return service(root, app.cwd, name, fallback.command, `${folder}package.json script "${fallback.script}" (${file} app "${app.name}" is not used: ${why})`);
}

/** The services: PM2's apps and the folders compose builds; without either, every folder with a package.json that starts. */
function detectServices(root: string, pm2: Pm2File[], compose: ComposeService[], notDetected: string[], notDeclared: string[]): DetectedService[] {
  const services: DetectedService[] = [];
  const taken = () => new Set(services.map((item) => item.name));
  const chosen = pm2.find((file) => file.chosen);
  for (const app of chosen?.apps ?? []) {
    const found = fromPm2App(root, chosen!.file, app, taken(), notDeclared);
    if (found) services.push(found);
  }
  for (const entry of compose) {
    if (entry.buildFolder === undefined) {
      if (entry.image && !/postgres|postgis/i.test(entry.image)) notDeclared.push(`${entry.file}: service ${entry.name} (${entry.image}) is not declared: declare it in preflight.config.ts if the gate needs it`);
      continue;
    }
    if (services.some((item) => item.cwd === entry.buildFolder)) continue;
    const dir = path.join(root, entry.buildFolder);
    const pkg = readJson(path.join(dir, 'package.json'));
    const { chosen: command, passedOver } = choosePackageCommand(pkg, dir);
    if (!command) {
      notDeclared.push(`${entry.file}: service ${entry.name} builds ${entry.buildFolder}/, whose package.json has no script that starts it as checked out${passedOver.length ? ` (${passedOver.join('; ')})` : ''}`);
      continue;
    }
    services.push(service(root, entry.buildFolder, [nameOf(path.basename(entry.buildFolder)), nameOf(entry.name)].find((name) => !taken().has(name)) ?? nameOf(entry.name), command.command, `${entry.buildFolder}/package.json script "${command.script}" (built by ${entry.file} service ${entry.name})`));
  }
  const started = services.length > 0;
  for (const dir of candidateFolders(root)) {
    const folder = rel(root, dir);
    const pkg = readJson(path.join(dir, 'package.json'));
    if (!pkg || services.some((item) => item.cwd === folder)) continue;
    const { chosen: command, passedOver } = choosePackageCommand(pkg, dir);
    if (started) {
      // A PM2 or compose file says what the app runs: a folder neither starts is a copy (v1-backend/), not a service.
      if (command || passedOver.length) notDeclared.push(`${folder}/: found, not declared (package.json script "${command?.script ?? 'start'}"; no PM2 app or compose service starts it)`);
      continue;
    }
    if (!command) {
      notDetected.push(`${folder}/package.json has no start, dev or serve script that runs as checked out${passedOver.length ? ` (${passedOver.join('; ')})` : ''}: not a service, or start it yourself in preflight.config.ts`);
      continue;
    }
    services.push(service(root, folder, nameOf(path.basename(dir)), command.command, `${folder}/package.json script "${command.script}"${passedOver.length ? ` (${passedOver.join('; ')})` : ''}`));
  }
  if (services.length > 0) return services;
  const pkg = readJson(path.join(root, 'package.json'));
  const { chosen: command, passedOver } = pkg ? choosePackageCommand(pkg, root) : { chosen: undefined, passedOver: [] };
  if (!command) {
    notDetected.push(`no package.json with a start, dev or serve script that runs as checked out (in the root or a service folder)${passedOver.length ? ` (${passedOver.join('; ')})` : ''}: declare the services in preflight.config.ts yourself`);
    return [];
  }
  const kind = isWeb(pkg, '') ? 'frontend' : 'backend';
  return [service(root, '', kind, command.command, `package.json script "${command.script}"${passedOver.length ? ` (${passedOver.join('; ')})` : ''}`)];
}

function envStatements(root: string, services: DetectedService[], statements: PortStatement[], notDetected: string[], found: string[]): void {
  const folders = [...new Set(['', ...services.map((item) => item.cwd)])];
  for (const folder of folders) {
    const dir = path.join(root, folder);
    for (const entry of listDir(dir)) {
      if (!entry.isFile() || !entry.name.startsWith('.env')) continue;
      const file = rel(root, path.join(dir, entry.name));
      if (UNCOMMITTED_ENV.test(entry.name)) {
        notDetected.push(`${file} was not read: it is not committed (secrets), so drift rules on it would fail on a fresh clone; state ports in ${folder ? `${folder}/` : ''}.env.example`);
        continue;
      }
      found.push(file);
      const lines = (readText(path.join(dir, entry.name)) ?? '').split(/\r?\n/);
      const owner = services.find((item) => item.cwd === folder && folder !== '') ?? (services.length === 1 ? services[0] : undefined);
      lines.forEach((line, index) => {
        const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*['"]?([^'"#\s]*)/.exec(line);
        if (!match) return;
        const [, key, value] = match as unknown as [string, string, string];
        const where = `${file}:${index + 1}`;
        if (/^PORT$/.test(key) && /^\d{2,5}$/.test(value)) {
          if (owner) statements.push({ service: owner.name, port: Number(value), where, source: { file, dotenv: key }, own: true, kind: 'config' });
          else notDetected.push(`${where}: PORT=${value} belongs to no one service (root env file of several services)`);
          return;
        }
        const url = /^https?:\/\/([^/:\s]+|\[[^\]]+\]):(\d{2,5})/.exec(value);
        if (!url) return;
        const named = serviceNamed(key, services) ?? (owner && /(^|_)(URL|ORIGIN|HOST)$/.test(key) && /^(APP|SITE|PUBLIC|BASE|SELF)_?/.test(key) ? owner : undefined) ?? serviceByOwnPort(Number(url[2]), services, statements);
        if (!named) {
          notDetected.push(`${where}: ${key} names port ${url[2]}, but not which service (name the service in the key, e.g. BACKEND_URL)`);
          return;
        }
        statements.push({ service: named.name, port: Number(url[2]), host: url[1], where, source: { file, dotenv: key, take: 'port' }, own: named === owner && !/API|BACKEND/.test(key), kind: 'config' });
      });
    }
  }
}

function scriptStatements(root: string, services: DetectedService[], statements: PortStatement[]): void {
  for (const item of services) {
    const file = rel(root, path.join(root, item.cwd, 'package.json'));
    const scripts: Record<string, string> = readJson(path.join(root, file))?.scripts ?? {};
    for (const [script, line] of Object.entries(scripts)) {
      if (!['start', 'dev', 'serve', 'preview'].includes(script)) continue;
      const port = /(?:^|\s)(?:-p|--port)[ =](\d{2,5})\b/.exec(line);
      if (!port) continue;
      const regex = new RegExp(`"${escapeRegExp(script)}":\\s*"[^"]*?(?:-p|--port)[ =](\\d+)`);
      statements.push({ service: item.name, port: Number(port[1]), where: `${file} script "${script}"`, source: { file, regex }, own: true, kind: 'config' });
    }
  }
}

/** The port a service's own code falls back to: `process.env.PORT || 3001` in the files its command runs. */
function codeStatements(root: string, services: DetectedService[], statements: PortStatement[]): void {
  for (const item of services) {
    for (const entry of item.entryFiles) {
      const file = rel(root, path.join(root, item.cwd, entry));
      const lines = (readText(path.join(root, file)) ?? '').split(/\r?\n/);
      lines.forEach((line, index) => {
        const match = CODE_PORT.exec(line);
        if (match) statements.push({ service: item.name, port: Number(match[1]), where: `${file}:${index + 1}`, source: { file, regex: new RegExp(CODE_PORT.source) }, own: true, kind: 'config' });
      });
    }
  }
}

/** A PM2 app's value of `key`, found again as written after the app's name. */
function pm2ValueRegex(app: string, key: string, value: string): RegExp {
  const name = `['"]?name['"]?\\s*:\\s*['"]${escapeRegExp(app)}['"]`;
  return new RegExp(`${name}[\\s\\S]*?(?<![\\w$])['"]?${escapeRegExp(key)}['"]?\\s*:\\s*['"]?${value}`);
}

function pm2Statements(root: string, services: DetectedService[], pm2: Pm2File[], statements: PortStatement[], notDetected: string[], found: string[]): void {
  for (const { file, apps, chosen } of pm2) {
    found.push(`${file} (PM2, ${apps.length} apps${chosen ? ': the services\' commands, folders and environment' : ''})`);
    const text = readText(path.join(root, file)) ?? '';
    for (const app of apps) {
      const owner = services.find((item) => (app.cwd !== undefined && app.cwd !== '' && app.cwd === item.cwd) || item.name === nameOf(app.name)) ?? serviceNamed(app.name, services);
      if (!owner) continue;
      const port = app.env.PORT;
      if (port !== undefined) {
        const regex = pm2ValueRegex(app.name, 'PORT', '(\\d+)');
        if (regex.exec(text)?.[1] !== port) notDetected.push(`${file}: PM2 app "${app.name}" has PORT ${port}, but not written as PORT: ${port} after its name; add a drift rule for it by hand`);
        else statements.push({ service: owner.name, port: Number(port), where: `${file} app "${app.name}"`, source: { file, regex }, own: chosen && owner.commandFrom.startsWith(`${file} app`), kind: 'config' });
      } else if (chosen) {
        notDetected.push(`${file}: PM2 app "${app.name}" sets no env.PORT`);
      }
      // URLs in its environment (NEXT_PUBLIC_API_URL: 'http://localhost:3001') state the port of the service they name.
      for (const [key, value] of Object.entries(app.env)) {
        const url = /^https?:\/\/([^/:\s]+|\[[^\]]+\]):(\d{2,5})/.exec(value);
        const named = url && serviceNamed(key, services);
        if (!url || !named) continue;
        const regex = pm2ValueRegex(app.name, key, '(https?:\\/\\/[^\'"\\s]+)');
        if (regex.exec(text)?.[1] !== value) continue;
        statements.push({ service: named.name, port: Number(url[2]), host: url[1], where: `${file} app "${app.name}" ${key}`, source: { file, regex, take: 'port' }, own: false, kind: 'config' });
      }
    }
  }
}

/** Ports a compose file publishes for a service it builds. */
function composeStatements(root: string, services: DetectedService[], compose: ComposeService[], statements: PortStatement[], found: string[]): void {
  for (const file of [...new Set(compose.map((entry) => entry.file))]) found.push(`${file} (compose, ${compose.filter((entry) => entry.file === file).length} services)`);
  for (const entry of compose) {
    const owner = entry.buildFolder !== undefined ? services.find((item) => item.cwd === entry.buildFolder) : undefined;
    const published = entry.ports[0];
    if (!owner || !published) continue;
    const text = readText(path.join(root, entry.file)) ?? '';
    const indent = new RegExp(`^([ \\t]*)${escapeRegExp(entry.name)}:[ \\t]*$`, 'm').exec(text)?.[1] ?? '  ';
    // The service's key, the lines indented below it, then its first published port.
    const regex = new RegExp(`^${indent}${escapeRegExp(entry.name)}:[^\\n]*\\n(?:${indent}[ \\t][^\\n]*\\n)*?[ \\t]*-[ \\t]*["']?(?:[\\d.]+:)?(\\d+):\\d+`, 'm');
    if (regex.exec(text)?.[1] !== String(published.host)) continue;
    statements.push({ service: owner.name, port: published.host, where: `${entry.file} service ${entry.name}`, source: { file: entry.file, regex }, own: false, kind: 'config' });
  }
}

function findTunnelConfigs(root: string): string[] {
  const dirs = [root, ...['tunnel', '.cloudflared', 'cloudflared', 'deploy', 'infra', 'ops'].map((dir) => path.join(root, dir))];
  return dirs.flatMap((dir) => listDir(dir).filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name)).map((entry) => path.join(dir, entry.name)))
    .filter((file) => /^ingress:/m.test(readText(file) ?? ''));
}

function tunnelStatements(root: string, services: DetectedService[], statements: PortStatement[], notDetected: string[], found: string[]): void {
  for (const full of findTunnelConfigs(root)) {
    const file = rel(root, full);
    let config: any;
    try {
      config = YAML.parse(readText(full) ?? '');
    } catch (error) {
      notDetected.push(`${file} (tunnel) is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    found.push(`${file} (tunnel, ${(config?.ingress ?? []).length} ingress rules)`);
    for (const rule of config?.ingress ?? []) {
      const url = /^https?:\/\/([^/:\s]+|\[[^\]]+\]):(\d{2,5})/.exec(String(rule?.service ?? ''));
      if (!url) continue;
      if (!rule.hostname) {
        notDetected.push(`${file}: an ingress rule without hostname forwards to port ${url[2]}; drift rules select rules by hostname`);
        continue;
      }
      const port = Number(url[2]);
      const byPort = statements.filter((statement) => statement.port === port).map((statement) => statement.service);
      const named = serviceNamed(String(rule.hostname).split('.')[0]!, services) ?? services.find((candidate) => byPort.includes(candidate.name));
      if (!named) {
        notDetected.push(`${file}: ${rule.hostname} forwards to port ${port}, which no service states`);
        continue;
      }
      statements.push({ service: named.name, port, host: url[1], where: `${file} ${rule.hostname}`, source: { file, yaml: ['ingress', { hostname: String(rule.hostname) }, 'service'], take: 'port' }, own: false, kind: 'config' });
    }
  }
}

/** The Markdown files an existing drift.rules.ts lists in `docs` (the user's choice of docs to check). */
async function listedDocs(root: string, notDetected: string[]): Promise<string[] | undefined> {
  const file = path.join(root, 'drift.rules.ts');
  if (!readText(file)) return undefined;
  try {
    return (await loadDriftRules(file)).docs;
  } catch (error) {
    notDetected.push(`drift.rules.ts does not load, so its docs list was not read: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

export async function detect(root: string): Promise<Detection> {
  const notDetected: string[] = [];
  const found: string[] = [];
  const notDeclared: string[] = [];
  const counts: string[] = [];
  const statements: PortStatement[] = [];
  const pm2 = await readPm2Files(root, notDetected);
  const compose = readComposeFiles(root, notDetected);
  const services = detectServices(root, pm2, compose, notDetected, notDeclared);
  // The services' own statements first, by authority: the PM2 app that starts it, its env file, its scripts, its code.
  pm2Statements(root, services, pm2, statements, notDetected, found);
  envStatements(root, services, statements, notDetected, found);
  scriptStatements(root, services, statements);
  codeStatements(root, services, statements);
  composeStatements(root, services, compose, statements, found);
  tunnelStatements(root, services, statements, notDetected, found);
  const leftOut = notDeclared.flatMap((item) => /^([^:\s]+)\/: found, not declared/.exec(item)?.[1] ?? []);
  hardCodedStatements(root, services, statements, leftOut, found, counts);
  markdownStatements(root, services, statements, await listedDocs(root, notDetected), notDetected, found, counts);
  const database = detectDatabase(root, services, compose, new Map(services.map((item) => [item.name, item.env])));
  for (const item of services) {
    if (!statements.some((statement) => statement.service === item.name && statement.kind === 'config')) {
      notDetected.push(`${item.name}: no port stated in its PM2 app, env files, scripts or code; preflight.config.ts uses a placeholder: set its url`);
    }
    if (!item.readiness) {
      const instead = item.kind === 'frontend' ? 'readiness is "the home page / answers 200-399"' : 'readiness is "answers HTTP on /" (any status below 500)';
      notDetected.push(`${item.name}: no readiness or health route found where it defines its routes; ${instead} until you add one (docs/readiness-contract.md)`);
    }
  }
  return { root, services, statements, notDetected, found, notDeclared, database, counts };
}

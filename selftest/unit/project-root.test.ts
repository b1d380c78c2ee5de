// Where preflight.config.ts and every default path resolve from: the folder of the gate file in use, found beside
// (or above) the Playwright configuration given with -c, never the current folder nor preflight's own package.
import assert from 'node:assert/strict';
import fs, { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isPlaywrightCli, locateProject, PACKAGE_ROOT, PLAYWRIGHT_CONFIG_DIR_VAR } from '../../harness/core/project-root.ts';

// outer/                  a stray preflight.config.ts above the repository
//   repo/  .git           the repository
//     e2e/                playwright.config.ts, preflight.config.ts
//     tools/ci/           playwright.config.ts only
//     docs/deep/          nothing
const outer = mkdtempSync(path.join(tmpdir(), 'preflight-root-'));
const repo = path.join(outer, 'repo');
const write = (file: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'export default {};\n');
};
write(path.join(outer, 'preflight.config.ts'));
fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
write(path.join(repo, 'e2e', 'playwright.config.ts'));
write(path.join(repo, 'e2e', 'preflight.config.ts'));
write(path.join(repo, 'tools', 'ci', 'playwright.config.ts'));
fs.mkdirSync(path.join(repo, 'docs', 'deep'), { recursive: true });

after(() => fs.rmSync(outer, { recursive: true, force: true }));

const playwright = (...args: string[]) => ['/usr/bin/node', path.join(repo, 'node_modules/.bin/playwright'), ...args];
const cli = (...args: string[]) => ['/usr/bin/node', path.join(repo, 'node_modules/.bin/preflight'), ...args];

describe('project root', () => {
  it('the runner: the preflight.config.ts beside the Playwright configuration given with -c, from the repository root', () => {
    for (const argv of [playwright('test', '-c', 'e2e/playwright.config.ts'), playwright('test', '--config=e2e/playwright.config.ts'), playwright('test', '--config', 'e2e')]) {
      const location = locateProject({}, repo, argv);
      assert.equal(location.root, path.join(repo, 'e2e'), argv.join(' '));
      assert.equal(location.gateFile, path.join(repo, 'e2e', 'preflight.config.ts'));
      assert.equal(location.named, false);
    }
  });

  it('a worker (no command line of its own) finds the same file from the folder the runner handed on', () => {
    const worker = ['/usr/bin/node', '/x/node_modules/playwright/lib/worker/workerProcessEntry.js'];
    assert.equal(locateProject({ [PLAYWRIGHT_CONFIG_DIR_VAR]: path.join(repo, 'e2e') }, repo, worker).gateFile, path.join(repo, 'e2e', 'preflight.config.ts'));
  });

  it('the CLI: the nearest preflight.config.ts up from the current folder, within the repository', () => {
    fs.mkdirSync(path.join(repo, 'e2e', 'specs'), { recursive: true });
    assert.equal(locateProject({}, path.join(repo, 'e2e', 'specs'), cli('drift')).gateFile, path.join(repo, 'e2e', 'preflight.config.ts'));
  });

  it('never a preflight.config.ts above the repository; without one, the Playwright configuration\'s folder, else where the search began', () => {
    const ci = locateProject({}, repo, playwright('test', '-c', 'tools/ci/playwright.config.ts'));
    assert.equal(ci.gateFile, undefined);
    assert.equal(ci.root, path.join(repo, 'tools', 'ci'));
    assert.equal(locateProject({}, path.join(repo, 'docs', 'deep'), cli('doctor')).root, path.join(repo, 'docs', 'deep'));
  });

  it('PREFLIGHT_CONFIG names the file (or its folder) relative to the current folder; the root is its folder', () => {
    const byFile = locateProject({ PREFLIGHT_CONFIG: 'e2e/preflight.config.ts' }, repo, playwright('test'));
    assert.deepEqual([byFile.root, byFile.gateFile, byFile.named], [path.join(repo, 'e2e'), path.join(repo, 'e2e', 'preflight.config.ts'), true]);
    assert.equal(locateProject({ PREFLIGHT_CONFIG: 'e2e' }, repo, cli('drift')).gateFile, path.join(repo, 'e2e', 'preflight.config.ts'));
    assert.equal(locateProject({ PREFLIGHT_CONFIG: 'missing.config.ts' }, repo, cli('drift')).gateFile, path.join(repo, 'missing.config.ts'));
  });

  it("never preflight's own package folder: the CLI of this repository run elsewhere checks that folder", () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'preflight-elsewhere-'));
    try {
      write(path.join(elsewhere, 'preflight.config.ts'));
      const location = locateProject({}, elsewhere, ['/usr/bin/node', path.join(PACKAGE_ROOT, 'bin/preflight.js'), 'drift']);
      assert.equal(location.root, elsewhere);
      assert.notEqual(location.root, PACKAGE_ROOT);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("knows Playwright's command line from any other", () => {
    for (const script of ['/a/node_modules/.bin/playwright', '/a/node_modules/@playwright/test/cli.js', '/a/node_modules/playwright/cli.js', 'C:\\a\\node_modules\\.bin\\playwright.cmd']) {
      assert.equal(isPlaywrightCli(['node', script]), true, script);
    }
    for (const script of ['/home/me/playwright-demo/node_modules/.bin/preflight', '/a/node_modules/playwright/lib/worker/workerProcessEntry.js', '/a/bin/preflight.js']) {
      assert.equal(isPlaywrightCli(['node', script]), false, script);
    }
  });
});

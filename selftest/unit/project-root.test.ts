// Where reports, .env and the specs resolve from: the user's project, not the installed package's folder.
import assert from 'node:assert/strict';
import fs, { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { findProjectRoot, PACKAGE_ROOT } from '../../harness/core/project-root.ts';

const app = mkdtempSync(path.join(tmpdir(), 'preflight-root-'));
const installed = path.join(app, 'node_modules', 'preflight');
fs.mkdirSync(path.join(app, 'e2e', 'deep'), { recursive: true });
fs.mkdirSync(installed, { recursive: true });
fs.writeFileSync(path.join(app, 'playwright.config.ts'), 'export default {};\n');

after(() => fs.rmSync(app, { recursive: true, force: true }));

describe('project root', () => {
  it("installed as a dependency: the nearest folder up from the working directory with the user's config", () => {
    assert.equal(findProjectRoot({}, path.join(app, 'e2e', 'deep'), installed), app);
    assert.equal(findProjectRoot({}, app, installed), app);
  });

  it('PREFLIGHT_PROJECT_ROOT names it outright, relative to the working directory', () => {
    assert.equal(findProjectRoot({ PREFLIGHT_PROJECT_ROOT: 'e2e' }, app, installed), path.join(app, 'e2e'));
  });

  it("in preflight's own repository it is the repository, wherever the runner starts", () => {
    assert.equal(findProjectRoot({}, tmpdir()), PACKAGE_ROOT);
    assert.ok(fs.existsSync(path.join(PACKAGE_ROOT, 'playwright.config.ts')));
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { claimReportsFolder, REPORTS_MARKER, reportPaths, reportsFolderProblem } from '../../harness/core/report-paths.ts';

const paths = (dir: string) => reportPaths('/work/project', { PREFLIGHT_REPORTS_DIR: dir });

describe('reports folder', () => {
  it('refuses the root, the project, folders above it, the home folder and folders above it', () => {
    assert.equal(reportsFolderProblem(paths('/'), '/work/project', '/home/me'), 'the file system root');
    assert.equal(reportsFolderProblem(paths('.'), '/work/project', '/home/me'), 'the project root');
    assert.equal(reportsFolderProblem(paths('..'), '/work/project', '/home/me'), 'a folder that holds the project');
    assert.equal(reportsFolderProblem(paths('/home/me'), '/work/project', '/home/me'), 'the home folder');
    assert.equal(reportsFolderProblem(paths('/home'), '/work/project', '/home/me'), 'a folder that holds the home folder');
    assert.equal(reportsFolderProblem(paths('/work/project-reports'), '/work/project', '/home/me'), undefined, 'a sibling whose name starts alike is not above');
  });

  it('takes a new or empty folder and marks it; adopts one holding only reports; refuses foreign content', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'preflight-reports-unit-'));
    const fresh = reportPaths(base, { PREFLIGHT_REPORTS_DIR: 'new/reports' });
    assert.deepEqual(claimReportsFolder(fresh, {}), { ok: true });
    assert.ok(fs.existsSync(path.join(fresh.dir, REPORTS_MARKER)));

    const old = reportPaths(base, { PREFLIGHT_REPORTS_DIR: 'old' });
    fs.mkdirSync(old.html, { recursive: true });
    fs.writeFileSync(old.verdict, '{}');
    assert.equal(reportsFolderProblem(old, '/elsewhere', '/nohome'), undefined, 'reports of an earlier version are preflight\'s');

    fs.writeFileSync(path.join(old.dir, 'notes.txt'), 'mine');
    fs.rmSync(path.join(old.dir, REPORTS_MARKER), { force: true });
    assert.match(reportsFolderProblem(old, '/elsewhere', '/nohome') ?? '', /did not make \(it holds "notes\.txt"\)/);
  });
});

describe('suggested commands', () => {
  it('quote a path a shell would read as more than a path', async () => {
    const { shellQuote } = await import('../../harness/reporter/console-verdict.ts');
    const { execFileSync } = await import('node:child_process');
    assert.equal(shellQuote('reports/html'), 'reports/html');
    for (const nasty of ['/tmp/a b/$(touch pwned)/html', "it's `x`; rm -rf ~"]) {
      assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(nasty)}`], { encoding: 'utf8' }), nasty, 'the shell reads back the path itself');
    }
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { claimReportsFolder, REPORTS_MARKER, reportPaths, reportsFolderProblem } from '../../harness/core/report-paths.ts';
import { writeReportFile } from '../../harness/core/report-files.ts';

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

  it('takes a new or empty folder and marks it; only the marker makes a folder preflight\'s, never the names of its entries', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'preflight-reports-unit-'));
    const fresh = reportPaths(base, { PREFLIGHT_REPORTS_DIR: 'new/reports' });
    assert.deepEqual(claimReportsFolder(fresh, {}), { ok: true });
    assert.ok(fs.lstatSync(path.join(fresh.dir, REPORTS_MARKER)).isFile());

    // The user's folder whose entries carry preflight's names: html/, test-results/, a verdict.json of their own.
    const named = reportPaths(base, { PREFLIGHT_REPORTS_DIR: 'named' });
    fs.mkdirSync(named.html, { recursive: true });
    fs.writeFileSync(path.join(named.html, 'keep.txt'), 'mine');
    fs.writeFileSync(named.verdict, '{"mine":true}');
    assert.match(reportsFolderProblem(named, '/elsewhere', '/nohome') ?? '', /did not make \(it holds "html", "verdict\.json", and no \.preflight-reports marker\)/);
    const refused = claimReportsFolder(named, { PREFLIGHT_REPORTS_DIR: named.dir });
    assert.ok(!refused.ok);
    assert.match(refused.diagnosis, /if it holds only reports of an earlier preflight, mark it as preflight's: touch .*named\/\.preflight-reports/);
    assert.equal(fs.existsSync(path.join(named.dir, REPORTS_MARKER)), false, 'not marked by the refusal');

    fs.writeFileSync(path.join(named.dir, REPORTS_MARKER), '');
    assert.equal(reportsFolderProblem(named, '/elsewhere', '/nohome'), undefined, 'marked: preflight\'s');
  });

  it('claiming a marked folder removes every link inside it and leaves what they pointed to untouched', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'preflight-reports-links-'));
    const mine = path.join(base, 'mine');
    fs.mkdirSync(path.join(mine, 'logs'), { recursive: true });
    fs.writeFileSync(path.join(mine, 'logs', 'backend.log'), 'my log');
    fs.writeFileSync(path.join(mine, 'verdict.json'), '{"mine":true}');
    const paths = reportPaths(base, { PREFLIGHT_REPORTS_DIR: 'reports' });
    fs.mkdirSync(path.join(paths.html, 'data'), { recursive: true });
    fs.writeFileSync(path.join(paths.dir, REPORTS_MARKER), '');
    fs.symlinkSync(path.join(mine, 'logs'), paths.logs);
    fs.symlinkSync(path.join(mine, 'verdict.json'), paths.verdict);
    fs.symlinkSync(path.join(mine, 'verdict.json'), path.join(paths.html, 'data', 'deep.json'));

    assert.deepEqual(claimReportsFolder(paths, {}), { ok: true });
    for (const link of [paths.logs, paths.verdict, path.join(paths.html, 'data', 'deep.json')]) assert.equal(fs.existsSync(link), false, `${link} removed`);
    assert.equal(fs.readFileSync(path.join(mine, 'logs', 'backend.log'), 'utf8'), 'my log');
    assert.equal(fs.readFileSync(path.join(mine, 'verdict.json'), 'utf8'), '{"mine":true}');

    // A link made after the claim is replaced by preflight's own writes, never written through.
    fs.symlinkSync(path.join(mine, 'verdict.json'), paths.summary);
    writeReportFile(paths.summary, '# summary');
    assert.equal(fs.readFileSync(path.join(mine, 'verdict.json'), 'utf8'), '{"mine":true}');
    assert.equal(fs.lstatSync(paths.summary).isFile(), true);
  });
});

describe('suggested commands', () => {
  it('quote a path a shell would read as more than a path', async () => {
    const { shellQuote } = await import('../../harness/core/shell-quote.ts');
    const { execFileSync } = await import('node:child_process');
    assert.equal(shellQuote('reports/html'), 'reports/html');
    for (const nasty of ['/tmp/a b/$(touch pwned)/html', "it's `x`; rm -rf ~"]) {
      assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(nasty)}`], { encoding: 'utf8' }), nasty, 'the shell reads back the path itself');
    }
  });
});

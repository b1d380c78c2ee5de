// `npx preflight` explains itself the same way for every command: the real bin/preflight.js as a subprocess, its
// help (exit 0, on stdout) and its usage errors (exit 3, the problem then the command's usage, on stderr).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../support/demo-process.ts';

const COMMANDS = ['init', 'drift', 'doctor', 'health', 'history', 'cleanup'];

interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function preflight(...args: string[]): Promise<CliRun> {
  // An empty folder: nothing there to drift, detect or clean up, so no command can pass for a wrong reason.
  const cwd = await mkdtemp(path.join(tmpdir(), 'preflight-cli-'));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(repoRoot, 'bin/preflight.js'), ...args], { cwd, timeout: 60_000 });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    if (typeof failed.code !== 'number') throw error;
    return { exitCode: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const explain = (run: CliRun) => `exit ${run.exitCode}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

describe('npx preflight explains itself', { timeout: 180_000 }, () => {
  it('--help lists every command with one sentence saying what it does, and the exit codes', async () => {
    for (const flag of ['--help', '-h']) {
      const run = await preflight(flag);
      assert.equal(run.exitCode, 0, explain(run));
      for (const name of COMMANDS) assert.match(run.stdout, new RegExp(`^  ${name} +[A-Z][^\\n]{20,}\\.$`, 'm'), `${name}'s sentence\n${explain(run)}`);
      assert.match(run.stdout, /^exit codes: 0 all sound, 1 warnings, 2 warnings in strict mode, 3 critical; bad usage .* exits 3$/m);
      assert.equal(run.stderr, '');
    }
  });

  it('no command, or an unknown one, exits 3 with the list of commands', async () => {
    const [none, unknown] = await Promise.all([preflight(), preflight('deploy')]);
    assert.equal(none.exitCode, 3, explain(none));
    assert.match(none.stderr, /^preflight: no command given\.\nusage: npx preflight <command>/);
    assert.equal(unknown.exitCode, 3, explain(unknown));
    assert.match(unknown.stderr, /^preflight: unknown command "deploy"\.\nusage: npx preflight <command>[^]*\n  drift +Compare/);
  });

  for (const name of COMMANDS) {
    it(`${name}: -h and --help print its usage and exit 0; an unknown option exits 3 with the usage`, async () => {
      const [short, long, unknown] = await Promise.all([preflight(name, '-h'), preflight(name, '--help'), preflight(name, '--no-such-option')]);
      for (const run of [short, long]) {
        assert.equal(run.exitCode, 0, explain(run));
        assert.match(run.stdout, new RegExp(`^usage: npx preflight ${name}\\b[^\\n]*\\n  [A-Z][^\\n]+\\.\\n[^]*  -h, --help +print this help\\n[^]*exit codes: 0 [^\\n]+; 3 also for bad usage\\n$`), explain(run));
        assert.equal(run.stderr, '');
      }
      assert.equal(unknown.exitCode, 3, explain(unknown));
      assert.match(unknown.stderr, new RegExp(`^preflight ${name}: unknown option --no-such-option\\nusage: npx preflight ${name}\\b`), explain(unknown));
      assert.equal(unknown.stdout, '', 'nothing ran');
    });
  }

  it('a missing value, a value where none goes, and an argument too many are named', async () => {
    const [missing, extraValue, extraArgument, badNumber] = await Promise.all([
      preflight('history', '--last'),
      preflight('drift', '--strict=yes'),
      preflight('cleanup', 'now'),
      preflight('health', 'http://127.0.0.1:9', '--timeout', 'soon'),
    ]);
    assert.equal(missing.exitCode, 3, explain(missing));
    assert.match(missing.stderr, /^preflight history: --last needs a value\nusage: npx preflight history/);
    assert.equal(extraValue.exitCode, 3, explain(extraValue));
    assert.match(extraValue.stderr, /^preflight drift: --strict takes no value\nusage: npx preflight drift/);
    assert.equal(extraArgument.exitCode, 3, explain(extraArgument));
    assert.match(extraArgument.stderr, /^preflight cleanup: takes no argument, got "now"\nusage: npx preflight cleanup/);
    assert.equal(badNumber.exitCode, 3, explain(badNumber));
    assert.match(badNumber.stderr, /^preflight health: --timeout expects a whole number of milliseconds from 1 to 3600000 \(one hour\), got "soon"\nusage: npx preflight health <url>/);
  });
});

// Playwright's private surface as the installed version really has it. When an upgrade of @playwright/test changes
// any of it, this fails and names the function of harness/gate/playwright-private.ts to fix.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import {
  AFTER_HOOKS_STEP,
  workersFromArgv,
  BEFORE_HOOKS_STEP,
  commandLineMayFilter,
  isTestRunnerProcess,
  reporterOutputPlugin,
  reporterMode,
  WATCH_VAR,
  WORKER_INDEX_VAR,
} from '../../harness/gate/playwright-private.ts';
import { repoRoot } from '../support/demo-process.ts';

const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
const fixtureDir = path.join(repoRoot, 'selftest/fixtures/playwright-private');

/** Runs the probe fixture's runner with `args`; returns what the probe reporter saw. */
async function probe(...args: string[]): Promise<{ mode?: string; steps: { title: string; category: string }[]; stdout: string[]; runnerOutput: string[] }> {
  const out = path.join(fs.mkdtempSync(path.join(tmpdir(), 'preflight-probe-')), 'seen.json');
  const run = await execa(process.execPath, [cli, ...args], { cwd: fixtureDir, env: { PROBE_OUT: out }, reject: false, all: true });
  assert.ok(fs.existsSync(out), `the probe runner wrote nothing (exit ${run.exitCode}):\n${run.all}`);
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

const upgrade = (what: string) => `@playwright/test changed ${what}: update harness/gate/playwright-private.ts`;

describe('Playwright\'s private surface, as installed', () => {
  it('a run: reporters get _mode "test", the fixtures run in a "Before Hooks" step, workers have their index variable', async () => {
    const seen = await probe('test');
    assert.equal(reporterMode({ _mode: seen.mode }), 'test', upgrade(`the reporter option _mode (got ${seen.mode})`));
    assert.equal(seen.mode, 'test', upgrade(`the reporter option _mode (got ${seen.mode})`));
    assert.ok(
      seen.steps.some((step) => step.title === BEFORE_HOOKS_STEP && step.category === 'hook'),
      upgrade(`the title of the fixtures' step (steps: ${JSON.stringify(seen.steps)})`),
    );
    assert.ok(
      seen.steps.some((step) => step.title === AFTER_HOOKS_STEP && step.category === 'hook'),
      upgrade(`the title of the fixtures' teardown step (steps: ${JSON.stringify(seen.steps)})`),
    );
    assert.match(seen.stdout.join(''), /probe: worker index \d+, fixture yes/, upgrade(`the worker variable ${WORKER_INDEX_VAR}`));
    assert.deepEqual(seen.runnerOutput, ['probe: runner output through the reporters\n'], upgrade(`the config key of ${reporterOutputPlugin.name} or what a plugin's setup gets`));
  });

  it('a listing: reporters get _mode "list"', async () => {
    const seen = await probe('test', '--list');
    assert.equal(seen.mode, 'list', upgrade(`the reporter option _mode of --list (got ${seen.mode})`));
  });

  it('watch mode still sets its variable, and every command-line option the gate reads still exists', async () => {
    const playwrightDir = path.dirname(createRequire(import.meta.url).resolve('playwright/package.json'));
    const source = fs.readFileSync(path.join(playwrightDir, 'lib/cli/testActions.js'), 'utf8');
    assert.ok(source.includes(`process.env.${WATCH_VAR}`), upgrade(`the watch-mode variable ${WATCH_VAR}`));
    const help = (await execa(process.execPath, [cli, 'test', '--help'])).stdout;
    for (const option of ['--list', '--ui', '--project', '--shard', '--grep', '--grep-invert', '--only-changed', '--last-failed', '--test-list', '--config', '--reporter', '--workers', '--global-timeout']) {
      assert.ok(help.includes(option), upgrade(`its command line: \`playwright test --help\` no longer lists ${option}`));
    }
  });
});

describe('isTestRunnerProcess: where playwright.config.ts may start the gate early', () => {
  const argv = (...args: string[]) => ['/usr/bin/node', '/repo/node_modules/@playwright/test/cli.js', ...args];

  it('is the runner of `playwright test`, with or without filters', () => {
    assert.equal(isTestRunnerProcess(argv('test'), {}), true);
    assert.equal(isTestRunnerProcess(argv('test', '--grep', '@critical', '--shard=1/2'), {}), true);
  });

  it('is not a worker, a listing, UI or watch mode, or another command', () => {
    assert.equal(isTestRunnerProcess(argv('test'), { TEST_WORKER_INDEX: '0' }), false, 'a worker');
    assert.equal(isTestRunnerProcess(argv('test', '--list'), {}), false, 'the critical-spec listing');
    assert.equal(isTestRunnerProcess(argv('test', '--ui'), {}), false);
    assert.equal(isTestRunnerProcess(argv('test'), { PWTEST_WATCH: '1' }), false);
    assert.equal(isTestRunnerProcess(argv('merge-reports', 'blobs'), {}), false);
    assert.equal(isTestRunnerProcess(argv('show-report'), {}), false);
  });

  it('an option it does not know may filter', () => {
    assert.equal(commandLineMayFilter(argv('test', '--some-new-option')), true);
  });
});

describe('the command line\'s --workers, which wins over the configuration', () => {
  it('reads --workers N, --workers=N, -j N and a share of the cores; none, or what Playwright refuses, is undefined', () => {
    const argv = (...args: string[]) => ['node', 'playwright', 'test', ...args];
    assert.equal(workersFromArgv(argv('--workers', '3'), 2), 3);
    assert.equal(workersFromArgv(argv('--workers=1'), 2), 1);
    assert.equal(workersFromArgv(argv('-j', '4'), 2), 4);
    assert.equal(workersFromArgv(argv('--workers=50%'), 8), 4);
    assert.equal(workersFromArgv(argv('--workers=10%'), 2), 1, 'at least one');
    assert.equal(workersFromArgv(argv(), 2), undefined);
    assert.equal(workersFromArgv(argv('--workers=many'), 2), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTestRunnerProcess } from '../../harness/gate/early-start.ts';

const argv = (...args: string[]) => ['/usr/bin/node', '/repo/node_modules/@playwright/test/cli.js', ...args];

describe('isTestRunnerProcess: where playwright.config.ts may start the gate early', () => {
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
});

import assert from 'node:assert/strict';
import type { ConfigResult, PreflightConfig } from '../../harness/config/types.ts';

/** The configuration of a result that must be valid; fails the test with its problems otherwise. */
export const configOf = (result: ConfigResult): PreflightConfig => {
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  return result.config;
};

/** A result's problems, one a line ('' when it is valid). */
export const problems = (result: ConfigResult) => (result.ok ? '' : result.problems.join('\n'));

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpretReadiness, timeoutViolation } from '../../harness/readiness/contract.ts';

describe('interpretReadiness: the readiness contract', () => {
  const cases: Array<[string, number, string, string, RegExp?]> = [
    ['200 ready', 200, '{"status":"ready","version":"1.0.0"}', 'ready'],
    ['200 ready-degraded', 200, '{"status":"ready-degraded","message":"disk 91%"}', 'degraded', /disk 91%/],
    ['503 down', 503, '{"status":"down","checks":{"db":{"status":"fail","critical":true,"output":"refused"}}}', 'down', /db fail \(refused\)/],
    ['200 with status "READY"', 200, '{"status":"READY"}', 'violation', /status/],
    ['200 with checks of the wrong type', 200, '{"status":"ready","checks":"all good"}', 'violation', /checks/],
    ['200 that is not JSON', 200, '<html>ok</html>', 'violation', /not JSON/],
    ['200 with "down"', 200, '{"status":"down"}', 'violation', /pairs "down" with HTTP 503/],
    ['503 with "ready"', 503, '{"status":"ready"}', 'violation', /HTTP 503/],
    ['a redirect', 302, '', 'violation', /redirect/],
    ['500 with an error page', 500, 'Internal Server Error', 'violation', /HTTP 500/],
    ['200 with status "READY": case-sensitive', 200, '{"status":"READY"}', 'violation', /got "READY", and "READY" is not "ready": values are case-sensitive/],
    ['a check with an unknown status', 200, '{"status":"ready","checks":{"db":{"status":"ok"}}}', 'violation', /checks\.db\.status/],
  ];
  for (const [what, status, body, state, reason] of cases) {
    it(`${what} -> ${state}`, () => {
      const verdict = interpretReadiness(status, body);
      assert.equal(verdict.state, state, verdict.reason);
      if (reason) assert.match(verdict.reason, reason);
    });
  }

  it('names where a redirect points', () => {
    assert.match(interpretReadiness(301, '', '', '/login').reason, /a redirect to \/login/);
  });

  it('calls no answer in time a violation', () => {
    const verdict = timeoutViolation(2000);
    assert.equal(verdict.state, 'violation');
    assert.match(verdict.reason, /no answer within 2000 ms \(a timeout\)/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpretReadiness, readinessFindings, timeoutViolation } from '../../harness/readiness/contract.ts';

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

describe('the reason of "down" and "ready-degraded", from every common body shape', () => {
  // What the real app this was measured on answers (backend/src/routes/ops.ts of richlegrande-dot/Care2Connect).
  const realDown = {
    status: 'down',
    message: 'Critical system failures detected',
    timestamp: '2025-01-01T00:00:00.000Z',
    check_duration_ms: 12,
    failures: [
      { name: 'database', message: 'Database connection failed: connect ECONNREFUSED 127.0.0.1:5432', details: { error: 'connect ECONNREFUSED' } },
      { name: 'ports', message: 'Port conflict: backend and frontend using same port' },
    ],
    warnings: [{ name: 'environment', message: 'Environment issues: V1_STABLE not set' }],
  };

  it('failures and warnings (the real app): each failing name and message, the failures first', () => {
    const verdict = interpretReadiness(503, JSON.stringify(realDown));
    assert.equal(verdict.state, 'down');
    assert.equal(
      verdict.reason,
      'down: Critical system failures detected: database fail (Database connection failed: connect ECONNREFUSED 127.0.0.1:5432); ports fail (Port conflict: backend and frontend using same port); environment warn (Environment issues: V1_STABLE not set)',
    );
  });

  const shapes: Array<[string, number, object, RegExp]> = [
    ['ready-degraded with warnings', 200, { status: 'ready-degraded', message: 'Production ready with 1 non-critical issue(s)', warnings: [{ name: 'environment', message: 'V1_STABLE not set' }] }, /^ready-degraded: Production ready with 1 non-critical issue\(s\): environment warn \(V1_STABLE not set\)$/],
    ["checks as a list, with the app's own words", 503, { status: 'down', checks: [{ name: 'database', status: 'down', message: 'refused', critical: true }, { name: 'payments', status: 'degraded', message: 'no keys' }, { name: 'ports', status: 'ready' }] }, /^down: database fail \(refused\); payments warn \(no keys\)$/],
    ["checks as a map (preflight's own shape)", 503, { status: 'down', checks: { db: { status: 'fail', output: 'refused' }, cache: { status: 'pass' } } }, /^down: db fail \(refused\)$/],
    ["checks as the IETF draft's map of lists", 503, { status: 'down', checks: { 'db:connections': [{ status: 'fail', output: 'pool exhausted' }] } }, /^down: db:connections fail \(pool exhausted\)$/],
    ['errors as strings', 503, { status: 'down', errors: ['queue unreachable'] }, /^down: queue unreachable$/],
    ['errors as objects', 503, { status: 'down', errors: [{ component: 'queue', reason: 'unreachable' }] }, /^down: queue fail \(unreachable\)$/],
    ['one error message', 503, { status: 'down', error: 'Readiness check system failure', checks: [] }, /^down: Readiness check system failure$/],
    ['details as a map (Terminus)', 503, { status: 'down', details: { database: { status: 'down', message: 'timeout' }, redis: { status: 'up' } } }, /^down: database fail \(timeout\)$/],
    ['details as messages by name', 503, { status: 'down', details: { database: 'timeout after 2000 ms' } }, /^down: database fail \(timeout after 2000 ms\)$/],
  ];
  for (const [what, status, body, reason] of shapes) {
    it(what, () => {
      const verdict = interpretReadiness(status, JSON.stringify(body));
      assert.match(verdict.reason, reason);
    });
  }

  it('a finding field of another type is left out, never a violation: the contract is the status', () => {
    const verdict = interpretReadiness(503, JSON.stringify({ status: 'down', message: 'db', failures: 7, warnings: [3, null, { name: 4 }], details: true }));
    assert.equal(verdict.state, 'down');
    assert.equal(verdict.reason, 'down: db');
  });

  it('a map of checks keeps its contract: a word outside pass / warn / fail is a violation, named where it is', () => {
    const verdict = interpretReadiness(200, JSON.stringify({ status: 'ready', checks: { db: [{ status: 'up' }] } }));
    assert.equal(verdict.state, 'violation');
    assert.match(verdict.reason, /checks\.db\.0\.status: Invalid option/);
  });

  it('readinessFindings: every entry, passing ones too, with the field it came from', () => {
    const findings = readinessFindings({ status: 'down', checks: [{ name: 'ports', status: 'ok' }], failures: [{ name: 'database', message: 'refused' }] } as never);
    assert.deepEqual(findings.map((finding) => [finding.from, finding.name, finding.status, finding.message]), [
      ['checks', 'ports', 'pass', undefined],
      ['failures', 'database', 'fail', 'refused'],
    ]);
  });
});

// The incident, reproduced: the backend listens on ::1 only while PREFLIGHT_BACKEND_URL names 127.0.0.1.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { explain, runGate } from '../support/run-gate.ts';

// The backend is started on the URL's port, but bound to [::1] instead of 127.0.0.1; it prints the NODE_OPTIONS it got.
const IPV6_ONLY_BACKEND =
  'echo "node options: $NODE_OPTIONS"; ' +
  'PREFLIGHT_BACKEND_URL=$(echo "$PREFLIGHT_BACKEND_URL" | sed "s/127\\.0\\.0\\.1/[::1]/") exec node --import tsx demo-app/backend/server.ts';

describe('address families in a gate run', () => {
  it('a backend that answers on ::1 but not on the 127.0.0.1 the URL names: exit 3, saying which family answers', async () => {
    // The deadline is the backend's own (the database keeps the default), long enough for it to boot and listen on ::1
    // while other tests load the machine: before that, nothing answers on either family.
    const run = await runGate({
      env: { PREFLIGHT_BACKEND_CMD: IPV6_ONLY_BACKEND, PREFLIGHT_BACKEND_TIMEOUT_MS: '10000', NODE_OPTIONS: '--max-old-space-size=1024' },
    });
    assert.equal(run.exitCode, 3, explain(run));
    const port = new URL(run.backendUrl).port;
    assert.match(run.output, new RegExp(
      `address families: backend answers on ::1:${port} but not on 127\\.0\\.0\\.1:${port}, which PREFLIGHT_BACKEND_URL names: ` +
      'bind the backend to 0\\.0\\.0\\.0 or 127\\.0\\.0\\.1, or point the URL at \\[::1\\]'));
    const log = fs.readFileSync(path.join(run.reportsDir, 'logs', 'backend.log'), 'utf8');
    assert.match(log, /^node options: --max-old-space-size=1024 --dns-result-order=ipv4first$/m, 'IPv4-first is appended to the user\'s NODE_OPTIONS');
    assert.match(log, /listening on http:\/\/\[::1\]:/);
  });
});

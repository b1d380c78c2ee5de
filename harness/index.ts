// preflight's public API: what a repository that installs preflight as a dev dependency imports (docs/adopting.md).
export { test, expect, tags } from './fixtures/gate-fixtures.ts';
export type { TestFixtures, WorkerFixtures } from './fixtures/gate-fixtures.ts';
export { gatePlaywrightConfig, GATE_REPORTER, type GatePlaywrightOptions } from './playwright/gate-playwright-config.ts';
export { defineDriftRules } from './drift/define-rules.ts';
export type { DriftRules, DriftSource, UrlPart } from './drift/rules.ts';
export { main as runCli } from './cli/main.ts';
export { defineGate } from './config/define-gate.ts';
export { BROWSER_ERRORS_ANNOTATION, type BrowserErrorsSeverity } from './browser-evidence/evidence.ts';
export type { GateDefinition, ReadinessCheck, ReadinessCheckResult, ReadinessDefinition, ServiceDefinition } from './config/define-gate.ts';

// Configuration drift rules: each fact, and every file that states it. `npx preflight drift` checks them, and so
// does the gate before anything boots. Gating your own app: point these at your files (paths are relative to
// this file's directory, or to PREFLIGHT_DRIFT_ROOT), or name another rules file with PREFLIGHT_DRIFT_RULES.
import { defineDriftRules, type DriftSource, type UrlPart } from './harness/drift/define-rules.ts';

const backendEnv = 'demo-app/backend/.env.example';
const frontendEnv = 'demo-app/frontend/.env.example';
const tunnel = 'demo-app/tunnel/config.yml';
const ecosystem = 'demo-app/ecosystem.config.cjs';
const runbook = 'demo-app/docs/RUNBOOK.md';
// preflight's own defaults and its gate configuration state the demo's addresses too: they must agree with the demo.
const gateConfig = 'preflight.config.ts';
const defaults = 'harness/config/defaults.ts';
const envExample = '.env.example';
/** The URL of `service` in a file that declares services as `name: { ... url: '...' }` (preflight.config.ts, defaults.ts). */
const declaredUrl = (service: string) => new RegExp(`\\b${service}: \\{[^}]*?url: '([^']*)'`);
const databaseEnv = 'demo-app/database/.env.example';

/** Every place the database's address is stated; the database's own .env is the source of truth. */
const databaseUrl = (take: UrlPart): DriftSource[] => [
  { file: databaseEnv, dotenv: 'PREFLIGHT_DATABASE_URL', take },
  { file: backendEnv, dotenv: 'PREFLIGHT_DATABASE_URL', take },
  { file: ecosystem, regex: /PREFLIGHT_DATABASE_URL:\s*'([^']*)'/g, take },
  { file: runbook, regex: /^\|\s*database\s*\|\s*(\S+)\s*\|/m, take },
  { file: gateConfig, regex: declaredUrl('database'), take },
  { file: defaults, regex: declaredUrl('database'), take },
];

/** Every place the backend's URL is stated; the first (the backend's own .env) is the source of truth. */
const backendUrl = (take: UrlPart): DriftSource[] => [
  { file: backendEnv, dotenv: 'PREFLIGHT_BACKEND_URL', take },
  { file: frontendEnv, dotenv: 'PREFLIGHT_BACKEND_URL', take },
  { file: tunnel, yaml: ['ingress', { hostname: 'api.demo.example.org' }, 'service'], take },
  { file: ecosystem, regex: /PREFLIGHT_BACKEND_URL:\s*'([^']*)'/, take },
  { file: runbook, regex: /^\|\s*backend\s*\|\s*(\S+)\s*\|/m, take },
  // The runbook states the backend's address a second time, in its readiness check.
  { file: runbook, regex: /Readiness contract: `GET (https?:\/\/[^/\s`]+)/, take },
  { file: gateConfig, regex: declaredUrl('backend'), take },
  { file: defaults, regex: declaredUrl('backend'), take },
  { file: envExample, regex: /^# PREFLIGHT_BACKEND_URL=(\S+)/m, take },
];

const frontendUrl = (take: UrlPart): DriftSource[] => [
  { file: frontendEnv, dotenv: 'PREFLIGHT_FRONTEND_URL', take },
  { file: tunnel, yaml: ['ingress', { hostname: 'demo.example.org' }, 'service'], take },
  { file: ecosystem, regex: /PREFLIGHT_FRONTEND_URL:\s*'([^']*)'/, take },
  { file: runbook, regex: /^\|\s*frontend\s*\|\s*(\S+)\s*\|/m, take },
  { file: gateConfig, regex: declaredUrl('frontend'), take },
  { file: defaults, regex: declaredUrl('frontend'), take },
  { file: envExample, regex: /^# PREFLIGHT_FRONTEND_URL=(\S+)/m, take },
];

export default defineDriftRules({
  rules: [
    { fact: 'backend port', severity: 'critical', sources: backendUrl('port') },
    { fact: 'backend host', severity: 'critical', sources: backendUrl('host') },
    { fact: 'frontend port', severity: 'critical', sources: frontendUrl('port') },
    { fact: 'frontend host', severity: 'critical', sources: frontendUrl('host') },
    { fact: 'database port', severity: 'critical', sources: databaseUrl('port') },
    { fact: 'database host', severity: 'critical', sources: databaseUrl('host') },
    {
      fact: 'readiness contract path',
      severity: 'warning',
      sources: [
        { file: backendEnv, dotenv: 'PREFLIGHT_HEALTH_PATH' },
        { file: runbook, regex: /Readiness contract: `GET https?:\/\/[^/\s]+(\/[^\s`]*)`/ },
        { file: defaults, regex: /DEFAULT_HEALTH_PATH = '([^']*)'/ },
        { file: envExample, regex: /^# PREFLIGHT_HEALTH_PATH=(\S+)/m },
      ],
    },
    {
      fact: 'tunnel forces IPv4',
      severity: 'critical',
      sources: [{ file: tunnel, yaml: 'edge-ip-version' }],
      expect: { equals: '4' },
      why: 'cloudflared must not try IPv6 first on a host without a working IPv6 route',
    },
    {
      fact: 'tunnel ingress names 127.0.0.1',
      severity: 'critical',
      sources: [{ file: tunnel, yaml: ['ingress', '*', 'service'], take: 'host' }],
      expect: { equals: '127.0.0.1' },
      why: 'the services listen on IPv4 only; localhost may resolve to ::1',
    },
    {
      fact: "frontend's API URL is not localhost",
      severity: 'critical',
      when: { source: { file: backendEnv, dotenv: 'PREFLIGHT_BACKEND_URL', take: 'host' }, expect: { matches: /^\d{1,3}(\.\d{1,3}){3}$/ } },
      sources: [{ file: frontendEnv, dotenv: 'PREFLIGHT_BACKEND_URL', take: 'host' }],
      expect: { noneOf: ['localhost'] },
      why: 'the backend binds an IPv4 address only; localhost may resolve to ::1 and be refused',
    },
  ],
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkDrift, checkDriftRules, driftExitCode } from '../../harness/drift/check-drift.ts';
import { loadDriftRules } from '../../harness/drift/load-rules.ts';
import { copyDemoConfig } from '../support/config-copy.ts';
import { repoRoot } from '../support/demo-process.ts';

const rulesFile = path.join(repoRoot, 'drift.rules.ts');
const check = async (root: string) => checkDrift({ rulesFile, root });
const reasons = (findings: { fact: string; reason: string }[]) => findings.map((f) => `${f.fact}: ${f.reason}`);

describe('drift comparison over the demo app\'s config set', () => {
  it('the bundled set has no drift', async () => {
    const result = await check(repoRoot);
    assert.deepEqual([...result.critical, ...result.warnings], []);
    assert.equal(driftExitCode(result, true), 0);
    assert.ok(result.outcomes.every((outcome) => outcome.rows.length > 0), 'every rule found its sources');
  });

  it('finds a port mismatch at the right file:line, against the source of truth', async () => {
    const root = await copyDemoConfig({ 'demo-app/docs/RUNBOOK.md': (t) => t.replace('127.0.0.1:3001 |', '127.0.0.1:3003 |') });
    const result = await check(root);
    assert.deepEqual(reasons(result.critical), [
      'backend port: demo-app/docs/RUNBOOK.md:8 says 3003, but demo-app/backend/.env.example:7 (source of truth) says 3001',
    ]);
    assert.equal(driftExitCode(result, false), 3);
  });

  it('a missing file is a finding of the rule\'s severity, not a crash', async () => {
    const root = await copyDemoConfig();
    fs.rmSync(path.join(root, 'demo-app/ecosystem.config.cjs'));
    const result = await check(root);
    assert.equal(result.critical.length, 6, reasons(result.critical).join('\n'));
    for (const finding of result.critical) assert.match(finding.reason, /demo-app\/ecosystem\.config\.cjs: file not found/);
  });

  it('a warning rule gives exit 1, or 2 in strict mode', async () => {
    const root = await copyDemoConfig({ 'demo-app/docs/RUNBOOK.md': (t) => t.replace('3001/ops/health/production`', '3001/healthz`') });
    const result = await check(root);
    assert.deepEqual(reasons(result.warnings), [
      'readiness contract path: demo-app/docs/RUNBOOK.md:14 says /healthz, but demo-app/backend/.env.example:10 (source of truth) says /ops/health/production',
    ]);
    assert.deepEqual([driftExitCode(result, false), driftExitCode(result, true)], [1, 2]);
  });

  it('tunnel invariants: IPv4 forced, ingress services name 127.0.0.1, the catch-all rule is not a URL', async () => {
    const root = await copyDemoConfig({
      'demo-app/tunnel/config.yml': (t) => t.replace('edge-ip-version: "4"', 'edge-ip-version: auto').replace('http://127.0.0.1:3000', 'http://localhost:3000'),
    });
    const result = await check(root);
    const tunnel = reasons(result.critical).filter((reason) => reason.startsWith('tunnel'));
    assert.deepEqual(tunnel, [
      'tunnel forces IPv4: demo-app/tunnel/config.yml:7 says auto, must be "4" (cloudflared must not try IPv6 first on a host without a working IPv6 route)',
      'tunnel ingress names 127.0.0.1: demo-app/tunnel/config.yml:12 says localhost, must be "127.0.0.1" (the services listen on IPv4 only; localhost may resolve to ::1)',
    ]);
    const ingress = result.outcomes.find((outcome) => outcome.rule.fact === 'tunnel ingress names 127.0.0.1')!;
    assert.deepEqual(ingress.rows.map((row) => row.status), ['violates', 'holds', 'n/a']);
  });

  it("the frontend's API URL must not be localhost when the backend binds IPv4 only, and only then", async () => {
    const localhostApi = (t: string) => t.replace('PREFLIGHT_BACKEND_URL=http://127.0.0.1:3001', 'PREFLIGHT_BACKEND_URL=http://localhost:3001');
    const rules = await loadDriftRules(rulesFile);
    const invariant = { rules: rules.rules.filter((rule) => rule.fact === "frontend's API URL is not localhost") };
    assert.equal(invariant.rules.length, 1);

    const ipv4Backend = checkDriftRules(invariant, { rulesFile, root: await copyDemoConfig({ 'demo-app/frontend/.env.example': localhostApi }) });
    assert.match(reasons(ipv4Backend.critical).join('\n'), /frontend\/\.env\.example:8 says localhost, must not be "localhost"/);

    const bothLocalhost = await copyDemoConfig({ 'demo-app/frontend/.env.example': localhostApi, 'demo-app/backend/.env.example': localhostApi });
    assert.deepEqual(checkDriftRules(invariant, { rulesFile, root: bothLocalhost }).critical, [], 'a backend that binds localhost is not IPv4-only');
  });

  it('a rules file with a mistake is named, with what is wrong', async () => {
    const root = await copyDemoConfig();
    const broken = path.join(root, 'broken.rules.mjs');
    fs.writeFileSync(broken, "export default { rules: [{ fact: 'port', severity: 'fatal', sources: [] }] };\n");
    await assert.rejects(checkDrift({ rulesFile: broken, root }), /broken\.rules\.mjs does not declare valid rules[\s\S]*rules\[0\]/);
    await assert.rejects(checkDrift({ rulesFile: path.join(root, 'nope.ts'), root }), /does not exist[\s\S]*PREFLIGHT_DRIFT_RULES/);
  });
});

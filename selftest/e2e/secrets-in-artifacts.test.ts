// No secret in any artifact: secrets planted in every form (service log, spec console, request headers, a form
// field, URLs, drift sources, a health URL) are searched for in every file the run leaves, archives unzipped.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { readZip } from '../../harness/secrets/zip.ts';
import { repoRoot } from '../support/demo-process.ts';
import { copyProject } from '../support/project-copy.ts';
import { explain, gateEnvironment, gateRunResult } from '../support/run-gate.ts';

const PEM_BODY = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', 'MZQwnMiGy8Qb7YjCkMXzyHdRvhqsHaXXXmPBmk0fQfnwpPUsNRrwo1oDg6z0lRUw'];
const SECRETS = {
  SELFTEST_API_TOKEN: 'tok-"quoted"\\and/slash-7Qx9',
  SELFTEST_SIGNING_KEY: ['-----BEGIN PRIVATE KEY-----', ...PEM_BODY, '-----END PRIVATE KEY-----'].join('\n'),
  SELFTEST_DB_PASSWORD: 'p@ss w0rd/+&=1',
  SELFTEST_FORM_SECRET: 'form-secret-Zk28',
  // Printed in two parts on two lines (a wrapped log line): each part is a leak.
  SELFTEST_SPLIT_TOKEN: 'split-tok-93kd-Q2mx-77ab',
};
const SPLIT_PARTS = ['split-tok-93kd', '-Q2mx-77ab'];
/** Secrets that are in no variable: only their place gives them away (header, userinfo, drift source). */
const CONTEXTUAL = ['hdr-bearer-55', 'cookie-val-66', 'setcookie-val-44', 'ghp_lonetoken77', 'drift-url-pw-81', 'drift-url-pw-91', 'drift-pw-a-82', 'drift-pw-b-83'];

/** Every text a secret may hide in: the raw value, JSON-escaped, URL-encoded (once and twice), base64 (alone and as Basic auth), hex, in two parts. */
function needles(): string[] {
  const forms = (value: string) => [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    encodeURIComponent(encodeURIComponent(value)),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('hex'),
    Buffer.from(value).toString('hex').toUpperCase(),
  ];
  return [
    ...SPLIT_PARTS,
    ...Object.entries(SECRETS).filter(([name]) => name !== 'SELFTEST_SIGNING_KEY').flatMap(([, value]) => forms(value)),
    ...PEM_BODY,
    Buffer.from(`someone:${SECRETS.SELFTEST_DB_PASSWORD}`).toString('base64'),
    ...CONTEXTUAL,
  ];
}

/** Every text under `dir`: files, zip archives entry by entry (nested too), and the HTML report's embedded zip. */
function* textsUnder(dir: string): Generator<{ where: string; text: string }> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    yield* textsOf(path.relative(dir, file), fs.readFileSync(file));
  }
}

function* textsOf(where: string, data: Buffer): Generator<{ where: string; text: string }> {
  if (data.length > 4 && data.readUInt32LE(0) === 0x04034b50) {
    const entries = readZip(data);
    assert.ok(entries.length > 0, `${where} is a readable archive`);
    for (const entry of entries) yield* textsOf(`${where}!${entry.name}`, entry.data);
    return;
  }
  const text = data.toString('utf8');
  yield { where, text };
  for (const match of text.matchAll(/data:application\/zip;base64,([A-Za-z0-9+/=]+)/g)) yield* textsOf(`${where}!embedded`, Buffer.from(match[1]!, 'base64'));
}

function leaksIn(dir: string): string[] {
  const found: string[] = [];
  let archives = 0;
  for (const { where, text } of textsUnder(dir)) {
    if (where.includes('!')) archives++;
    for (const needle of needles()) if (text.includes(needle)) found.push(`${JSON.stringify(needle)} in ${where}`);
  }
  assert.ok(archives > 0, 'the run left archives to search (a trace, the report data)');
  return found;
}

const DRIFT_RULES = `import { defineDriftRules } from './harness/drift/rules.ts';
const both = (key: string) => [{ file: 'secrets-a.env', dotenv: key }, { file: 'secrets-b.env', dotenv: key }];
export default defineDriftRules({ rules: [
  { fact: 'database url', severity: 'warning', sources: both('DATABASE_URL') },
  { fact: 'database password', severity: 'warning', sources: both('DB_PASSWORD') },
] });
`;

describe('no secret in any artifact', () => {
  it('hides every planted secret from the console, reports/, test-results/, traces and the HTML report', async () => {
    const { root } = await copyProject();
    const plant = (from: string, to: string) => fs.writeFileSync(path.join(root, to), fs.readFileSync(path.join(import.meta.dirname, from), 'utf8').replace('../../../tests/fixtures.ts', './fixtures.ts'));
    plant('../fixtures/attacks/leaks.spec.ts', 'tests/leaks.spec.ts');
    fs.writeFileSync(path.join(root, 'secret-drift.rules.ts'), DRIFT_RULES);
    fs.writeFileSync(path.join(root, 'secrets-a.env'), 'DATABASE_URL=postgres://app:drift-url-pw-81@db:5432/app\nDB_PASSWORD=drift-pw-a-82\n');
    fs.writeFileSync(path.join(root, 'secrets-b.env'), 'DATABASE_URL=postgres://app:drift-url-pw-91@db:5432/app\nDB_PASSWORD=drift-pw-b-83\n');

    const gate = await gateEnvironment({
      ...SECRETS,
      SELFTEST_HEADER_A: 'hdr-bearer-55',
      SELFTEST_HEADER_B: 'cookie-val-66',
      // The demo's own database is the app's data, not an artifact of the run: kept out of the reports folder.
      PREFLIGHT_BACKEND_CMD: `node --import tsx ${path.join(repoRoot, 'selftest/fixtures/leaks-secrets.ts')}`,
      PREFLIGHT_DRIFT_RULES: path.join(root, 'secret-drift.rules.ts'),
    });
    const started = Date.now();
    const result = await execa('npx', ['playwright', 'test', '--project=local', 'leaks.spec.ts'], { cwd: root, env: gate.env, extendEnv: false, reject: false, all: true, stdin: 'ignore', timeout: 180_000 });
    const run = gateRunResult(result, { ...gate, started });
    // The run worked as a run: the service booted, the spec failed on purpose, the drift warnings were found.
    assert.ok(run.verdict, explain(run));
    assert.match(fs.readFileSync(path.join(run.reportsDir, 'logs', 'backend.log'), 'utf8'), /\[leaks\] signing key:\n\[redacted\]\n/);
    assert.ok(run.verdict.warnings.some((finding: any) => finding.kind === 'spec' && /leaks: secrets/.test(finding.title)), explain(run));
    const drift = run.verdict.warnings.filter((finding: any) => finding.kind === 'drift').map((finding: any) => finding.reason).join('\n');
    assert.match(drift, /secrets-b\.env:2 says \[secret [0-9a-f]{8}\], but secrets-a\.env:2 \(source of truth\) says \[secret [0-9a-f]{8}\]/);
    assert.match(drift, /says postgres:\/\/app:\[secret [0-9a-f]{8}\]@db:5432\/app/);
    const fingerprints = [...drift.matchAll(/secrets-b\.env:2 says (\[secret \w+\]), but .* says (\[secret \w+\])/g)][0]!;
    assert.notEqual(fingerprints[1], fingerprints[2], 'different values show different fingerprints');

    assert.deepEqual(needles().filter((needle) => run.output.includes(needle)), [], 'the console shows no secret');
    assert.deepEqual(leaksIn(run.reportsDir), [], 'no file under the reports folder (test-results/ is inside it) holds a secret');

    const cli = await execa('npx', ['preflight', 'drift', '--rules', path.join(root, 'secret-drift.rules.ts'), '--fix'], { cwd: root, env: gate.env, extendEnv: false, reject: false, all: true });
    assert.equal(cli.exitCode, 1, cli.all);
    assert.match(cli.all ?? '', /DB_PASSWORD|\[secret [0-9a-f]{8}\]/);
    assert.deepEqual(needles().filter((needle) => (cli.all ?? '').includes(needle)), [], `npx preflight drift --fix shows no secret:\n${cli.all}`);
  });

  it('npx preflight health never prints the password or lone token of the URL it is given', async () => {
    for (const [url, secret] of [['https://someone:h3alth-pw-5@127.0.0.1:9/x', 'h3alth-pw-5'], ['http://h3alth-token-6@127.0.0.1:9/x', 'h3alth-token-6']] as const) {
      const health = await execa('npx', ['preflight', 'health', url], { cwd: repoRoot, reject: false, all: true });
      assert.equal(health.exitCode, 3, health.all);
      assert.match(health.all ?? '', /127\.0\.0\.1:9\/x/);
      assert.ok(!(health.all ?? '').includes(secret), health.all);
    }
  });
});

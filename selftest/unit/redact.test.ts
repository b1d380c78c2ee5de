import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact, redactDeep, REDACTED, secretValues } from '../../harness/secrets/redact.ts';

const env = {
  API_TOKEN: 'tok_123456',
  DB_PASSWORD: 'hunter2-horse',
  db_passwd: 'lowercase-name',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
  GITHUB_AUTH: 'ghp_abcdef',
  MY_CREDENTIALS: 'user:pass-9',
  SHORT_KEY: 'abc',
  FEATURE_KEY_ENABLED: 'true',
  PATH: '/usr/bin',
  HOME: '/root',
};

describe('redact', () => {
  it('hides the value of every variable whose name looks secret, in any case', () => {
    const text = 'token tok_123456, db hunter2-horse, lowercase-name, wJalrXUtnFEMI, ghp_abcdef, user:pass-9 at /usr/bin';
    assert.equal(redact(text, env), `token ${REDACTED}, db ${REDACTED}, ${REDACTED}, ${REDACTED}, ${REDACTED}, ${REDACTED} at /usr/bin`);
  });

  it('leaves values of other variables, very short values and flag words alone', () => {
    assert.equal(redact('abc true /root', env), 'abc true /root');
    assert.ok(!secretValues(env).includes('abc'));
    assert.ok(!secretValues(env).includes('true'));
  });

  it('hides a secret that contains another whole', () => {
    const nested = { OUTER_TOKEN: 'prefix-inner-secret', INNER_SECRET: 'inner-secret' };
    assert.equal(redact('x prefix-inner-secret y inner-secret', nested), `x ${REDACTED} y ${REDACTED}`);
  });

  it('redacts every string of a JSON-like value, keeping its shape', () => {
    const value = { a: 'tok_123456', list: ['ok', 'hunter2-horse'], n: 3, nested: { flag: true, s: 'ghp_abcdef!' } };
    assert.deepEqual(redactDeep(value, env), { a: REDACTED, list: ['ok', REDACTED], n: 3, nested: { flag: true, s: `${REDACTED}!` } });
  });
});

describe('redact: secrets written out in text', () => {
  it('hides the value of a secret-looking NAME=value, and leaves other assignments alone', () => {
    assert.equal(
      redact('Run it yourself: DB_PASSWORD=inlinepw123 PORT=3001 node server.js --api_key="abcd1234"', {}),
      'Run it yourself: DB_PASSWORD=[redacted] PORT=3001 node server.js --api_key=[redacted]',
    );
    assert.equal(redact('https://x.test/cb?auth_token=zzzz9999&page=2', {}), 'https://x.test/cb?auth_token=[redacted]&page=2');
    assert.equal(redact('FEATURE_KEY=on DEBUG_AUTH=true', {}), 'FEATURE_KEY=on DEBUG_AUTH=true', 'flag words are not secrets');
    assert.equal(redact('connecting to postgres://app:s3cr3t-pw@127.0.0.1:5432/demo', {}), 'connecting to postgres://app:[redacted]@127.0.0.1:5432/demo');
  });
});

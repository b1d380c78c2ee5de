import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact, redactDeep, REDACTED, secretValues, settledLength } from '../../harness/secrets/redact.ts';

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

describe('redact: every form a secret is printed in', () => {
  const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----';
  const secrets = { SIGNING_KEY: pem, API_TOKEN: 'tok-"quoted"\\slash', DB_PASSWORD: 'p@ss word/1', DATABASE_URL: 'postgres://app:db-pw-4242@db:5432/x' };

  it('hides a multi-line value whole, JSON-escaped, and line by line', () => {
    assert.equal(redact(`key:\n${pem}\nend`, secrets), `key:\n${REDACTED}\nend`);
    assert.equal(redact(JSON.stringify({ key: pem }), secrets), `{"key":"${REDACTED}"}`);
    assert.doesNotMatch(redact('line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', secrets), /MIIEvQ/);
  });

  it('hides JSON-escaped, URL-encoded and base64 forms, and credentials of URLs in any variable', () => {
    for (const text of [JSON.stringify(secrets.API_TOKEN), encodeURIComponent(secrets.DB_PASSWORD), 'p%40ss+word%2F1', Buffer.from(secrets.API_TOKEN).toString('base64'), 'db-pw-4242']) {
      assert.doesNotMatch(redact(`x ${text} y`, secrets), /tok-|p@ss|p%40ss|db-pw|dG9r/, text);
    }
    const basic = `Authorization: Basic ${Buffer.from('someone:p@ss word/1').toString('base64')}`;
    assert.equal(redact(basic, {}), `Authorization: ${REDACTED}`, 'the header name alone hides it');
    assert.equal(redact(`basic=${Buffer.from('someone:p@ss word/1').toString('base64')}`, secrets), `basic=${REDACTED}`, 'decoded, it holds a secret');
  });

  it('hides hex (either case) and twice URL-encoded forms (a URL in a URL\'s query), with either case of escapes', () => {
    const hex = Buffer.from(secrets.DB_PASSWORD).toString('hex');
    for (const text of [hex, hex.toUpperCase(), encodeURIComponent(encodeURIComponent(secrets.DB_PASSWORD)), encodeURIComponent('p%40ss+word%2F1'), 'p%40ss%20word%2f1', 'p%2540ss%2520word%252f1']) {
      assert.equal(redact(`x ${text} y`, secrets), `x ${REDACTED} y`, text);
    }
  });

  it('hides a secret split across two lines (real or JSON-escaped breaks, the next line indented), on both lines', () => {
    const token = { API_TOKEN: 'tok-7Qx9-Lm2p-Zz81' };
    assert.equal(redact('token: tok-7Qx9-\nLm2p-Zz81 and more\nnext', token), `token: ${REDACTED}\n${REDACTED} and more\nnext`);
    assert.equal(redact('token: tok-7Qx9-Lm\r\n    2p-Zz81', token), `token: ${REDACTED}\r\n    ${REDACTED}`);
    assert.equal(redact('{"text":"token: tok-7Qx9\\n-Lm2p-Zz81"}', token), `{"text":"token: ${REDACTED}\\n${REDACTED}"}`);
    assert.equal(redact('what ended the line before: t\nok-7Qx9-Lm2p-Zz81', token), `what ended the line before: ${REDACTED}\n${REDACTED}`);
    assert.equal(redact('ok-7Qx9-Lm2p-Zz81 and more', token), `${REDACTED} and more`, 'the rest, when the line before (written already) ended with its first letters');
    const ordinary = 'tok-\nens of the run\nLm2p';
    assert.equal(redact(ordinary, token), ordinary, 'parts that do not make the secret stay');
  });

  it('holds back a line that ends with the first part of a secret, until the line with the rest arrived', () => {
    const token = { API_TOKEN: 'tok-7Qx9-Lm2p-Zz81' };
    const head = 'ok line\nthe token is tok-7Qx9\n';
    assert.equal(head.slice(0, settledLength(head, token)), 'ok line\n');
    const whole = `${head}-Lm2p-Zz81\n`;
    assert.equal(settledLength(whole, token), whole.length);
    assert.equal(redact(whole, token), `ok line\nthe token is ${REDACTED}\n${REDACTED}\n`);
    assert.equal(settledLength('a line that ends in t\n', token), 'a line that ends in t\n'.length, 'a few letters do not hold a line back');
  });

  it('hides username-only userinfo, and the values of Authorization, Cookie and Set-Cookie headers', () => {
    assert.equal(redact('GET https://ghp_tok3n@git.example/x', {}), `GET https://${REDACTED}@git.example/x`);
    assert.equal(redact('Cookie: session=abc123; theme=dark\nnext', {}), `Cookie: ${REDACTED}\nnext`);
    assert.equal(redact('{"set-cookie":"sid=zzz; HttpOnly"}', {}), `{"set-cookie":"${REDACTED}"}`);
    assert.equal(redact('[{"name":"Authorization","value":"Bearer eyJ.abc.def"}]', {}), `[{"name":"Authorization","value":"${REDACTED}"}]`);
  });

  it('sees a changed value although the number of variables stayed the same', () => {
    const env: NodeJS.ProcessEnv = { API_TOKEN: 'first-value' };
    assert.equal(redact('first-value', env), REDACTED);
    env.API_TOKEN = 'second-value';
    assert.equal(redact('second-value first-value', env), `${REDACTED} first-value`);
  });

  it('holds back a stream until a multi-line secret arrived whole', () => {
    const head = `ok line\n${pem.slice(0, 40)}`;
    const cut = settledLength(head, secrets);
    assert.equal(head.slice(0, cut), 'ok line\n');
  });
});

describe('redact: cookies listed in HAR and traces', () => {
  it('hides every value of a cookies list', () => {
    assert.equal(redact('"cookies":[{"name":"sid","value":"abc"},{"name":"t","value":"x\\"y"}],"headers":[]', {}), '"cookies":[{"name":"sid","value":"[redacted]"},{"name":"t","value":"[redacted]"}],"headers":[]');
  });
});

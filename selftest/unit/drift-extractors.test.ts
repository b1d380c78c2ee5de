import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statementsInText } from '../../harness/drift/statements.ts';
import { readUrlPart, writeUrlPart } from '../../harness/drift/url-part.ts';

const values = (statements: ReturnType<typeof statementsInText>) => statements.map((s) => [s.line, s.value ?? s.problem?.kind]);

describe('drift extractors', () => {
  it('dotenv key: the value dotenv parses, on the line of its last definition, quotes and comments aside', () => {
    const text = '# api\nAPI_URL=http://old:1\nexport API_URL="http://127.0.0.1:3001" # the backend\nOTHER=x\n';
    assert.deepEqual(values(statementsInText({ file: '.env', dotenv: 'API_URL' }, text)), [[3, 'http://127.0.0.1:3001']]);
    assert.deepEqual(values(statementsInText({ file: '.env', dotenv: 'API_URL', take: 'port' }, text)), [[3, '3001']]);
    assert.deepEqual(values(statementsInText({ file: '.env', dotenv: 'MISSING' }, text)), [[undefined, 'absent']]);
  });

  it('JSON path: nested keys and indexes; invalid JSON is unparseable, not a crash', () => {
    const text = '{\n  "scripts": {\n    "start": "node server.js --port 3001"\n  },\n  "apps": [{ "port": 3001 }]\n}\n';
    assert.deepEqual(values(statementsInText({ file: 'a.json', json: 'apps.0.port' }, text)), [[5, '3001']]);
    assert.deepEqual(values(statementsInText({ file: 'a.json', json: ['scripts', 'start'] }, text)), [[3, 'node server.js --port 3001']]);
    assert.deepEqual(values(statementsInText({ file: 'a.json', json: 'scripts.stop' }, text)), [[undefined, 'absent']]);
    assert.deepEqual(values(statementsInText({ file: 'a.json', json: 'a' }, '{ "a": 1, }')), [[undefined, 'unparseable']]);
  });

  it('YAML path: keys, item selectors and `*`; a non-URL under `take` is marked, not guessed', () => {
    const text = [
      'edge-ip-version: "4"',
      'ingress:',
      '  # api',
      '  - hostname: api.example.org',
      '    service: http://127.0.0.1:3001',
      '  - service: http_status:404',
    ].join('\n');
    assert.deepEqual(values(statementsInText({ file: 'c.yml', yaml: 'edge-ip-version' }, text)), [[1, '4']]);
    assert.deepEqual(values(statementsInText({ file: 'c.yml', yaml: ['ingress', { hostname: 'api.example.org' }, 'service'], take: 'port' }, text)), [[5, '3001']]);
    assert.deepEqual(values(statementsInText({ file: 'c.yml', yaml: ['ingress', '*', 'service'], take: 'host' }, text)), [[5, '127.0.0.1'], [6, 'not-a-url']]);
    assert.deepEqual(values(statementsInText({ file: 'c.yml', yaml: 'a' }, 'a: [1\nb: 2')), [[undefined, 'unparseable']]);
  });

  it('regex over text: every match, group 1 or the group named value, each on its own line', () => {
    const text = '# Runbook\n\nThe backend listens on port 3001.\n\nRestart it; it comes back on port 3003.\n';
    assert.deepEqual(values(statementsInText({ file: 'R.md', regex: /port (\d+)/ }, text)), [[3, '3001'], [5, '3003']]);
    assert.deepEqual(values(statementsInText({ file: 'R.md', regex: /on port (?<value>\d+)\./ }, text)), [[3, '3001'], [5, '3003']]);
    assert.deepEqual(values(statementsInText({ file: 'R.md', regex: /listens on ([a-z]+:\/\/\S+)/ }, text)), [[undefined, 'absent']]);
  });

  it('URL port and host: default ports, IPv6 literals, rewrites that keep the rest of the URL', () => {
    assert.equal(readUrlPart('https://api.example.org/v1', 'port'), '443');
    assert.equal(readUrlPart('http://[::1]:3001', 'host'), '[::1]');
    assert.equal(readUrlPart('http_status:404', 'host'), undefined);
    assert.equal(writeUrlPart('http://localhost:3003/api?x=1', 'port', '3001'), 'http://localhost:3001/api?x=1');
    assert.equal(writeUrlPart('http://localhost:3001/api', 'host', '127.0.0.1'), 'http://127.0.0.1:3001/api');
    assert.equal(writeUrlPart('http://localhost/api', 'port', '3001'), 'http://localhost:3001/api');
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ServiceLog } from '../../harness/services/service-log.ts';

describe('a service log is redacted as a stream', () => {
  it('hides a multi-line PEM key written in pieces that split its lines, and keeps the lines around it', async () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----';
    process.env.SELFTEST_SIGNING_KEY = pem;
    try {
      const log = new ServiceLog(mkdtempSync(path.join(tmpdir(), 'preflight-log-')), 'backend');
      const output = `starting\nloaded key ${pem} from env\nlistening on 3001\n`;
      for (let at = 0; at < output.length; at += 7) log.write(Buffer.from(output.slice(at, at + 7)));
      assert.ok(!log.tail().join('\n').includes('MIIEvQ'), log.tail().join('\n'));
      await log.close();
      const written = fs.readFileSync(log.file, 'utf8');
      assert.equal(written, 'starting\nloaded key [redacted] from env\nlistening on 3001\n');
    } finally {
      delete process.env.SELFTEST_SIGNING_KEY;
    }
  });

  it('hides a secret written in two parts on two lines, in hex and twice URL-encoded, whatever the pieces', async () => {
    const token = 'tok-7Qx9-Lm2p-Zz81';
    process.env.SELFTEST_API_TOKEN = token;
    try {
      const log = new ServiceLog(mkdtempSync(path.join(tmpdir(), 'preflight-log-')), 'backend');
      const hex = Buffer.from(token).toString('hex');
      const twice = encodeURIComponent(encodeURIComponent(token));
      const output = `starting\ntoken: ${token.slice(0, 9)}\n${token.slice(9)} (wrapped)\nhex ${hex}\ncallback ?next=${twice}\nt\n${token.slice(1)}\nlistening\n`;
      for (let at = 0; at < output.length; at += 5) log.write(output.slice(at, at + 5));
      await log.close();
      const written = fs.readFileSync(log.file, 'utf8');
      // The last case keeps its "t": a line is not held back for a letter or three (docs/safety.md), the rest is hidden.
      assert.equal(written, 'starting\ntoken: [redacted]\n[redacted] (wrapped)\nhex [redacted]\ncallback ?next=[redacted]\nt\n[redacted]\nlistening\n');
    } finally {
      delete process.env.SELFTEST_API_TOKEN;
    }
  });
});

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
});

import fs from 'node:fs';
import path from 'node:path';
import { writeReportFile } from '../core/report-files.ts';
import { redact } from './redact.ts';
import { readZip, writeZip } from './zip.ts';

// Playwright's own viewer code beside the data (html/trace/): never recorded data, and redacting code would break it.
const VIEWER_CODE = /\.(js|mjs|css|map|wasm|woff2?|ttf|ico|svg)$/i;

// The HTML report embeds its data as a base64 zip in index.html.
const EMBEDDED_ZIP = /(data:application\/zip;base64,)([A-Za-z0-9+/=\s]+)/g;

/** Text, as far as redaction is concerned: valid UTF-8 without NUL bytes (screenshots and videos are not). */
function asText(data: Buffer): string | undefined {
  if (data.subarray(0, 8192).includes(0)) return undefined;
  const text = data.toString('utf8');
  return Buffer.byteLength(text) === data.length && !text.includes('\uFFFD') ? text : undefined;
}

/** `data` redacted: text directly, a zip entry by entry (nested zips too); other binaries as they are. */
function redactData(name: string, data: Buffer): Buffer {
  if (name.endsWith('.zip') || (data.length > 4 && data.readUInt32LE(0) === 0x04034b50)) {
    const entries = readZip(data);
    const redacted = entries.map((entry) => ({ name: entry.name, data: redactData(entry.name, entry.data) }));
    return redacted.some((entry, index) => entry.data !== entries[index]!.data) ? writeZip(redacted) : data;
  }
  const text = asText(data);
  if (text === undefined) return data;
  // The report's own page is code: only its embedded data is rewritten, never the app around it.
  const embedded = name.endsWith('.html') && EMBEDDED_ZIP.test(text);
  EMBEDDED_ZIP.lastIndex = 0;
  const result = embedded
    ? text.replace(EMBEDDED_ZIP, (_whole, head: string, base64: string) => head + redactData('report.zip', Buffer.from(base64.replace(/\s/g, ''), 'base64')).toString('base64'))
    : redact(text);
  return result === text ? data : Buffer.from(result);
}

function* filesUnder(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try {
    if (fs.statSync(dir).isFile()) return yield dir;
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(file);
    else if (entry.isFile()) yield file;
  }
}

/**
 * After the run: every file under `dirs` (or that file: junit.xml) (the HTML report with its embedded data, traces, attachments, blob
 * reports) rewritten without secrets, archives entry by entry. What cannot be read to redact is deleted, not kept.
 * Returns what was deleted and why.
 */
export function redactArtifacts(dirs: string[]): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    for (const file of filesUnder(dir)) {
      if (VIEWER_CODE.test(file)) continue;
      try {
        const data = fs.readFileSync(file);
        const safe = redactData(path.basename(file), data);
        if (safe !== data) writeReportFile(file, safe);
      } catch (error) {
        fs.rmSync(file, { force: true });
        removed.push(`${file} (${(error as Error).message})`);
      }
    }
  }
  return removed;
}

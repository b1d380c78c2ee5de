import fs from 'node:fs';
import path from 'node:path';

/**
 * Nothing inside the reports folder is written through a symbolic link (docs/safety.md): a link found where a
 * report goes is removed and replaced by the report, and what it pointed to is left as it was. The claim of the
 * folder removes every link inside it before Playwright and preflight write there; these helpers keep the rule for
 * preflight's own writes during the run.
 */

// O_NOFOLLOW does not exist on Windows, where making a link needs rights a careless setup does not have.
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;

const isLink = (entry: string) => {
  try {
    return fs.lstatSync(entry).isSymbolicLink();
  } catch {
    return false;
  }
};

/** Removes every symbolic link inside `dir` (never following one), deepest first; returns the links removed. */
export function removeLinksInside(dir: string): string[] {
  const removed: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const inside = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      fs.unlinkSync(inside);
      removed.push(inside);
    } else if (entry.isDirectory()) removed.push(...removeLinksInside(inside));
  }
  return removed;
}

/** Makes `dir`, a folder inside the reports folder, as a real folder: a link in its place is removed first. */
export function makeReportFolder(dir: string): void {
  if (isLink(dir)) fs.unlinkSync(dir);
  fs.mkdirSync(dir, { recursive: true });
}

// Write from the start, made if missing, and never through a link in the file's own place.
const WRITE_NEW = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | NO_FOLLOW;

/** Opens `file` (its folder exists) for writing from its start without following a link: one in its place is removed first. */
export function openReportFile(file: string): number {
  if (isLink(file)) fs.unlinkSync(file);
  return fs.openSync(file, WRITE_NEW);
}

/** A stream that writes `file` from its start, never through a link (see openReportFile); a failure to open is its 'error' event. */
export function reportFileStream(file: string): fs.WriteStream {
  if (isLink(file)) fs.unlinkSync(file);
  return fs.createWriteStream(file, { flags: WRITE_NEW as unknown as string });
}

/** Writes `file` whole, never through a link (see openReportFile). */
export function writeReportFile(file: string, data: string | Uint8Array): void {
  const fd = openReportFile(file);
  try {
    fs.writeFileSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}

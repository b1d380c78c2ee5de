// Reading a repository the way `npx preflight init` does: which folders it never enters, and a bounded walk.
import fs from 'node:fs';
import path from 'node:path';

/** Installed packages and build output: never the repository's own statements. */
export const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'reports', 'test-results', 'playwright-report', 'blob-report', '.next', '.nuxt', '.svelte-kit', '.turbo', '.cache', '.git', 'vendor']);
/** Tests and their fixtures: their URLs are test data, not what the app runs. */
export const TEST_DIR = /^(tests?|__tests__|__mocks__|e2e|specs?|fixtures?|cypress|playwright)$/i;
/** Old copies kept for reference. */
export const ARCHIVE_DIR = /^(archive|archived|legacy|deprecated|old|backups?)$/i;
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$|\.d\.ts$|\.min\.js$/;

export const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

export function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

export interface WalkOptions {
  /** Which files to return, by name. */
  file: (name: string) => boolean;
  /** Folders (relative to the root) not to enter, besides SKIP_DIRS and hidden ones. */
  skip?: (relative: string, name: string) => boolean;
  /** Leave out tests, fixtures and archives (their files and folders). */
  skipTests?: boolean;
  maxDepth?: number;
  maxFiles?: number;
  /** Larger files are not read (generated bundles, data). */
  maxBytes?: number;
}

/** The files under `dir` that `options.file` accepts, breadth-first, bounded in depth, number and size. */
export function walkFiles(root: string, dir: string, options: WalkOptions): string[] {
  const { maxDepth = 8, maxFiles = 5000, maxBytes = 512 * 1024 } = options;
  const files: string[] = [];
  let level: string[] = [dir];
  for (let depth = 0; depth <= maxDepth && level.length && files.length < maxFiles; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      for (const entry of listDir(folder).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) {
          if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
          if (options.skipTests && (TEST_DIR.test(entry.name) || ARCHIVE_DIR.test(entry.name))) continue;
          if (options.skip?.(rel(root, full), entry.name)) continue;
          next.push(full);
        } else if (entry.isFile() && options.file(entry.name) && !(options.skipTests && TEST_FILE.test(entry.name))) {
          if (files.length >= maxFiles) break;
          if (fs.statSync(full).size <= maxBytes) files.push(full);
        }
      }
    }
    level = next;
  }
  return files;
}

/** What a walk with skipTests leaves out, for a person. */
export const SKIPPED_FOR_A_PERSON = 'node_modules, build output (dist, build, out, .next), hidden folders, tests and fixtures (test, tests, __tests__, e2e, fixtures, *.test.*, *.spec.*), archives (archive, legacy, old)';

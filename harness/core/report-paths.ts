import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './project-root.ts';
import { removeLinksInside, writeReportFile } from './report-files.ts';
import { shellQuote } from './shell-quote.ts';

/** Where every report of docs/reports.md goes; PREFLIGHT_REPORTS_DIR moves them all (the own tests run gates side by side). */
export function reportPaths(root = PROJECT_ROOT, env: NodeJS.ProcessEnv = process.env) {
  const dir = path.resolve(root, env.PREFLIGHT_REPORTS_DIR || 'reports');
  return {
    dir,
    html: path.join(dir, 'html'),
    junit: path.join(dir, 'junit.xml'),
    verdict: path.join(dir, 'verdict.json'),
    summary: path.join(dir, 'summary.md'),
    logs: path.join(dir, 'logs'),
    driftTable: path.join(dir, 'drift.md'),
    driftJson: path.join(dir, 'drift.json'),
    /** Blob report of a sharded run, for `npx playwright merge-reports`. */
    blob: path.join(dir, 'blob'),
    /** Playwright's outputDir (traces, screenshots): test-results/ unless the reports were moved. */
    testResults: env.PREFLIGHT_REPORTS_DIR ? path.join(dir, 'test-results') : path.resolve(root, 'test-results'),
  };
}

export type ReportPaths = ReturnType<typeof reportPaths>;

/** The file that marks a reports folder as preflight's: only such a folder (or an empty or new one) is written. */
export const REPORTS_MARKER = '.preflight-reports';

const markedAsPreflights = (dir: string) => {
  try {
    return fs.lstatSync(path.join(dir, REPORTS_MARKER)).isFile();
  } catch {
    return false;
  }
};

/**
 * Why the reports folder must not be used, or undefined. Playwright empties html/ and test-results/ inside it and
 * preflight overwrites verdict.json and the rest, so the folder must be one preflight made (its marker says so, and
 * nothing else: entries named like reports may be the user's), or new, or empty: never `.`, `..`, the project root
 * or a folder above it, `/`, the home folder.
 */
export function reportsFolderProblem(paths: ReportPaths, root = PROJECT_ROOT, home = os.homedir()): string | undefined {
  const { dir } = paths;
  const contains = (outer: string, inner: string) => inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);
  if (dir === path.parse(dir).root) return 'the file system root';
  if (contains(dir, root)) return dir === root ? 'the project root' : 'a folder that holds the project';
  if (contains(dir, home)) return dir === home ? 'the home folder' : 'a folder that holds the home folder';
  let entries: string[];
  try {
    if (!fs.statSync(dir).isDirectory()) return 'a file, not a folder';
    entries = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `not readable (${(error as NodeJS.ErrnoException).code})`;
  }
  if (entries.length === 0 || markedAsPreflights(dir)) return undefined;
  // Named first: the entries that cannot be reports, the likeliest sign of whose folder it is.
  const reportNames = new Set(Object.values(paths).map((entry) => path.basename(entry)));
  const shown = [...entries.filter((entry) => !reportNames.has(entry)), ...entries.filter((entry) => reportNames.has(entry))]
    .slice(0, 3).map((entry) => JSON.stringify(entry)).join(', ');
  return `a folder preflight did not make (it holds ${shown}${entries.length > 3 ? `, and ${entries.length - 3} more` : ''}, and no ${REPORTS_MARKER} marker)`;
}

/**
 * Before anything runs: refuses a reports folder preflight must not write into (the diagnosis, for exit 3), or
 * makes it and marks it as preflight's. Every symbolic link inside it is then removed (its target left as it was),
 * so neither Playwright nor preflight writes through one.
 */
export function claimReportsFolder(paths: ReportPaths, env: NodeJS.ProcessEnv = process.env): { ok: true } | { ok: false; diagnosis: string } {
  const problem = reportsFolderProblem(paths);
  if (problem) {
    const given = env.PREFLIGHT_REPORTS_DIR ? `PREFLIGHT_REPORTS_DIR=${JSON.stringify(env.PREFLIGHT_REPORTS_DIR)}` : 'the default reports/';
    const marked = /^a folder preflight did not make/.test(problem)
      ? `  if it holds only reports of an earlier preflight, mark it as preflight's: touch ${shellQuote(path.join(paths.dir, REPORTS_MARKER))}\n`
      : '';
    return {
      ok: false,
      diagnosis:
        `preflight: refusing to write reports into ${JSON.stringify(paths.dir)} (${given}): it is ${problem}; nothing was run.\n` +
        `  why: a run empties html/ and test-results/ in its reports folder and overwrites verdict.json, so it writes only into a folder it made (marked by ${REPORTS_MARKER}) or an empty one.\n` +
        marked +
        '  fix: set PREFLIGHT_REPORTS_DIR to a new or empty folder (e.g. PREFLIGHT_REPORTS_DIR=reports), or unset it to use reports/ in the project.',
    };
  }
  try {
    fs.mkdirSync(paths.dir, { recursive: true });
    const marker = path.join(paths.dir, REPORTS_MARKER);
    if (!markedAsPreflights(paths.dir)) writeReportFile(marker, 'This folder holds preflight reports; preflight empties and rewrites what is in it (docs/safety.md).\n');
    // A folder that exists but cannot be written (a read-only mount, another owner) would fail every report at the end.
    fs.accessSync(paths.dir, fs.constants.W_OK);
    removeLinksInside(paths.dir);
  } catch (thrown) {
    const error = whyNotWritable(paths.dir) ?? (thrown as NodeJS.ErrnoException);
    const code = error.code;
    const cause = code === 'EROFS' ? 'it is on a read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'this user may not write there' : undefined;
    return {
      ok: false,
      diagnosis:
        `preflight: cannot write reports into ${JSON.stringify(paths.dir)} (${(error as Error).message.split('\n')[0]}); nothing was run.\n` +
        (cause ? `  likely cause: ${cause}.\n` : '') +
        '  fix: make it writable, or set PREFLIGHT_REPORTS_DIR to a writable new or empty folder.',
    };
  }
  return { ok: true };
}

/** The nearest existing folder's own reason it cannot be written (recursive mkdir on a read-only disk says ENOENT). */
function whyNotWritable(dir: string): NodeJS.ErrnoException | undefined {
  let existing = dir;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
    return undefined;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

/** For playwright.config.ts in the runner: refuses (exit 3, before Playwright empties anything) or claims the folder. */
export function claimReportsFolderOrExit(paths: ReportPaths): void {
  const claim = claimReportsFolder(paths);
  if (claim.ok) return;
  process.stderr.write(`${claim.diagnosis}\npreflight verdict: critical, exit code 3\n`);
  process.exit(3);
}

import { spawn } from 'node:child_process';
import os from 'node:os';
import { createRequire } from 'node:module';
import { harnessModule } from '../playwright/module-path.ts';
import type { SpecRef } from '../verdict/completeness.ts';
import { LISTING_MARKER } from './critical-spec-lister.ts';

export type ListingResult = { ok: true; specs: SpecRef[] } | { ok: false; problem: string };

export interface SpecListing {
  /** Settles with every spec of the configuration, or why they could not be listed; never rejects. */
  result(timeoutMs: number): Promise<ListingResult>;
  cancel(): void;
}

const LISTER = harnessModule(import.meta.url, './critical-spec-lister');
const PLAYWRIGHT_CLI = createRequire(import.meta.url).resolve('@playwright/test/cli');

/**
 * Lists every spec of the configuration in a separate `playwright test --list`, without the command line's
 * filters (--grep, file arguments, --only-changed, --last-failed, --shard), keeping only the chosen projects.
 * It runs at low priority alongside the boot; the reporter reads it at the end of the run.
 */
export function startSpecListing(options: { configFile?: string; projects: string[]; cwd?: string }): SpecListing {
  const args = [PLAYWRIGHT_CLI, 'test', '--list', `--reporter=${LISTER}`];
  if (options.configFile) args.push(`--config=${options.configFile}`);
  for (const project of options.projects) args.push(`--project=${project}`);
  const child = spawn(process.execPath, args, { cwd: options.cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  // The listing is only needed at the end of the run: it must not slow the boot or the browser.
  if (child.pid) {
    try {
      os.setPriority(child.pid, 10);
    } catch {
      // Lowering priority is an optimisation only.
    }
  }
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  // 'close', not 'exit': the output pipes have drained by then, so the listing's line is never lost.
  const settled = new Promise<ListingResult>((resolve) => {
    child.once('error', (error) => resolve({ ok: false, problem: `listing the specs (playwright test --list) could not run: ${error.message}` }));
    child.once('close', (code) => resolve(parseListing(output, code ?? undefined)));
  });

  return {
    result: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<ListingResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, problem: `listing the specs (playwright test --list) took longer than ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        return await Promise.race([settled, deadline]);
      } finally {
        clearTimeout(timer);
        child.kill();
      }
    },
    cancel: () => {
      child.kill();
    },
  };
}

/** The listing of a run whose command line cannot have filtered anything: its own selection. */
export function selectionIsTheSuite(selected: SpecRef[]): SpecListing {
  return { result: async () => ({ ok: true, specs: selected }), cancel: () => {} };
}

export function parseListing(output: string, exitCode: number | undefined): ListingResult {
  const line = output.split('\n').find((text) => text.startsWith(LISTING_MARKER));
  const tail = output.trim().split('\n').slice(-5).join(' | ');
  if (!line) return { ok: false, problem: `listing the specs (playwright test --list) failed with exit code ${exitCode}: ${tail}` };
  let listing: { specs: SpecRef[]; errors: string[] };
  try {
    listing = JSON.parse(line.slice(LISTING_MARKER.length));
    if (!Array.isArray(listing.specs) || !Array.isArray(listing.errors)) throw new Error('no "specs" and "errors" lists');
  } catch (error) {
    // The promise is never to reject: what could not be read becomes the completeness check's problem.
    return { ok: false, problem: `listing the specs (playwright test --list) printed a line it could not read (${(error as Error).message}): ${line.slice(0, 200)}` };
  }
  if (listing.errors.length > 0) return { ok: false, problem: `listing the specs (playwright test --list) found errors: ${listing.errors.join('; ')}` };
  return { ok: true, specs: listing.specs };
}

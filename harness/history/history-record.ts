import { execFileSync } from 'node:child_process';
import type { TestCase } from '@playwright/test/reporter';
import { CRITICAL_TAG } from '../core/findings.ts';
import { PROJECT_ROOT } from '../core/project-root.ts';
import type { VerdictReport } from '../reporter/verdict-report.ts';

/** The record's format: a reader compares only records of its own format (docs/history.md). */
export const HISTORY_FORMAT = 1;

/** One run of the gate, one line of the history file. */
export interface HistoryRecord {
  format: typeof HISTORY_FORMAT;
  startedAt: string;
  endedAt: string;
  verdict: VerdictReport['verdict'];
  exitCode: number;
  partial: boolean;
  durationMs: number;
  /** The commit checked out when the run ended, when the project is in git. */
  commit?: string;
  services: { name: string; msToReady?: number; ready: boolean }[];
  specs: { title: string; project: string; file: string; critical: boolean; outcome: string; durationMs: number }[];
  /** Titles of the specs that passed only on retry. */
  flaky: string[];
}

/** The commit of the project, or undefined outside git (or without git). */
export function currentCommit(cwd = PROJECT_ROOT): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2_000 }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

export function buildHistoryRecord(report: VerdictReport, tests: TestCase[], commit = currentCommit()): HistoryRecord {
  const specs = tests.map((test) => ({
    title: test.title,
    project: test.parent.project()?.name ?? '',
    file: test.location.file,
    critical: test.tags.includes(CRITICAL_TAG),
    outcome: test.outcome(),
    durationMs: test.results.at(-1)?.duration ?? 0,
  }));
  return {
    format: HISTORY_FORMAT,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    verdict: report.verdict,
    exitCode: report.exitCode,
    partial: report.partial,
    durationMs: Date.parse(report.endedAt) - Date.parse(report.startedAt),
    ...(commit ? { commit } : {}),
    services: report.services.map((service) => ({ name: service.name, msToReady: service.msToReady, ready: service.msToReady !== undefined })),
    specs,
    flaky: specs.filter((spec) => spec.outcome === 'flaky').map((spec) => spec.title),
  };
}

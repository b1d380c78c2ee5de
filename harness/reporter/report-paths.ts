import path from 'node:path';
import { PROJECT_ROOT } from '../core/project-root.ts';

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

import fs from 'node:fs';
import { z } from '../core/packages.ts';
import { loadUserModule } from '../core/load-typescript.ts';
import { driftRulesSchema, type DriftRules } from './rules.ts';

/** The rules file is missing, does not load, or does not declare valid rules. */
export class DriftRulesError extends Error {}

/** Imports the rules file (TypeScript or JavaScript, rules as its default export) and validates it. */
export async function loadDriftRules(file: string): Promise<DriftRules> {
  if (!fs.existsSync(file)) {
    throw new DriftRulesError(
      `the drift rules file ${file} does not exist.\n  fix: correct the path (--rules, PREFLIGHT_DRIFT_RULES or driftRules of preflight.config.ts), or create the file (docs/drift.md).`,
    );
  }
  let exported: unknown;
  try {
    // Not import(): a rules file outside this project (no "type": "module" beside it) would not load as ESM.
    exported = loadUserModule(file);
  } catch (error) {
    throw new DriftRulesError(`the drift rules file ${file} does not load: ${(error as Error).message.split('\n')[0]}\n  fix: correct the file; check it with npx tsc --noEmit.`);
  }
  const parsed = driftRulesSchema.safeParse(exported);
  if (!parsed.success) {
    const problems = z.prettifyError(parsed.error).replace(/^/gm, '    ');
    throw new DriftRulesError(`the drift rules file ${file} does not declare valid rules (export default defineDriftRules({ rules: [...] })):\n${problems}`);
  }
  return exported as DriftRules;
}

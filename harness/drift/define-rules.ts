import type { DriftRules, DriftSource, UrlPart } from './rules.ts';

export type { DriftRules, DriftSource, UrlPart };

/**
 * Identity function that gives a rules file its types. Kept apart from the rules' schema (./rules.ts): a rules file
 * is loaded with require before the first service starts, and importing only types keeps zod out of that load.
 */
export function defineDriftRules(rules: DriftRules): DriftRules {
  return rules;
}

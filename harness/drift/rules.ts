import type { Severity } from '../core/findings.ts';
import { z } from 'zod';

/**
 * One step of a JSON/YAML path: a map key, a sequence index, `'*'` (every item), or an object that selects
 * the sequence items whose keys have these values (e.g. `{ hostname: 'api.example.org' }`).
 */
export type PathSegment = string | number | Record<string, string>;

/** The part of a URL to compare, instead of the whole value. */
export type UrlPart = 'port' | 'host';

interface SourceBase {
  /** Path of the file, relative to the drift root (the rules file's directory unless PREFLIGHT_DRIFT_ROOT is set). */
  file: string;
  /** Take the port or host of the URL the extractor found. */
  take?: UrlPart;
}

/** Where a fact is stated: a file plus an extractor. */
export type DriftSource =
  | (SourceBase & { dotenv: string })
  | (SourceBase & { json: string | PathSegment[] })
  | (SourceBase & { yaml: string | PathSegment[] })
  /** Every match is a statement of the fact; the value is the group named `value`, else group 1, else the match. */
  | (SourceBase & { regex: RegExp });

export type { Severity };

/** What every value of an invariant must be. */
export type Expectation = { equals: string } | { oneOf: string[] } | { noneOf: string[] } | { matches: RegExp };

/** All sources state the same value; the first source is the source of truth (`--fix` copies its value). */
export interface EqualityRule {
  fact: string;
  severity: Severity;
  sources: DriftSource[];
}

/** Every value of every source meets `expect` (only when `when` holds, if given). */
export interface InvariantRule {
  fact: string;
  severity: Severity;
  sources: DriftSource[];
  expect: Expectation;
  when?: { source: DriftSource; expect: Expectation };
  /** Why the invariant exists: shown with a violation. */
  why?: string;
}

export type DriftRule = EqualityRule | InvariantRule;

export interface DriftRules {
  rules: DriftRule[];
}

export const isInvariant = (rule: DriftRule): rule is InvariantRule => 'expect' in rule;

/** Identity function that gives a rules file its types. */
export function defineDriftRules(rules: DriftRules): DriftRules {
  return rules;
}

const pathSchema = z.union([
  z.string().min(1),
  z.array(z.union([z.string().min(1), z.number().int().nonnegative(), z.record(z.string(), z.string())])).min(1),
]);
const base = { file: z.string().min(1), take: z.enum(['port', 'host']).optional() };
const sourceSchema = z.union([
  z.strictObject({ ...base, dotenv: z.string().min(1) }),
  z.strictObject({ ...base, json: pathSchema }),
  z.strictObject({ ...base, yaml: pathSchema }),
  z.strictObject({ ...base, regex: z.instanceof(RegExp) }),
], { error: 'expected a source: { file, dotenv | json | yaml | regex, take? }' });
const expectationSchema = z.union([
  z.strictObject({ equals: z.string() }),
  z.strictObject({ oneOf: z.array(z.string()).min(1) }),
  z.strictObject({ noneOf: z.array(z.string()).min(1) }),
  z.strictObject({ matches: z.instanceof(RegExp) }),
], { error: 'expected { equals } | { oneOf } | { noneOf } | { matches }' });
const common = {
  fact: z.string().min(1),
  severity: z.enum(['critical', 'warning']),
  sources: z.array(sourceSchema).min(1),
};

/** Validates a rules file's default export; the types above are the documentation, this is the check. */
export const driftRulesSchema = z.strictObject({
  rules: z.array(z.union([
    z.strictObject({ ...common, expect: expectationSchema, when: z.strictObject({ source: sourceSchema, expect: expectationSchema }).optional(), why: z.string().optional() }),
    z.strictObject(common),
  ])),
});

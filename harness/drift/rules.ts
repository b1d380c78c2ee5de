import type { Severity } from '../core/findings.ts';
import { z } from '../core/packages.ts';

// The rules file's shape, written once with zod: the types below derive from these schemas.

/**
 * One step of a JSON/YAML path: a map key, a sequence index, `'*'` (every item), or an object that selects
 * the sequence items whose keys have these values (e.g. `{ hostname: 'api.example.org' }`).
 */
const pathSegmentSchema = z.union([z.string().min(1), z.number().int().nonnegative(), z.record(z.string(), z.string())]);
const pathSchema = z.union([z.string().min(1), z.array(pathSegmentSchema).min(1)]);

/** The part of a URL to compare, instead of the whole value. */
const urlPartSchema = z.enum(['port', 'host']);

const base = {
  /** Path of the file, relative to the drift root (the rules file's directory unless PREFLIGHT_DRIFT_ROOT is set). */
  file: z.string().min(1),
  /** Take the port or host of the URL the extractor found. */
  take: urlPartSchema.optional(),
};

/** Where a fact is stated: a file plus an extractor. A regex: every match is a statement of the fact; the value is the group named `value`, else group 1, else the match. */
const sourceSchema = z.union([
  z.strictObject({ ...base, dotenv: z.string().min(1) }),
  z.strictObject({ ...base, json: pathSchema }),
  z.strictObject({ ...base, yaml: pathSchema }),
  z.strictObject({ ...base, regex: z.instanceof(RegExp) }),
], { error: 'expected a source: { file, dotenv | json | yaml | regex, take? }' });

/** What every value of an invariant must be. */
const expectationSchema = z.union([
  z.strictObject({ equals: z.string() }),
  z.strictObject({ oneOf: z.array(z.string()).min(1) }),
  z.strictObject({ noneOf: z.array(z.string()).min(1) }),
  z.strictObject({ matches: z.instanceof(RegExp) }),
], { error: 'expected { equals } | { oneOf } | { noneOf } | { matches }' });

const severitySchema = z.enum(['critical', 'warning']) satisfies z.ZodType<Severity>;

const common = {
  fact: z.string().min(1),
  severity: severitySchema,
  sources: z.array(sourceSchema).min(1),
};

/** All sources state the same value; the first source is the source of truth (`--fix` copies its value). */
const equalityRuleSchema = z.strictObject(common);

/** Every value of every source meets `expect` (only when `when` holds, if given); `why` is shown with a violation. */
const invariantRuleSchema = z.strictObject({
  ...common,
  expect: expectationSchema,
  when: z.strictObject({ source: sourceSchema, expect: expectationSchema }).optional(),
  why: z.string().optional(),
});

/**
 * Validates a rules file's default export. `docs`: Markdown files (relative to the drift root) whose port statements
 * are checked too, each against the `<service> port` rule of the service its line names (./docs-rules.ts).
 */
export const driftRulesSchema = z.strictObject({
  rules: z.array(z.union([invariantRuleSchema, equalityRuleSchema])),
  docs: z.array(z.string().min(1), { error: 'expected a list of Markdown files, e.g. docs: [\'README.md\']' }).optional(),
});

export type PathSegment = z.output<typeof pathSegmentSchema>;
export type UrlPart = z.output<typeof urlPartSchema>;
export type DriftSource = z.output<typeof sourceSchema>;
export type Expectation = z.output<typeof expectationSchema>;
export type EqualityRule = z.output<typeof equalityRuleSchema>;
export type InvariantRule = z.output<typeof invariantRuleSchema>;
export type DriftRule = EqualityRule | InvariantRule;
export type DriftRules = z.output<typeof driftRulesSchema>;
export type { Severity };

export const isInvariant = (rule: DriftRule): rule is InvariantRule => 'expect' in rule;

/** Identity function that gives a rules file its types (./define-rules.ts, which a rules file should import). */
export { defineDriftRules } from './define-rules.ts';

import fs from 'node:fs';
import path from 'node:path';
import { extractDotenvKey } from './extractors/dotenv-key.ts';
import { ExtractionProblem, lineAt, type ValueSlot } from './extractors/slot.ts';
import { describePath, extractStructuredPath } from './extractors/structured-path.ts';
import { extractRegex } from './extractors/text-regex.ts';
import type { DriftSource } from './rules.ts';
import { readUrlPart } from './url-part.ts';
import { shownValue } from './secret-value.ts';

export type StatementProblem = 'missing-file' | 'unparseable' | 'absent' | 'not-a-url';

/** One place where a file states a fact: its value, or why there is none. */
export interface Statement {
  /** The file as the rule names it (relative to the drift root). */
  file: string;
  /** Which of the source's values this is (a regex or a `*` path can find several); `--fix` finds it again by it. */
  index?: number;
  line?: number;
  /** The text the extractor found, before `take`. */
  raw?: string;
  /** The value compared: `raw`, or its port/host. */
  value?: string;
  /** The value as tables and messages show it: a secret's fingerprint (./secret-value.ts), else the value. */
  shown?: string;
  problem?: { kind: StatementProblem; message: string };
  slot?: ValueSlot;
}

/** How a source reads its file, for tables and messages: `dotenv PREFLIGHT_BACKEND_URL (port)`. */
export function describeSource(source: DriftSource): string {
  const take = source.take ? ` (${source.take})` : '';
  if ('dotenv' in source) return `dotenv ${source.dotenv}${take}`;
  if ('json' in source) return `json ${describePath(source.json)}${take}`;
  if ('yaml' in source) return `yaml ${describePath(source.yaml)}${take}`;
  return `regex ${source.regex}${take}`;
}

function slotsIn(source: DriftSource, text: string): ValueSlot[] {
  if ('dotenv' in source) return extractDotenvKey(text, source.dotenv);
  if ('json' in source) return extractStructuredPath(text, source.json, 'json');
  if ('yaml' in source) return extractStructuredPath(text, source.yaml, 'yaml');
  return extractRegex(text, source.regex);
}

/** What `source` finds in `text`: one statement per value (a regex or a `*` path can find several). */
export function statementsInText(source: DriftSource, text: string): Statement[] {
  let slots: ValueSlot[];
  try {
    slots = slotsIn(source, text);
  } catch (error) {
    if (!(error instanceof ExtractionProblem)) throw error;
    return [{ file: source.file, problem: { kind: error.kind, message: error.message } }];
  }
  return slots.map((slot, index) => {
    const statement: Statement = { file: source.file, index, line: lineAt(text, slot.start), raw: slot.raw, slot };
    if (!source.take) return { ...statement, value: slot.raw, shown: shownValue(source, slot.raw) };
    const value = readUrlPart(slot.raw, source.take);
    if (value === undefined) return { ...statement, problem: { kind: 'not-a-url', message: `${JSON.stringify(slot.raw)} is not a URL with a host` } };
    return { ...statement, value, shown: shownValue(source, value) };
  });
}

export function resolveSourceFile(source: DriftSource, root: string): string {
  return path.resolve(root, source.file);
}

/** Reads the source's file under `root`; a file that does not exist is a statement with a problem, not an error. */
export function readStatements(source: DriftSource, root: string): Statement[] {
  const file = resolveSourceFile(source, root);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `file not found (${file})` : `cannot read ${file}: ${(error as Error).message}`;
    return [{ file: source.file, problem: { kind: 'missing-file', message } }];
  }
  return statementsInText(source, text);
}

/** What to print for a statement's value: never a secret (see `shown`). */
export const shown = (statement: Statement): string | undefined => statement.shown ?? statement.value;

import fs from 'node:fs';
import path from 'node:path';
import { where, type DriftRow } from './compare.ts';
import type { DriftCheck } from './check-drift.ts';
import type { DriftSource } from './rules.ts';
import { resolveSourceFile, statementsInText } from './statements.ts';
import { writeUrlPart } from './url-part.ts';
import { shownValue } from './secret-value.ts';

/** Bring one drifted value back to what its rule says. */
export interface Fix {
  fact: string;
  source: DriftSource;
  index: number;
  where: string;
  from: string;
  to: string;
}

/** One file's planned rewrite: its text before and after every fix that could be applied safely. */
export interface FileChange {
  file: string;
  absolute: string;
  before: string;
  after: string;
  applied: Fix[];
}

export interface FixPlan {
  changes: FileChange[];
  /** Drift that --fix leaves to a person, and why. */
  unfixable: { fact: string; where: string; reason: string }[];
}

function fixOf(row: DriftRow): Fix | string {
  if (row.status === 'problem') return `${row.note}; add it by hand`;
  if (row.expected === undefined) {
    return row.status === 'differs' ? 'the source of truth states no value to copy' : 'the invariant does not name one right value';
  }
  return { fact: row.fact, source: row.source, index: row.statement.index ?? 0, where: where(row.statement), from: row.statement.value!, to: row.expected };
}

/** Rewrites one value in `text`, or says why it will not: the result must parse and read back as the target. */
export function applyFix(text: string, fix: Fix): { text: string } | { refused: string } {
  const statements = statementsInText(fix.source, text);
  const statement = statements[fix.index];
  if (!statement?.slot || statement.value === undefined) return { refused: 'the value is no longer where it was' };
  const raw = fix.source.take ? writeUrlPart(statement.slot.raw, fix.source.take, fix.to) : fix.to;
  const rendered = raw === undefined ? undefined : statement.slot.render?.(raw);
  if (rendered === undefined) return { refused: 'this value is written in a form preflight does not rewrite (escapes, multi-line, block scalar)' };
  const next = text.slice(0, statement.slot.start) + rendered + text.slice(statement.slot.end);
  const after = statementsInText(fix.source, next);
  if (after.length !== statements.length || after[fix.index]?.value !== fix.to) {
    return { refused: `the rewritten file would not read back as ${shownValue(fix.source, fix.to)} (${after[0]?.problem?.message ?? 'value changed meaning'})` };
  }
  return { text: next };
}

/** What `--fix` would change: every drifted value set to its rule's source of truth (or an `equals` invariant's value). */
export function planFixes(check: DriftCheck): FixPlan {
  const unfixable: FixPlan['unfixable'] = [];
  const byFile = new Map<string, Fix[]>();
  for (const row of check.outcomes.flatMap((outcome) => outcome.rows)) {
    if (!['differs', 'violates', 'problem'].includes(row.status)) continue;
    const fix = fixOf(row);
    if (typeof fix === 'string') {
      unfixable.push({ fact: row.fact, where: where(row.statement), reason: fix });
      continue;
    }
    const absolute = resolveSourceFile(fix.source, check.root);
    byFile.set(absolute, [...(byFile.get(absolute) ?? []), fix]);
  }

  const changes: FileChange[] = [];
  for (const [absolute, fixes] of byFile) {
    const before = fs.readFileSync(absolute, 'utf8');
    let text = before;
    const applied: Fix[] = [];
    for (const fix of fixes) {
      const result = applyFix(text, fix);
      if ('refused' in result) unfixable.push({ fact: fix.fact, where: fix.where, reason: result.refused });
      else {
        text = result.text;
        applied.push(fix);
      }
    }
    if (applied.length) changes.push({ file: fixes[0]!.source.file, absolute, before, after: text, applied });
  }
  return { changes, unfixable };
}

/** The changed lines of each file, as `- old` / `+ new` under `file:line`. */
export function formatFixPlan(plan: FixPlan): string {
  const lines: string[] = [];
  for (const change of plan.changes) {
    // A secret is shown as its fingerprint in the plan too, also inside the changed lines.
    const hide = (line: string) =>
      change.applied.reduce((text, fix) => [fix.from, fix.to].reduce((out, value) => out.split(value).join(shownValue(fix.source, value)), text), line);
    for (const fix of change.applied) lines.push(`${fix.where}  ${fix.fact}: ${shownValue(fix.source, fix.from)} -> ${shownValue(fix.source, fix.to)}`);
    const before = change.before.split('\n');
    const after = change.after.split('\n');
    before.forEach((line, i) => {
      if (line !== after[i]) lines.push(`  ${change.file}:${i + 1}`, `  - ${hide(line)}`, `  + ${hide(after[i]!)}`);
    });
  }
  for (const item of plan.unfixable) lines.push(`not fixed: ${item.where}  ${item.fact}: ${item.reason}`);
  if (!lines.length) lines.push('nothing to fix');
  return `${lines.join('\n')}\n`;
}

/** Writes every planned change, each file replaced at once (temporary file, then rename). */
export function writeFixPlan(plan: FixPlan): void {
  for (const change of plan.changes) {
    const temporary = path.join(path.dirname(change.absolute), `.${path.basename(change.absolute)}.preflight-fix`);
    fs.writeFileSync(temporary, change.after, { mode: fs.statSync(change.absolute).mode });
    fs.renameSync(temporary, change.absolute);
  }
}

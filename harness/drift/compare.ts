import { describeExpectation, meets } from './expectation.ts';
import { isInvariant, type DriftRule, type DriftSource, type EqualityRule, type InvariantRule } from './rules.ts';
import type { DriftFinding } from '../core/findings.ts';
import { readStatements, shown, type Statement } from './statements.ts';

/** How one statement fares under its rule. */
export type RowStatus = 'truth' | 'agree' | 'differs' | 'holds' | 'violates' | 'condition' | 'problem' | 'n/a';

export interface DriftRow {
  fact: string;
  source: DriftSource;
  statement: Statement;
  status: RowStatus;
  /** The value this statement should have, when the rule says which (the source of truth, an `equals` invariant). */
  expected?: string;
  note?: string;
}

export interface RuleOutcome {
  rule: DriftRule;
  rows: DriftRow[];
  findings: DriftFinding[];
}

export const where = (statement: Statement) => (statement.line ? `${statement.file}:${statement.line}` : statement.file);

/** Checks one rule against the files under `root`. */
export function checkRule(rule: DriftRule, root: string): RuleOutcome {
  return isInvariant(rule) ? checkInvariant(rule, root) : checkEquality(rule, root);
}

function problemRow(rule: DriftRule, source: DriftSource, statement: Statement): { row: DriftRow; finding: DriftFinding } {
  const reason = `${where(statement)}: ${statement.problem!.message}`;
  return {
    row: { fact: rule.fact, source, statement, status: 'problem', note: statement.problem!.message },
    finding: { fact: rule.fact, severity: rule.severity, reason, file: statement.file, line: statement.line },
  };
}

function checkEquality(rule: EqualityRule, root: string): RuleOutcome {
  const read = rule.sources.map((source) => ({ source, statements: readStatements(source, root) }));
  const truth = read[0]!.statements.find((statement) => statement.value !== undefined);
  const reference = truth ?? read.flatMap((entry) => entry.statements).find((statement) => statement.value !== undefined);
  const rows: DriftRow[] = [];
  const findings: DriftFinding[] = [];
  for (const { source, statements } of read) {
    for (const statement of statements) {
      if (statement.value === undefined) {
        const { row, finding } = problemRow(rule, source, statement);
        rows.push(row);
        findings.push(finding);
      } else if (statement === reference) {
        rows.push({ fact: rule.fact, source, statement, status: 'truth', note: truth ? 'source of truth' : 'first value found (the source of truth has none)' });
      } else if (statement.value === reference!.value) {
        rows.push({ fact: rule.fact, source, statement, status: 'agree' });
      } else {
        rows.push({ fact: rule.fact, source, statement, status: 'differs', expected: truth?.value, note: `${where(reference!)} says ${shown(reference!)}` });
        findings.push({
          fact: rule.fact,
          severity: rule.severity,
          reason: `${where(statement)} says ${shown(statement)}, but ${where(reference!)}${truth ? ' (source of truth)' : ''} says ${shown(reference!)}`,
          file: statement.file,
          line: statement.line,
        });
      }
    }
  }
  return { rule, rows, findings };
}

function checkInvariant(rule: InvariantRule, root: string): RuleOutcome {
  const rows: DriftRow[] = [];
  const findings: DriftFinding[] = [];
  if (rule.when) {
    const condition = rule.when;
    const statements = readStatements(condition.source, root);
    let holds = true;
    for (const statement of statements) {
      if (statement.value === undefined) {
        const { row, finding } = problemRow(rule, condition.source, statement);
        rows.push(row);
        findings.push(finding);
        holds = false;
        continue;
      }
      const met = meets(statement.value, condition.expect);
      holds &&= met;
      rows.push({ fact: rule.fact, source: condition.source, statement, status: 'condition', note: `condition ${met ? 'holds' : 'does not hold, rule not checked'} (${describeExpectation(condition.expect)})` });
    }
    if (!holds) return { rule, rows, findings };
  }

  const expected = 'equals' in rule.expect ? rule.expect.equals : undefined;
  let checked = 0;
  for (const source of rule.sources) {
    for (const statement of readStatements(source, root)) {
      if (statement.problem?.kind === 'not-a-url') {
        rows.push({ fact: rule.fact, source, statement, status: 'n/a', note: 'not a URL with a host' });
      } else if (statement.value === undefined) {
        const { row, finding } = problemRow(rule, source, statement);
        rows.push(row);
        findings.push(finding);
      } else if (meets(statement.value, rule.expect)) {
        checked++;
        rows.push({ fact: rule.fact, source, statement, status: 'holds' });
      } else {
        checked++;
        const must = describeExpectation(rule.expect);
        rows.push({ fact: rule.fact, source, statement, status: 'violates', expected, note: must });
        findings.push({
          fact: rule.fact,
          severity: rule.severity,
          reason: `${where(statement)} says ${shown(statement)}, ${must}${rule.why ? ` (${rule.why})` : ''}`,
          file: statement.file,
          line: statement.line,
        });
      }
    }
  }
  if (checked === 0 && findings.length === 0) {
    findings.push({ fact: rule.fact, severity: rule.severity, reason: 'found no value to check: are the sources right?' });
  }
  return { rule, rows, findings };
}

export type { DriftFinding };

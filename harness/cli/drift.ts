import path from 'node:path';
import { describeConfigProblems, loadConfig } from '../config/load-config.ts';
import { checkDrift, driftExitCode, type DriftLocation } from '../drift/check-drift.ts';
import { formatDriftTable } from '../drift/drift-table.ts';
import { formatFixPlan, planFixes, writeFixPlan } from '../drift/fix-plan.ts';
import { DriftRulesError } from '../drift/load-rules.ts';
import { driftNotChecked } from '../drift/gate-drift.ts';
import { usageError, type CommandLine, type CommandSpec } from './command-line.ts';

export const command: CommandSpec = {
  name: 'drift',
  summary: 'Compare every file that states the same fact (ports, hosts, tunnel invariants) and show, or apply, the fix.',
  options: {
    strict: { type: 'boolean', description: 'warnings exit 2 (also PREFLIGHT_STRICT=true)' },
    fix: { type: 'boolean', description: "show the change that brings each drifted value back to its rule's source of truth" },
    write: { type: 'boolean', description: 'with --fix: apply those changes (formatting and comments are kept)' },
    rules: { type: 'string', value: '<file>', description: 'the rules file (default PREFLIGHT_DRIFT_RULES, else driftRules of preflight.config.ts, else its drift.rules.ts)' },
    root: { type: 'string', value: '<dir>', description: "the directory the rules' file paths are relative to (default PREFLIGHT_DRIFT_ROOT, else the rules file's)" },
  },
  exitCodes: '0 no drift, 1 warnings, 2 warnings in strict mode, 3 critical drift or rules that do not load',
};

/** `npx preflight drift`: the table, and the exit code of docs/design.md. */
export async function run({ values }: CommandLine): Promise<number> {
  const options = values as { strict?: boolean; fix?: boolean; write?: boolean; rules?: string; root?: string };
  if (options.write && !options.fix) return usageError(command, '--write applies the changes of --fix; add --fix.');
  const loaded = loadConfig();
  if (!loaded.ok) {
    console.error(describeConfigProblems(loaded.problems, 'the configuration is invalid; no drift was checked.'));
    return 3;
  }
  // No rules file and none named: nothing to compare, which is no drift (docs/drift.md says how to write rules).
  const unchecked = options.rules ? undefined : driftNotChecked(loaded.config);
  if (unchecked) {
    console.log(`preflight drift: ${unchecked}`);
    return 0;
  }
  const rulesFile = options.rules ? path.resolve(options.rules) : loaded.config.drift.rulesFile;
  const location: DriftLocation = {
    rulesFile,
    root: options.root ? path.resolve(options.root) : options.rules ? path.dirname(rulesFile) : loaded.config.drift.root,
  };
  const strict = Boolean(options.strict) || loaded.config.strict;

  try {
    let check = await checkDrift(location);
    process.stdout.write(formatDriftTable(check));
    if (!options.fix && (check.critical.length || check.warnings.length)) {
      process.stdout.write('Next: npx preflight drift --fix shows the change that brings each drifted source back to its source of truth; --fix --write applies it.\n');
    }
    if (options.fix) {
      const plan = planFixes(check);
      process.stdout.write(`\n${options.write ? 'Changing' : 'Would change (apply with --fix --write)'}:\n${formatFixPlan(plan)}`);
      if (options.write && plan.changes.length) {
        writeFixPlan(plan);
        check = await checkDrift(location);
        process.stdout.write(`\nAfter the fix:\n${formatDriftTable(check)}`);
      }
    }
    return driftExitCode(check, strict);
  } catch (error) {
    if (!(error instanceof DriftRulesError)) throw error;
    console.error(`preflight drift: ${error.message}`);
    return 3;
  }
}

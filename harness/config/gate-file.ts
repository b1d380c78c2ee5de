import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { loadUserModule } from '../core/load-typescript.ts';
import { GATE_CONFIG_VAR, locateProject, type ProjectLocation } from '../core/project-root.ts';
import { GATE_CONFIG_FILE } from './defaults.ts';
import { dependencyProblems, gateFileSchema, type GateFile } from './gate-schema.ts';

export type GateFileResult =
  | { kind: 'none'; file: string }
  | { kind: 'loaded'; file: string; gate: GateFile }
  | { kind: 'invalid'; file: string; problems: string[] };

/**
 * Where the gate configuration file is: PREFLIGHT_CONFIG, else the nearest preflight.config.ts beside or above the
 * Playwright configuration in use (harness/core/project-root.ts); without one, where it would be.
 */
export function gateFilePath(location: ProjectLocation = locateProject()): string {
  return location.gateFile ?? path.join(location.root, GATE_CONFIG_FILE);
}

/**
 * Loads and validates the gate configuration file, synchronously (playwright.config.ts reads it at load time).
 * A file that does not load (syntax error, a throw) or declares wrong types gives problems, never an exception.
 */
export function loadGateFile(env: NodeJS.ProcessEnv = process.env, location: ProjectLocation = locateProject(env)): GateFileResult {
  const file = gateFilePath(location);
  const named = location.named;
  if (!fs.existsSync(file)) {
    // Only a file the user named must exist; without one, the defaults gate the bundled demo app.
    if (!named) return { kind: 'none', file };
    return { kind: 'invalid', file, problems: [`${GATE_CONFIG_VAR}: the gate configuration file ${file} does not exist; fix: correct ${GATE_CONFIG_VAR} (relative to the current folder), or create the file (see docs/gate-config.md)`] };
  }
  let exported: unknown;
  try {
    exported = loadUserModule(file);
  } catch (error) {
    return { kind: 'invalid', file, problems: [`${display(file)} does not load: ${firstLines(error)}; fix: correct the file (check it with npx tsc --noEmit)`] };
  }
  const parsed = gateFileSchema.safeParse(exported);
  const dependencies = dependencyProblems(exported).map((problem) => `${display(file)}: ${fieldName(problem.path)}: ${problem.message}, got ${describeValue(problem.input)}`);
  if (!parsed.success || dependencies.length) {
    return { kind: 'invalid', file, problems: [...(parsed.success ? [] : describeIssues(file, parsed.error.issues, exported)), ...dependencies] };
  }
  return { kind: 'loaded', file, gate: parsed.data };
}

/** The file as a person finds it: relative to the current directory when inside it. */
export function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

function firstLines(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // esbuild's syntax errors name file, line and column on their first lines; a stack would only repeat preflight's own frames.
  return message.split('\n').filter((line) => line.trim()).slice(0, 3).join(' ').replace(/\s+/g, ' ');
}

function describeIssues(file: string, issues: z.core.$ZodIssue[], exported: unknown): string[] {
  return issues.map((issue) => {
    const field = fieldName(issue.path);
    const got = issue.code === 'unrecognized_keys' ? undefined : valueAt(exported, issue.path);
    const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (see docs/gate-config.md for the fields)` : issue.message;
    const gotText = issue.code === 'unrecognized_keys' ? '' : `, got ${describeValue(got)}`;
    return `${display(file)}: ${field}: ${message}${gotText}`;
  });
}

/** services.backend.dependsOn[0]: a field as a person writes it. */
function fieldName(keys: PropertyKey[]): string {
  if (keys.length === 0) return '(the default export)';
  return keys.map((key, index) => (typeof key === 'number' ? `[${key}]` : index ? `.${String(key)}` : String(key))).join('');
}

function valueAt(value: unknown, keys: PropertyKey[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value instanceof RegExp) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

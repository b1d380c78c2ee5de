// Reads environment variables through zod schemas and collects every problem (variable, expected, got)
// instead of stopping at the first one.
import { z } from 'zod';
import { FaultSpecError, parseFaults, type DemoFaults, type DemoService } from './faults.ts';

export interface EnvProblem {
  variable: string;
  expected: string;
  got: string;
  /** Fatal even outside production: there is no sensible value to fall back to. */
  fatal: boolean;
  /** What is used instead when the problem is only a warning. */
  fallback?: string;
}

export const serviceUrlSchema = z.url({ protocol: /^https?$/ }).transform((value) => new URL(value));
export const healthPathSchema = z.string().startsWith('/');
export const nonEmptySchema = z.string().trim().min(1);

export function describeValue(raw: string | undefined): string {
  return raw === undefined ? '(unset)' : JSON.stringify(raw);
}

function describeFallback(value: unknown): string {
  return value instanceof URL ? value.href : JSON.stringify(value);
}

export class EnvReader {
  readonly problems: EnvProblem[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The raw value; an empty string counts as unset, as in most .env files. */
  raw(variable: string): string | undefined {
    const value = this.env[variable];
    return value === undefined || value === '' ? undefined : value;
  }

  /**
   * Parses the variable when set, else returns `defaultValue`. An invalid value is recorded as a problem and
   * `defaultValue` is used instead; the problem is fatal when `fatal` says so (by default: when there is no default).
   */
  read<T>(variable: string, schema: z.ZodType<T>, expected: string, defaultValue?: T, options: { fatal?: boolean } = {}): T | undefined {
    const raw = this.raw(variable);
    if (raw === undefined) return defaultValue;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const fatal = options.fatal ?? defaultValue === undefined;
    const fallback = defaultValue === undefined ? 'no value' : describeFallback(defaultValue);
    this.problems.push({ variable, expected, got: describeValue(raw), fatal, fallback });
    return defaultValue;
  }

  /** Records a problem found by a rule that spans more than one schema (e.g. production-only requirements). */
  require(variable: string, expected: string): void {
    if (this.problems.some((problem) => problem.variable === variable)) return;
    this.problems.push({ variable, expected, got: describeValue(this.raw(variable)), fatal: true });
  }

  faults(service: DemoService): DemoFaults | undefined {
    try {
      return parseFaults(this.raw('DEMO_FAULT'), service);
    } catch (error) {
      if (!(error instanceof FaultSpecError)) throw error;
      for (const problem of error.problems) {
        this.problems.push({
          variable: 'DEMO_FAULT',
          expected: `comma-separated faults "[backend:|frontend:|database:]name[=ms]" (${problem})`,
          got: describeValue(this.raw('DEMO_FAULT')),
          fatal: true,
        });
      }
      return undefined;
    }
  }
}

/** Prints every problem to stderr; returns true when the process must exit before listening. */
export function reportEnvProblems(prefix: string, problems: EnvProblem[], production: boolean): boolean {
  const fatal = problems.filter((problem) => production || problem.fatal);
  for (const problem of problems) {
    const isFatal = production || problem.fatal;
    const line = `${problem.variable}: expected ${problem.expected}, got ${problem.got}`;
    if (isFatal) console.error(`${prefix} invalid configuration: ${line}`);
    else console.error(`${prefix} warning: ${line}; using ${problem.fallback ?? 'the default'}`);
  }
  if (fatal.length === 0) return false;
  const mode = production ? ' (NODE_ENV=production: every problem is fatal)' : '';
  console.error(`${prefix} ${fatal.length} configuration problem(s)${mode}; exiting with code 1 before listening`);
  return true;
}

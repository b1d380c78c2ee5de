import { parseArgs } from 'node:util';

/** Bad usage (an unknown option, a missing or malformed value) exits 3, like every other input preflight rejects. */
export const USAGE_EXIT_CODE = 3;

export interface OptionSpec {
  type: 'boolean' | 'string';
  /** The value's placeholder in the usage, e.g. `<ms>` (string options). */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  /** One sentence: what the command does. The top-level help prints it. */
  summary: string;
  positionals?: { name: string; description: string }[];
  options: Record<string, OptionSpec>;
  /** Lines after the options (environment variables, where the details live). */
  notes?: string[];
  exitCodes: string;
}

export interface CommandLine {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export type Parsed = { ok: true; line: CommandLine } | { ok: false; exitCode: number };

const HELP: OptionSpec = { type: 'boolean', description: 'print this help' };

export function commandUsage(spec: CommandSpec): string {
  const options = Object.entries(spec.options);
  const synopsis = [
    `npx preflight ${spec.name}`,
    ...(spec.positionals ?? []).map((positional) => `<${positional.name}>`),
    ...options.map(([name, option]) => `[--${name}${option.value ? ` ${option.value}` : ''}]`),
  ].join(' ');
  const rows: [string, string][] = [
    ...(spec.positionals ?? []).map((positional): [string, string] => [`<${positional.name}>`, positional.description]),
    ...options.map(([name, option]): [string, string] => [`--${name}${option.value ? ` ${option.value}` : ''}`, option.description]),
    ['-h, --help', HELP.description],
  ];
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `usage: ${synopsis}`,
    `  ${spec.summary}`,
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    ...(spec.notes ?? []),
    `exit codes: ${spec.exitCodes}; ${USAGE_EXIT_CODE} also for bad usage`,
  ].join('\n');
}

/** A usage problem: what was wrong, then the command's usage, on stderr; the exit code to return. */
export function usageError(spec: CommandSpec, problem: string): number {
  console.error(`preflight ${spec.name}: ${problem}\n${commandUsage(spec)}`);
  return USAGE_EXIT_CODE;
}

/**
 * The one argument parser of every `npx preflight` command (node:util parseArgs, strict): `-h`/`--help` print the
 * usage and exit 0; an unknown option, a missing value or one positional too many gives the problem and the usage.
 */
export function parseCommandLine(spec: CommandSpec, args: string[]): Parsed {
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, option]) => [name, { type: option.type }]));
  // -h/--help wins wherever it stands, even beside a mistake: asking for help is never an error.
  const end = args.indexOf('--');
  if ((end === -1 ? args : args.slice(0, end)).some((arg) => arg === '-h' || arg === '--help')) {
    console.log(commandUsage(spec));
    return { ok: false, exitCode: 0 };
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    return { ok: false, exitCode: usageError(spec, describeParseError(error as Error & { code?: string }, args)) };
  }
  const allowed = spec.positionals?.length ?? 0;
  if (parsed.positionals.length > allowed) {
    const extra = parsed.positionals.slice(allowed);
    const problem = allowed === 0 ? `takes no argument, got ${JSON.stringify(extra[0])}` : `unexpected argument ${JSON.stringify(extra[0])} (it takes ${(spec.positionals ?? []).map((positional) => `<${positional.name}>`).join(' ')} only)`;
    return { ok: false, exitCode: usageError(spec, problem) };
  }
  return { ok: true, line: { values: parsed.values as CommandLine['values'], positionals: parsed.positionals } };
}

// parseArgs's messages are written for programmers ("Unknown option '--x'. To specify a positional argument starting
// with a '-', place it at the end of the command after '--', as in '-- \"--x\"")": keep their first sentence.
function describeParseError(error: Error & { code?: string }, args: string[]): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? args.find((arg) => arg.startsWith('-'))}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(error.message)) return `${optionName(quoted)} needs a value`;
      if (/ambiguous/.test(error.message)) return `${optionName(quoted)} needs a value (for one starting with a dash: ${optionName(quoted)}=-...)`;
      return `${optionName(quoted)} takes no value`;
    default:
      return error.message.split('. ')[0]!;
  }
}

// parseArgs names an option "-t, --timeout <value>" or "--strict": keep the long name.
const optionName = (quoted: string | undefined) => (quoted ? (/--[\w-]+/.exec(quoted)?.[0] ?? quoted) : 'an option');

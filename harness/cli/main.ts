import path from 'node:path';
import { parseCommandLine, USAGE_EXIT_CODE, type CommandLine, type CommandSpec } from './command-line.ts';

/** One module per command: its spec (name, summary, options) and what it does; `run` returns the exit code. */
type Command = { command: CommandSpec; run(line: CommandLine): Promise<number> };

// Loaded on demand: a command starts without loading the other five.
const commands: Record<string, () => Promise<Command>> = {
  init: () => import('./init/init-command.ts'),
  drift: () => import('./drift.ts'),
  doctor: () => import('./doctor.ts'),
  health: () => import('./health.ts'),
  history: () => import('./history.ts'),
  cleanup: () => import('./cleanup.ts'),
};

async function usage(): Promise<string> {
  const specs = await Promise.all(Object.values(commands).map(async (load) => (await load()).command));
  const width = Math.max(...specs.map((spec) => spec.name.length));
  return [
    'usage: npx preflight <command> [--config <preflight.config.ts>] [options]',
    '       npx preflight <command> --help   (the command\'s options and exit codes)',
    '',
    'commands:',
    ...specs.map((spec) => `  ${spec.name.padEnd(width)}  ${spec.summary}`),
    '',
    'Every command reads the nearest preflight.config.ts up from the current folder (within the repository);',
    '--config <file> (or PREFLIGHT_CONFIG) names another, relative to the current folder. Paths resolve from its folder.',
    'The gate itself runs with `npx playwright test`.',
    `exit codes: 0 all sound, 1 warnings, 2 warnings in strict mode, 3 critical; bad usage (an unknown command or option) exits ${USAGE_EXIT_CODE}`,
  ].join('\n');
}

/**
 * `--config <file>` of any command: the gate configuration file, as PREFLIGHT_CONFIG names it (relative to the current
 * folder). Set before the command's modules load: they locate the project once (harness/core/project-root.ts).
 */
function takeConfigOption(argv: string[], env: NodeJS.ProcessEnv = process.env): string[] | { problem: string } {
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      rest.push(...argv.slice(index));
      break;
    }
    if (arg !== '--config' && !arg.startsWith('--config=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--config' ? argv[++index] : arg.slice('--config='.length);
    if (!value) return { problem: 'preflight: --config expects a file, e.g. --config e2e/preflight.config.ts' };
    env.PREFLIGHT_CONFIG = path.resolve(value);
  }
  return rest;
}

export async function main(argv: string[]): Promise<number> {
  const taken = takeConfigOption(argv);
  if (!Array.isArray(taken)) {
    console.error(`${taken.problem}\n${await usage()}`);
    return USAGE_EXIT_CODE;
  }
  const [name, ...args] = taken;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return 0;
  }
  const load = name === undefined ? undefined : commands[name];
  if (!load) {
    console.error(`preflight: ${name === undefined ? 'no command given' : `unknown command "${name}"`}.\n${await usage()}`);
    return USAGE_EXIT_CODE;
  }
  const command = await load();
  const parsed = parseCommandLine(command.command, args);
  return parsed.ok ? command.run(parsed.line) : parsed.exitCode;
}

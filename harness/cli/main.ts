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
    'usage: npx preflight <command> [options]',
    '       npx preflight <command> --help   (the command\'s options and exit codes)',
    '',
    'commands:',
    ...specs.map((spec) => `  ${spec.name.padEnd(width)}  ${spec.summary}`),
    '',
    'The gate itself runs with `npx playwright test`.',
    `exit codes: 0 all sound, 1 warnings, 2 warnings in strict mode, 3 critical; bad usage (an unknown command or option) exits ${USAGE_EXIT_CODE}`,
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
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
